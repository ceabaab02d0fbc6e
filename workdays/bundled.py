"""The holiday schedules bundled with the chinese-calendar library, in our own terms.

The library names holidays in English; the portal stores the Chinese names used in the State
Council's notices. It knows a fixed range of years and raises for any other, so every access is
guarded here: a year it lacks simply has no bundled schedule.
"""

from datetime import date

import chinese_calendar
from django.utils.translation import gettext_noop

from .models import SpecialDay

LIBRARY_SOURCE = f"chinese-calendar {chinese_calendar.__version__}"

# gettext_noop: stored names are Chinese data, but marked so that `deadlines` can show them
# translated (the reason a day was skipped).
HOLIDAY_NAMES = {
    "New Year's Day": gettext_noop("元旦"),
    "Spring Festival": gettext_noop("春节"),
    "Tomb-sweeping Day": gettext_noop("清明节"),
    "Labour Day": gettext_noop("劳动节"),
    "Dragon Boat Festival": gettext_noop("端午节"),
    "Mid-autumn Festival": gettext_noop("中秋节"),
    "National Day": gettext_noop("国庆节"),
    "Anti-Fascist 70th Day": gettext_noop("抗战胜利70周年纪念日"),
}


def chinese_name(english: str) -> str:
    """The stored (Chinese) name of a library holiday; an unknown one is kept as given."""
    return HOLIDAY_NAMES.get(english, english)


def bundled_years() -> list[int]:
    """Every year the installed library has a schedule for."""
    return sorted({day.year for day in chinese_calendar.holidays} | _workday_years())


def _workday_years() -> set[int]:
    return {day.year for day in chinese_calendar.workdays}


def bundled_days(year: int) -> list[tuple[date, str, str]]:
    """(date, kind, name) of the year's special days; empty for a year the library lacks."""
    holidays = [
        (day, SpecialDay.Kind.HOLIDAY, chinese_name(name))
        for day, name in chinese_calendar.holidays.items()
        if day.year == year
    ]
    workdays = [
        (day, SpecialDay.Kind.WORKDAY, chinese_name(name))
        for day, name in chinese_calendar.workdays.items()
        if day.year == year
        and day.weekday() >= 5  # only a weekend day made working changes anything
    ]
    return sorted(holidays + workdays)
