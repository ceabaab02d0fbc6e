"""Deadline arithmetic under the Civil Code's rules on periods (Arts. 201–203).

The calendar comes from the data migration (chinese-calendar knows 2004–2026); 2027 is the
first year whose schedule is not loaded, the case users meet in late 2026.
"""

from datetime import date, timedelta

import chinese_calendar
import pytest
from django.core.exceptions import ValidationError

from workdays.deadlines import (
    Deadline,
    SkippedDay,
    WorkedDay,
    add_months,
    add_working_days,
    calculate,
    is_working_day,
)
from workdays.services import DayInput, calendar_year_save

pytestmark = pytest.mark.django_db

D = date.fromisoformat


def skipped(*pairs: tuple[str, str]) -> tuple[SkippedDay, ...]:
    return tuple(SkippedDay(D(day), reason) for day, reason in pairs)


def test_the_start_day_is_not_counted():
    """Art. 201: the day of the triggering event is not counted; the next working day is day 1."""
    assert add_working_days(start=D("2026-11-23"), days=1) == Deadline(
        deadline=D("2026-11-24"), provisional=False, skipped=()
    )


def test_a_start_on_a_rest_day_lists_only_the_rest_days_after_it():
    """Art. 201: a Saturday start is not counted, nor listed as skipped; Sunday is skipped."""
    result = add_working_days(start=D("2026-11-21"), days=1)
    assert result.deadline == D("2026-11-23")
    assert result.skipped == skipped(("2026-11-22", "周末"))


def test_a_weekend_day_made_a_working_day_counts_as_a_working_day():
    """调休: Sunday 2026-09-20 is a working day under the 2026 schedule (for National Day)."""
    result = add_working_days(start=D("2026-09-18"), days=1)
    assert result.deadline == D("2026-09-20")
    assert result.skipped == skipped(("2026-09-19", "周末"))
    assert is_working_day(D("2026-09-20"))
    assert not is_working_day(D("2026-09-19"))


def test_working_days_skip_a_whole_holiday_and_name_it():
    """Working days follow the State Council schedule: National Day 2026 is 1–7 October."""
    result = add_working_days(start=D("2026-09-30"), days=1)
    assert result.deadline == D("2026-10-08")
    assert result.skipped == tuple(
        SkippedDay(D(f"2026-10-0{day}"), "国庆节") for day in range(1, 8)
    )
    assert not result.provisional


def test_a_month_period_ending_inside_national_day_moves_to_the_first_working_day_after():
    """Art. 203: a last day on a statutory rest day moves to the day after the holiday ends."""
    result = add_months(start=D("2026-09-03"), months=1)
    assert result.deadline == D("2026-10-08")
    assert [day.date for day in result.skipped] == [
        D("2026-10-03") + timedelta(n) for n in range(5)
    ]
    assert {day.reason for day in result.skipped} == {"国庆节"}


def test_a_month_period_ends_on_the_corresponding_day():
    """Art. 202: 14 October + 1 month is 14 November."""
    assert add_months(start=D("2026-10-13"), months=1) == Deadline(
        deadline=D("2026-11-13"), provisional=False, skipped=()
    )


def test_a_month_period_ending_on_a_weekend_moves_to_monday():
    """Arts. 202–203: 14 November 2026 is a Saturday, so the period ends on Monday the 16th."""
    result = add_months(start=D("2026-10-14"), months=1)
    assert result.deadline == D("2026-11-16")
    assert result.skipped == skipped(("2026-11-14", "周末"), ("2026-11-15", "周末"))


def test_a_month_without_the_corresponding_day_ends_on_its_last_day():
    """Art. 202: 31 January + 1 month is 28 February; that Saturday is a 调休 working day in 2026,
    so the period ends on it, nothing is skipped, and the working Saturday is explained."""
    assert add_months(start=D("2026-01-31"), months=1) == Deadline(
        deadline=D("2026-02-28"),
        provisional=False,
        skipped=(),
        worked=(WorkedDay(D("2026-02-28"), "春节调休上班日"),),
    )


@pytest.mark.parametrize(
    ("start", "months", "last_day"),
    [
        ("2024-01-31", 1, "2024-02-29"),  # a leap year's February
        ("2026-03-31", 1, "2026-04-30"),
        ("2025-08-31", 6, "2026-02-28"),  # across a year end
        ("2026-05-31", 12, "2027-05-31"),
    ],
)
def test_month_arithmetic_takes_the_last_day_of_a_shorter_month(start, months, last_day):
    """Art. 202: no corresponding day → the month's last day (before any rest-day move)."""
    from workdays.deadlines import shift_months

    assert shift_months(D(start), months) == D(last_day)


def test_a_year_not_loaded_falls_back_to_the_fixed_date_holidays_and_is_provisional():
    """The 2027 schedule is not loaded: Monday–Friday minus 1 January, marked provisional."""
    result = add_working_days(start=D("2026-12-31"), days=1)
    assert result == Deadline(
        deadline=D("2027-01-04"),
        provisional=True,
        skipped=skipped(("2027-01-01", "元旦"), ("2027-01-02", "周末"), ("2027-01-03", "周末")),
    )


def test_the_fallback_names_national_day_on_a_weekend_and_its_make_up_days():
    """Fallback (放假办法 第二条, 第六条; changed from the pre-2025 fixed-date fallback, which
    ended on 4 October): 1–3 October 2027 are National Day; Saturday 2 and Sunday 3 are made up
    on Monday 4 and Tuesday 5, so Art. 203 moves the period's end to Wednesday 6 October."""
    result = add_months(start=D("2027-09-01"), months=1)
    assert result.deadline == D("2027-10-06")
    assert result.provisional
    assert [day.reason for day in result.skipped] == [
        "国庆节", "国庆节", "国庆节", "国庆节补假", "国庆节补假"
    ]  # fmt: skip


def test_the_fallback_knows_the_lunar_holidays_and_stays_provisional():
    """Fallback (放假办法 第二条, 第六条; this test asserted the pre-2025 fixed-date fallback
    before, where Monday 8 February 2027 counted as a working day): 春节 2027 is 除夕 Friday
    5 February to 初三 Monday 8 February; its Saturday and Sunday are made up on Tuesday 9 and
    Wednesday 10, so one working day after 5 February is Thursday 11 February, provisional."""
    result = add_working_days(start=D("2027-02-05"), days=1)
    assert result.deadline == D("2027-02-11")
    assert result.provisional
    assert result.skipped == skipped(
        ("2027-02-06", "春节"),
        ("2027-02-07", "春节"),
        ("2027-02-08", "春节"),
        ("2027-02-09", "春节补假"),
        ("2027-02-10", "春节补假"),
    )


def test_a_period_that_only_reaches_into_an_unloaded_year_is_provisional():
    """Provisional when any day examined lies in a year without a loaded schedule."""
    assert not add_working_days(start=D("2026-12-01"), days=20).provisional
    assert add_working_days(start=D("2026-12-01"), days=30).provisional


def test_a_draft_year_is_still_provisional():
    """A year counts only once its schedule is flagged loaded; a draft's days are not used:
    the draft (a single holiday on 8 February) would end on 9 February, the fallback on the
    11th (its expected date follows the rules since 2025, as the test above explains)."""
    calendar_year_save(
        year=2027,
        days=[DayInput(date=D("2027-02-08"), kind="holiday", name="春节")],
        source="草稿",
        schedule_loaded=False,
        actor=None,
    )
    result = add_working_days(start=D("2027-02-05"), days=1)
    assert result.deadline == D("2027-02-11")
    assert result.provisional


@pytest.mark.parametrize("start", ["2150-06-01", "2200-12-31", "1900-01-01", "1990-03-31"])
def test_it_never_raises_for_a_year_the_bundled_calendar_lacks(start):
    """Years outside chinese-calendar's range are computed with the fallback, never an error."""
    for result in (
        add_working_days(start=D(start), days=1000),
        add_months(start=D(start), months=120),
    ):
        assert result.provisional
        assert result.deadline > D(start)


def test_only_the_days_examined_decide_whether_a_result_is_provisional():
    """2003 is not loaded, 2004 is: a period examining only 2004 days is final."""
    assert add_working_days(start=D("2003-12-30"), days=1).provisional
    assert add_working_days(start=D("2003-12-31"), days=1) == Deadline(
        deadline=D("2004-01-02"), provisional=False, skipped=skipped(("2004-01-01", "元旦"))
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"working_days": 0}, "工作日数须为 1 至 1000 之间的整数。"),
        ({"working_days": -3}, "工作日数须为 1 至 1000 之间的整数。"),
        ({"working_days": 1001}, "工作日数须为 1 至 1000 之间的整数。"),
        ({"months": 0}, "月数须为 1 至 120 之间的整数。"),
        ({"months": 121}, "月数须为 1 至 120 之间的整数。"),
        ({}, "请填写工作日数或月数，二者只能选其一。"),
        ({"working_days": 5, "months": 1}, "请填写工作日数或月数，二者只能选其一。"),
    ],
)
def test_counts_outside_the_limits_are_refused_in_chinese(kwargs, message):
    with pytest.raises(ValidationError) as refused:
        calculate(start=D("2026-11-24"), **kwargs)
    assert refused.value.messages == [message]


def test_a_start_date_beyond_the_supported_range_is_refused():
    with pytest.raises(ValidationError, match="开始日期须在 1900-01-01 至 2200-12-31 之间"):
        add_working_days(start=D("2201-01-01"), days=1)


def test_working_days_agree_with_chinese_calendar_over_its_whole_range():
    """The stored calendar gives the same answers as the library it was loaded from."""

    def oracle(start: date, days: int) -> date:
        day = start
        while days:
            day += timedelta(days=1)
            days -= chinese_calendar.is_workday(day)
        return day

    for start in (D("2004-01-01") + timedelta(days=n) for n in range(0, 8000, 97)):
        for days in (1, 5, 20):
            result = add_working_days(start=start, days=days)
            assert result.deadline == oracle(start, days), (start, days)
            assert not result.provisional


def test_a_long_period_reads_the_calendar_in_a_few_queries(django_assert_max_num_queries):
    """The calendar is read in one window per computation, not one query per day."""
    with django_assert_max_num_queries(2):
        result = add_working_days(start=D("2020-01-01"), days=1000)
    assert result.deadline.year == 2024
    assert len(result.skipped) > 400
