"""Every weekend day counted as a working day (调休上班日) is explained, as every skipped day is.

Working days follow the State Council's yearly schedule, including the weekend days it makes
working days (the working-day rules; 民法典 第二百零一条至第二百零三条 for the counting). A reader
of a deadline must see why a Saturday or Sunday was counted: the arithmetic returns them
(`Deadline.worked`), the API lists them (`worked`), and the calculator shows them.
"""

import re
from datetime import date

import pytest

from workdays.deadlines import WorkedDay, add_days, add_months, add_working_days
from workdays.services import DayInput, calendar_year_load

from .test_calculator_page import text_of

pytestmark = pytest.mark.django_db

D = date.fromisoformat
API = "/api/v1/workdays/deadline/"
CALCULATOR = "/workdays/calculator/"


def worked_rows(response) -> list[list[str]]:
    table = re.search(r'<table class="list worked">.*?</table>', response.content.decode(), re.S)
    if table is None:
        return []
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table.group(0))
    return [list(row) for row in rows]


def test_a_working_saturday_counted_is_listed_with_its_holiday():
    """调休 and 民法典 第二百零一条: from Monday 28 September 2026, five working days are 29 and
    30 September, 8 and 9 October and Saturday 10 October, a working day for National Day."""
    result = add_working_days(start=D("2026-09-28"), days=5)
    assert result.deadline == D("2026-10-10")
    assert result.worked == (WorkedDay(D("2026-10-10"), "国庆节调休上班日"),)
    assert len(result.skipped) == 7


def test_only_the_working_weekend_days_reached_are_listed():
    """调休: from Friday 13 February 2026, Saturday 14 (春节调休) is working day 1 and the
    period ends on Friday 27; the other working Saturday, 28 February, is not reached. One
    day more reaches it and lists both."""
    five = add_working_days(start=D("2026-02-13"), days=5)
    assert five.deadline == D("2026-02-27")
    assert five.worked == (WorkedDay(D("2026-02-14"), "春节调休上班日"),)
    six = add_working_days(start=D("2026-02-13"), days=6)
    assert [day.date for day in six.worked] == [D("2026-02-14"), D("2026-02-28")]


def test_a_period_in_days_ending_on_a_working_saturday_ends_there_and_says_why():
    """民法典 第二百零三条 moves only a last day that is a rest day: 10 September 2026 + 30 days is
    Saturday 10 October, a working day (调休), so the period ends on it and says why."""
    result = add_days(start=D("2026-09-10"), days=30)
    assert result.deadline == D("2026-10-10")
    assert result.skipped == ()
    assert result.worked == (WorkedDay(D("2026-10-10"), "国庆节调休上班日"),)


def test_a_swap_without_a_holiday_name_is_still_explained():
    """调休: an administrator may load a working Saturday without naming the holiday."""
    calendar_year_load(
        year=2027,
        days=[DayInput(date=D("2027-02-20"), kind="workday", name="")],
        source="测试",
        actor=None,
    )
    result = add_working_days(start=D("2027-02-19"), days=1)
    assert result.deadline == D("2027-02-20")
    assert result.worked == (WorkedDay(D("2027-02-20"), "调休上班日"),)


def test_a_period_ending_on_an_ordinary_weekday_lists_no_working_weekend_day():
    assert add_months(start=D("2026-10-13"), months=1).worked == ()


def test_the_api_lists_each_working_weekend_day_with_its_reason(public_client):
    """调休: the API adds `worked` beside `skipped`; the three older keys are unchanged."""
    body = public_client.get(API, {"start": "2026-09-28", "working_days": "5"}).json()
    assert body["deadline"] == "2026-10-10"
    assert body["provisional"] is False
    assert body["skipped"][0] == {"date": "2026-10-01", "reason": "国庆节"}
    assert body["worked"] == [{"date": "2026-10-10", "reason": "国庆节调休上班日"}]


def test_the_calculator_explains_each_working_weekend_day(public_client):
    """调休: the calculator lists the working Saturday it counted, with its weekday and reason,
    as it lists the skipped days."""
    response = public_client.get(
        CALCULATOR, {"start": "2026-09-28", "count": "5", "unit": "working_days"}
    )
    text = text_of(response)
    assert "期限届满日 2026-10-10 （星期六）" in text
    assert "计入的调休上班日（1 天）" in text
    assert worked_rows(response) == [["2026-10-10", "星期六", "国庆节调休上班日"]]


def test_the_calculator_says_nothing_of_working_weekend_days_when_none_was_counted(
    public_client,
):
    response = public_client.get(
        CALCULATOR, {"start": "2026-09-30", "count": "1", "unit": "working_days"}
    )
    assert "调休上班日（" not in text_of(response)
    assert worked_rows(response) == []
