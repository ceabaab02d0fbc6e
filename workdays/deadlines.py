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

Each process keeps the calendar's years once read (see `_YEARS`): a computation sends no query
for a year already read, and two for the years it lacks (not one per day).
"""

import calendar
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
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


# --- the calendar, kept in each process -------------------------------------------------------
#
# A computation reads the years it needs from `_YEARS`, this process's copy: a year read once is
# not read again, so a filing's acknowledgement deadline sends no query. A change of the calendar
# (a year or a day saved or deleted: the receivers `calendar_changed` in apps.py) empties every
# process's copy: it writes a new token to the shared cache (Redis in production) at once and
# again once the change commits, and each computation compares that token with its copy's, one
# cache read. Until the change commits, the process that made it reads the database directly,
# so that a copy never holds a change that may still be rolled back.

TOKEN_KEY = "workdays:calendar-token"
_YEARS: dict[int, tuple[bool, dict[date, tuple[str, str]]]] = {}
_local = threading.local()
_copy = {"token": None}


def calendar_cache_clear() -> None:
    """Forget this process's copy (the next computation reads the database)."""
    _YEARS.clear()
    _copy["token"] = None


def _new_token() -> None:
    cache.set(TOKEN_KEY, secrets.token_hex(8), timeout=None)


def calendar_changed(**kwargs) -> None:
    """A year or a day of the calendar changed: every process's copy is out of date."""
    calendar_cache_clear()
    _new_token()
    _local.uncommitted = True

    def committed():
        _local.uncommitted = False
        _new_token()

    transaction.on_commit(committed)


def _fresh() -> bool:
    """May this computation use the process's copy? Empties it if another process changed the
    calendar since it was read."""
    if getattr(_local, "uncommitted", False):
        if connection.in_atomic_block:
            return False
        _local.uncommitted = False  # that transaction is over (rolled back, or committed)
        calendar_cache_clear()
    token = cache.get(TOKEN_KEY)
    if token is None:
        _new_token()  # the shared cache lost it: nobody can say what changed
        token = cache.get(TOKEN_KEY)
    if token != _copy["token"]:
        calendar_cache_clear()
        _copy["token"] = token
    return True


def _read_years(years: range) -> dict[int, tuple[bool, dict[date, tuple[str, str]]]]:
    """Whether each year's schedule is loaded, and its special days, in two queries."""
    loaded = set(
        CalendarYear.objects.filter(
            year__gte=years.start, year__lt=years.stop, schedule_loaded=True
        ).values_list("year", flat=True)
    )
    found: dict[int, tuple[bool, dict]] = {year: (year in loaded, {}) for year in years}
    rows = SpecialDay.objects.filter(
        date__gte=date(years.start, 1, 1),
        date__lt=date(years.stop, 1, 1),
        calendar_year__schedule_loaded=True,
    ).values_list("date", "kind", "name")
    for day, kind, name in rows:
        found[day.year][1][day] = (kind, name)
    return found


class _Calendar:
    """The special days and loaded years for a window of dates, from the process's copy (or the
    database, for the years it lacks or while a change of this process is uncommitted)."""

    def __init__(self, first: date, last: date) -> None:
        self._cached = _fresh()
        self._years: dict[int, tuple[bool, dict]] = {}
        self._want(first.year, last.year)

    def _want(self, first: int, last: int) -> None:
        source = _YEARS if self._cached else {}
        missing = [year for year in range(first, last + 1) if year not in source]
        if missing:
            read = _read_years(range(min(missing), max(missing) + 1))
            if self._cached:
                _YEARS.update(read)
            source = {**source, **read}
        self._years.update({year: source[year] for year in range(first, last + 1)})

    def _year(self, day: date) -> tuple[bool, dict]:
        if day.year not in self._years:
            # The year and the next: a long walk costs a read a year or two, not one a day.
            self._want(day.year, day.year + 1)
        return self._years[day.year]

    def _kind(self, day: date) -> tuple[str | None, str]:
        return self._year(day)[1].get(day, (None, ""))

    def is_provisional(self, day: date) -> bool:
        return not self._year(day)[0]

    def rest_reason(self, day: date) -> str | None:
        """Why `day` is a rest day, in the active language; None for a working day."""
        if self._year(day)[0]:
            kind, name = self._kind(day)
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
        if day.weekday() < 5 or not self._year(day)[0]:
            return None
        kind, name = self._kind(day)
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
