"""The fallback for a year whose schedule is not loaded: the holiday rules in force since 2025.

全国年节及纪念日放假办法 (revised November 2024, in force 1 January 2025), 第二条: 元旦 1 day,
春节 4 days (农历除夕 to 正月初三), 清明节 1 day, 劳动节 2 days (1–2 May), 端午节 1 day, 中秋节
1 day, 国庆节 3 days (1–3 October). 第六条: a holiday of all citizens that falls on a Saturday or
Sunday is made up on a working day (here, the first working day(s) after the holiday). Deadlines
follow the Civil Code's rules on periods (民法典 第二百零一条至第二百零三条).

The expected dates below are worked out from those rules by hand (the weekday of each date and the
lunar dates are given in the comments), and checked against lunar-python and, for the years the
State Council has published under the same rules, against chinese-calendar.
"""

from datetime import date, timedelta

import chinese_calendar
import pytest
from lunar_python import Solar

from workdays import fallback
from workdays.deadlines import SkippedDay, add_months, add_working_days

pytestmark = pytest.mark.django_db

D = date.fromisoformat


def rest_days(year: int) -> dict[str, str]:
    """The fallback's days of `year` as ISO date → name, "补假" marking a made-up day."""
    return {
        day.isoformat(): holiday.name + ("补假" if holiday.made_up else "")
        for day, holiday in sorted(fallback.holidays(year).items())
    }


def skipped(*pairs: tuple[str, str]) -> tuple[SkippedDay, ...]:
    return tuple(SkippedDay(D(day), reason) for day, reason in pairs)


def test_the_2027_holidays_follow_the_rules_since_2025():
    """放假办法 第二条、第六条: every holiday of 2027 and every make-up day.

    元旦 Fri 1 Jan. 春节: 除夕 Fri 5 Feb (腊月廿九: the twelfth month has 29 days) to 初三 Mon
    8 Feb; Sat 6 and Sun 7 are made up on Tue 9 and Wed 10. 清明 Mon 5 Apr. 劳动节 Sat 1 and
    Sun 2 May, made up on Mon 3 and Tue 4. 端午 (五月初五) Wed 9 Jun. 中秋 (八月十五) Wed 15 Sep.
    国庆 Fri 1 to Sun 3 Oct; Sat 2 and Sun 3 are made up on Mon 4 and Tue 5."""
    assert rest_days(2027) == {
        "2027-01-01": "元旦",
        "2027-02-05": "春节",
        "2027-02-06": "春节",
        "2027-02-07": "春节",
        "2027-02-08": "春节",
        "2027-02-09": "春节补假",
        "2027-02-10": "春节补假",
        "2027-04-05": "清明节",
        "2027-05-01": "劳动节",
        "2027-05-02": "劳动节",
        "2027-05-03": "劳动节补假",
        "2027-05-04": "劳动节补假",
        "2027-06-09": "端午节",
        "2027-09-15": "中秋节",
        "2027-10-01": "国庆节",
        "2027-10-02": "国庆节",
        "2027-10-03": "国庆节",
        "2027-10-04": "国庆节补假",
        "2027-10-05": "国庆节补假",
    }


def test_the_lunar_dates_and_the_solar_term_are_the_librarys():
    """The 2027 dates above, read back from lunar-python (a kept library, not a table here)."""
    eve = Solar.fromYmd(2027, 2, 5).getLunar()
    assert (eve.getMonth(), eve.getDay()) == (12, 29)
    assert Solar.fromYmd(2027, 2, 6).getLunar().getMonth() == 1  # 正月初一 is the next day
    assert Solar.fromYmd(2027, 2, 6).getLunar().getDay() == 1
    assert Solar.fromYmd(2027, 4, 5).getLunar().getJieQi() == "清明"
    dragon_boat = Solar.fromYmd(2027, 6, 9).getLunar()
    assert (dragon_boat.getMonth(), dragon_boat.getDay()) == (5, 5)
    mid_autumn = Solar.fromYmd(2027, 9, 15).getLunar()
    assert (mid_autumn.getMonth(), mid_autumn.getDay()) == (8, 15)


def test_new_years_eve_is_the_thirtieth_when_the_twelfth_month_is_long():
    """放假办法 第二条: 除夕 is the last day of the twelfth month, 腊月三十 in 2033 (Sun 30 Jan);
    初一 to 初三 are Mon 31 Jan to Wed 2 Feb, and the Sunday is made up on Thu 3 Feb (第六条)."""
    eve = Solar.fromYmd(2033, 1, 30).getLunar()
    assert (eve.getMonth(), eve.getDay()) == (12, 30)
    spring = {day: name for day, name in rest_days(2033).items() if name.startswith("春节")}
    assert spring == {
        "2033-01-30": "春节",
        "2033-01-31": "春节",
        "2033-02-01": "春节",
        "2033-02-02": "春节",
        "2033-02-03": "春节补假",
    }


def test_a_holiday_on_a_sunday_is_made_up_on_the_first_working_day_after():
    """放假办法 第六条: 元旦 2028 is a Saturday → made up on Monday 3 January (Sunday 2 is no
    working day); 端午 2028 (五月初五) is Sunday 28 May → made up on Monday 29 May."""
    days = rest_days(2028)
    assert days["2028-01-01"] == "元旦" and "2028-01-02" not in days
    assert days["2028-01-03"] == "元旦补假"
    assert days["2028-05-28"] == "端午节" and days["2028-05-29"] == "端午节补假"


def test_mid_autumn_on_a_national_day_is_still_a_day_off():
    """放假办法 第二条: 中秋 2028 (八月十五) falls on Tuesday 3 October, a day 国庆 already
    holds. Both holidays are owed in full: 国庆's Sunday 1 October is made up on Wednesday 4,
    and 中秋 on the next working day, Thursday 5 October."""
    mid_autumn = Solar.fromYmd(2028, 10, 3).getLunar()
    assert (mid_autumn.getMonth(), mid_autumn.getDay()) == (8, 15)
    october = {day: name for day, name in rest_days(2028).items() if day.startswith("2028-10")}
    assert october == {
        "2028-10-01": "国庆节",
        "2028-10-02": "国庆节",
        "2028-10-03": "国庆节",
        "2028-10-04": "国庆节补假",
        "2028-10-05": "中秋节补假",
    }


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_published_schedules_under_the_same_rules_agree_with_the_fallback(year):
    """放假办法 第二条、第六条, against the State Council's own schedules for 2025 and 2026
    (chinese-calendar): every fallback day is a holiday there, and the weekdays off there, net
    of the weekend days made working (调休), are exactly the fallback's weekdays off: 13 days."""
    official = {day for day in chinese_calendar.holidays if day.year == year}
    fallback_days = set(fallback.holidays(year))
    assert fallback_days <= official
    weekdays_off = {day for day in official if day.weekday() < 5}
    swapped = {day for day in chinese_calendar.workdays if day.year == year and day.weekday() >= 5}
    fallback_weekdays_off = {day for day in fallback_days if day.weekday() < 5}
    assert len(weekdays_off) - len(swapped) == len(fallback_weekdays_off) == 13


def test_a_deadline_across_the_2027_spring_festival_is_no_longer_a_week_early():
    """民法典 第二百零一条 and 放假办法: five working days from Wednesday 3 February 2027 are
    Thu 4 (1), then 除夕 to 初三 and the two make-up days (5–10 February), Thu 11 (2), Fri 12 (3),
    Mon 15 (4), Tue 16 February (5). The pre-2025 fixed-date fallback said 10 February."""
    result = add_working_days(start=D("2027-02-03"), days=5)
    assert result.deadline == D("2027-02-16")
    assert result.provisional
    assert result.skipped == skipped(
        ("2027-02-05", "春节"),
        ("2027-02-06", "春节"),
        ("2027-02-07", "春节"),
        ("2027-02-08", "春节"),
        ("2027-02-09", "春节补假"),
        ("2027-02-10", "春节补假"),
        ("2027-02-13", "周末"),
        ("2027-02-14", "周末"),
    )
    assert result.worked == ()  # the fallback cannot know the 调休 swaps


def test_labour_day_is_two_days_and_made_up_after_a_weekend():
    """放假办法 第二条 (劳动节 1–2 May since 2025) and 第六条: Friday 30 April 2027 + 1 working
    day skips Sat 1 and Sun 2 May and their make-up days Mon 3 and Tue 4: Wednesday 5 May."""
    result = add_working_days(start=D("2027-04-30"), days=1)
    assert result.deadline == D("2027-05-05")
    assert [day.reason for day in result.skipped] == [
        "劳动节", "劳动节", "劳动节补假", "劳动节补假"
    ]  # fmt: skip


def test_a_month_period_ending_on_qingming_moves_to_the_next_working_day():
    """民法典 第二百零二条、第二百零三条 and 放假办法 第二条: 5 March 2027 + 1 month is Monday
    5 April, 清明 (the solar term), a rest day; the period ends on Tuesday 6 April."""
    result = add_months(start=D("2027-03-05"), months=1)
    assert result.deadline == D("2027-04-06")
    assert result.skipped == skipped(("2027-04-05", "清明节"))
    assert result.provisional


def test_a_new_year_on_a_saturday_is_made_up_on_monday():
    """民法典 第二百零一条 and 放假办法 第六条: one working day after Friday 31 December 2027 is
    Tuesday 4 January 2028 (元旦 Saturday, Sunday, and 元旦's make-up day Monday 3 January)."""
    result = add_working_days(start=D("2027-12-31"), days=1)
    assert result.deadline == D("2028-01-04")
    assert result.skipped == skipped(
        ("2028-01-01", "元旦"), ("2028-01-02", "周末"), ("2028-01-03", "元旦补假")
    )


def test_every_year_in_range_has_thirteen_holiday_days_and_no_more():
    """放假办法 第二条: 13 days a year (1 + 4 + 1 + 2 + 1 + 1 + 3), each either on its own date or
    made up (第六条), for every year the calculator accepts; none falls on another's day."""
    for year in range(1900, 2207, 7):
        days = fallback.holidays(year)
        on_weekends = [d for d, h in days.items() if not h.made_up and d.weekday() >= 5]
        assert len(days) - len(on_weekends) == 13, year
        assert all(day.weekday() < 5 for day, holiday in days.items() if holiday.made_up)
        assert {day.year for day in days} == {year}
        assert min(days) == date(year, 1, 1) and max(days) < date(year, 10, 1) + timedelta(9)


def test_the_calculator_lists_the_fallbacks_holidays_and_says_which_rules_it_used(public_client):
    """放假办法 第二条、第六条: the page names each fallback holiday and make-up day it skipped,
    and its provisional warning states the rules since 2025, not the old fixed dates."""
    from .test_calculator_page import result_rows, text_of

    response = public_client.get(
        "/workdays/calculator/", {"start": "2027-02-03", "count": "5", "unit": "working_days"}
    )
    text = text_of(response)
    assert "期限届满日 2027-02-16 （星期二）" in text
    assert "暂定结果" in text
    assert "春节（除夕至正月初三）" in text and "劳动节（5月1日至2日）" in text
    assert "在其后的第一个工作日补假" in text
    assert result_rows(response)[:6] == [
        ["2027-02-05", "星期五", "春节"],
        ["2027-02-06", "星期六", "春节"],
        ["2027-02-07", "星期日", "春节"],
        ["2027-02-08", "星期一", "春节"],
        ["2027-02-09", "星期二", "春节补假"],
        ["2027-02-10", "星期三", "春节补假"],
    ]
