"""Deadline arithmetic under the Civil Code's rules on periods (民法典 第二百零一条至第二百零三条).

- Art. 201: the day the period starts (the triggering event) is not counted.
- Art. 202: a period in months ends on the corresponding day of the last month, or on that
  month's last day where there is no corresponding day.
- Art. 203: a period whose last day is a statutory rest day ends on the first working day after.

Working days follow the loaded holiday schedule (holidays, and weekend days made working days,
调休). A year whose schedule is not loaded falls back to Monday–Friday minus the statutory
holidays under the rules in force since 2025, each made up after a weekend (`workdays.fallback`),
and every result that relied on that fallback is marked provisional.

A result explains itself: every rest day passed over (`skipped`) and every weekend day counted
as a working day because the schedule made it one (`worked`, 调休上班日), each with its reason.

Each call reads the calendar for the dates it needs in two queries (not one per day).
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import fallback
from .models import CalendarYear, SpecialDay

MAX_WORKING_DAYS = 1000
MAX_MONTHS = 120
# Far enough for any real period, near enough that date arithmetic can never overflow.
MIN_START = date(1900, 1, 1)
MAX_START = date(2200, 12, 31)

WORKING_DAYS_MESSAGE = _("工作日数须为 1 至 %(max)s 之间的整数。")
DAYS_MESSAGE = _("日数须为 1 至 %(max)s 之间的整数。")
MONTHS_MESSAGE = _("月数须为 1 至 %(max)s 之间的整数。")


@dataclass(frozen=True)
class SkippedDay:
    date: date
    reason: str  # human text in the active language: "周末", or the holiday's name


@dataclass(frozen=True)
class WorkedDay:
    date: date
    reason: str  # human text in the active language: "国庆节调休上班日"


@dataclass(frozen=True)
class Deadline:
    deadline: date
    provisional: bool  # some day examined lies in a year whose schedule is not loaded
    skipped: tuple[SkippedDay, ...]  # every rest day passed over, in date order
    # Every Saturday or Sunday counted as a working day (调休上班日), in date order: a working
    # day counted, or the last day of a period that may end on it.
    worked: tuple[WorkedDay, ...] = ()


class _Calendar:
    """The special days and loaded years for a window of dates, read once per computation."""

    def __init__(self, first: date, last: date) -> None:
        self._days: dict[date, tuple[str, str]] = {}
        self._loaded: set[int] = set()
        self._first, self._last = first, first - timedelta(days=1)
        self._extend(last)

    def _extend(self, last: date) -> None:
        first = self._last + timedelta(days=1)
        # Years are read before days, so a day can be trusted only if its year is loaded.
        self._loaded |= set(
            CalendarYear.objects.filter(
                year__gte=first.year, year__lte=last.year, schedule_loaded=True
            ).values_list("year", flat=True)
        )
        rows = SpecialDay.objects.filter(
            date__gte=first, date__lte=last, calendar_year__schedule_loaded=True
        ).values_list("date", "kind", "name")
        self._days.update({day: (kind, name) for day, kind, name in rows})
        self._last = last

    def _ensure(self, day: date) -> None:
        if day > self._last:
            # Grow by at least a year, so that a long walk costs a few queries, not one a day.
            self._extend(max(day, self._last + timedelta(days=366)))

    def is_provisional(self, day: date) -> bool:
        self._ensure(day)
        return day.year not in self._loaded

    def rest_reason(self, day: date) -> str | None:
        """Why `day` is a rest day, in the active language; None for a working day."""
        self._ensure(day)
        if day.year in self._loaded:
            kind, name = self._days.get(day, (None, ""))
            if kind == SpecialDay.Kind.WORKDAY:
                return None
            if kind == SpecialDay.Kind.HOLIDAY:
                return gettext(name)
        else:
            holiday = fallback.holidays(day.year).get(day)
            if holiday is not None and holiday.made_up:
                return gettext("%(name)s补假") % {"name": gettext(holiday.name)}
            if holiday is not None:
                return gettext(holiday.name)
        return gettext("周末") if day.weekday() >= 5 else None

    def worked_reason(self, day: date) -> str | None:
        """Why a Saturday or Sunday is a working day (调休), in the active language; else None.

        Only a loaded schedule makes weekend days working: the fallback cannot know the swaps.
        """
        self._ensure(day)
        if day.weekday() < 5 or day.year not in self._loaded:
            return None
        kind, name = self._days.get(day, (None, ""))
        if kind != SpecialDay.Kind.WORKDAY:
            return None
        if not name:
            return gettext("调休上班日")
        return gettext("%(name)s调休上班日") % {"name": gettext(name)}


def _check_start(start: date) -> None:
    if not MIN_START <= start <= MAX_START:
        raise ValidationError(
            _("开始日期须在 %(min)s 至 %(max)s 之间。"),
            code="start_out_of_range",
            params={"min": MIN_START.isoformat(), "max": MAX_START.isoformat()},
        )


def _check_count(value: int, maximum: int, message) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise ValidationError(message, code="count_out_of_range", params={"max": maximum})


def add_working_days(*, start: date, days: int) -> Deadline:
    """The `days`-th working day after `start` (Art. 201: the start day itself is not counted)."""
    _check_start(start)
    _check_count(days, MAX_WORKING_DAYS, WORKING_DAYS_MESSAGE)
    # Rest days are under half of all days even around the Spring Festival, so this window
    # almost always suffices; _Calendar grows it if not.
    cal = _Calendar(start + timedelta(days=1), start + timedelta(days=2 * days + 30))
    day, counted, skipped, worked, provisional = start, 0, [], [], False
    while counted < days:
        day += timedelta(days=1)
        provisional = provisional or cal.is_provisional(day)
        reason = cal.rest_reason(day)
        if reason is None:
            counted += 1
            if (why := cal.worked_reason(day)) is not None:
                worked.append(WorkedDay(day, why))
        else:
            skipped.append(SkippedDay(day, reason))
    return Deadline(
        deadline=day, provisional=provisional, skipped=tuple(skipped), worked=tuple(worked)
    )


def shift_months(start: date, months: int) -> date:
    """Art. 202: the corresponding day `months` later, or that month's last day if it has none."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_months(*, start: date, months: int) -> Deadline:
    """Art. 202 for the last day, then Art. 203: a rest day moves it to the next working day."""
    _check_start(start)
    _check_count(months, MAX_MONTHS, MONTHS_MESSAGE)
    return _ending_on_a_working_day(shift_months(start, months))


def add_days(*, start: date, days: int) -> Deadline:
    """A period of `days` days (Art. 201: counted from the day after `start`), its last day
    moved past any rest day by Art. 203."""
    _check_start(start)
    _check_count(days, MAX_WORKING_DAYS, DAYS_MESSAGE)
    return _ending_on_a_working_day(start + timedelta(days=days))


def _ending_on_a_working_day(last_day: date) -> Deadline:
    cal = _Calendar(last_day, last_day + timedelta(days=30))
    day, skipped = last_day, []
    while (reason := cal.rest_reason(day)) is not None:
        skipped.append(SkippedDay(day, reason))
        day += timedelta(days=1)
    provisional = any(cal.is_provisional(d) for d in _dates(last_day, day))
    # A period may end on a working Saturday: that is the one weekend day it counts.
    why = cal.worked_reason(day)
    worked = () if why is None else (WorkedDay(day, why),)
    return Deadline(deadline=day, provisional=provisional, skipped=tuple(skipped), worked=worked)


def calculate(*, start: date, working_days: int | None = None, months: int | None = None):
    """Exactly one of `working_days` and `months`: the entry point of the page and the API."""
    if (working_days is None) == (months is None):
        raise ValidationError(_("请填写工作日数或月数，二者只能选其一。"), code="one_count")
    if working_days is not None:
        return add_working_days(start=start, days=working_days)
    return add_months(start=start, months=months)


def is_working_day(day: date) -> bool:
    """Whether `day` is a working day (under the fallback rules if its year is not loaded)."""
    return _Calendar(day, day).rest_reason(day) is None


def _dates(first: date, last: date) -> Iterable[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)
