"""Each process keeps the working-day calendar once read (issue 15: no calendar query per filing):
a second computation sends no query; a change made here is seen at once and is never kept if it
is rolled back; a change made by another process (a new token in the shared cache) empties the
copy."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from workdays import deadlines
from workdays.deadlines import add_working_days
from workdays.models import CalendarYear, SpecialDay
from workdays.services import DayInput, calendar_year_save

pytestmark = pytest.mark.django_db(transaction=True)

FRIDAY = date(2027, 3, 5)  # 2027 has no bundled schedule: the fallback, until one is saved


def queries_for(start: date) -> tuple[date, int]:
    with CaptureQueriesContext(connection) as queries:
        found = add_working_days(start=start, days=1).deadline
    return found, len(queries)


def monday_off(actor) -> None:
    calendar_year_save(
        year=2027,
        days=[DayInput(date(2027, 3, 8), "holiday", "测试假日")],
        source="测试",
        schedule_loaded=True,
        actor=actor,
    )


def test_a_second_computation_sends_no_query(sysadmin):
    assert queries_for(FRIDAY)[1] == 2
    assert queries_for(FRIDAY) == (date(2027, 3, 8), 0)


def test_a_change_made_here_counts_at_once(sysadmin):
    assert queries_for(FRIDAY)[0] == date(2027, 3, 8)
    monday_off(sysadmin)
    assert queries_for(FRIDAY)[0] == date(2027, 3, 9)
    assert queries_for(FRIDAY) == (date(2027, 3, 9), 0)  # committed: kept again


def test_a_change_rolled_back_is_not_kept(sysadmin):
    with pytest.raises(RuntimeError), transaction.atomic():
        monday_off(sysadmin)
        assert queries_for(FRIDAY)[0] == date(2027, 3, 9)  # this transaction sees its change
        raise RuntimeError("the administrator's save failed")
    assert queries_for(FRIDAY)[0] == date(2027, 3, 8)


def test_a_change_by_another_process_empties_the_copy(sysadmin):
    assert queries_for(FRIDAY)[0] == date(2027, 3, 8)
    # Another process writes the schedule (no signal here) and, as it commits, a new token.
    year = CalendarYear.objects.bulk_create(
        [CalendarYear(year=2027, source="测试", schedule_loaded=True)]
    )[0]
    SpecialDay.objects.bulk_create(
        [SpecialDay(calendar_year=year, date=date(2027, 3, 8), kind="holiday", name="测试假日")]
    )
    assert queries_for(FRIDAY)[0] == date(2027, 3, 8)  # the copy, until the token changes
    cache.set(deadlines.TOKEN_KEY, "written by another process")
    assert queries_for(FRIDAY)[0] == date(2027, 3, 9)


def test_a_lost_token_is_read_as_a_change(sysadmin):
    assert queries_for(FRIDAY)[1] == 2
    cache.delete(deadlines.TOKEN_KEY)
    assert queries_for(FRIDAY)[1] == 2
