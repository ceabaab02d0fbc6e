"""The hook that recomputes stored deadlines when a year's holiday schedule is loaded or changed.

A deadline computed for a year without a loaded schedule is provisional (Monday–Friday minus the
fixed-date holidays). Apps that store deadlines register a recomputer here, usually in their
AppConfig.ready():

    from workdays import recompute
    recompute.register("complaints.acknowledge_by", recompute_acknowledge_by)

where `recompute_acknowledge_by(year: int) -> int` recomputes every open deadline of that app
falling on or after 1 January of `year` (provisional or not: a published schedule can be amended
or removed) and returns how many it changed. A deadline that moves gets an entry in its owner's
timeline saying from which date to which and why (`ScheduleNotes` gives the why). Recomputers
must be idempotent: the task may run more than once for the same change, and a second run finds
nothing to move and writes nothing.

The registry is filled at import time by code, identically in every process; it holds no
state that differs between web and worker processes.
"""

import logging
from collections.abc import Callable
from datetime import date

from django.utils.translation import gettext as _

from .models import CalendarYear

logger = logging.getLogger(__name__)

Recomputer = Callable[[int], int]

_registry: dict[str, Recomputer] = {}


def register(name: str, func: Recomputer) -> None:
    """Register (or replace, so that re-importing is harmless) the recomputer called `name`."""
    _registry[name] = func


def unregister(name: str) -> None:
    _registry.pop(name, None)


def registered() -> dict[str, Recomputer]:
    return dict(_registry)


def recompute_year(year: int) -> dict[str, int]:
    """Run every recomputer for `year`; returns how many deadlines each one changed.

    One failing recomputer must not stop the others: it is logged and re-raised at the end, so
    that the task is retried (the others are idempotent and simply find nothing to do).
    """
    counts: dict[str, int] = {}
    failures: list[Exception] = []
    for name, func in sorted(_registry.items()):
        try:
            counts[name] = func(year)
        except Exception as exc:  # noqa: BLE001 - isolate one app's bug from the others
            logger.exception("Recomputing deadlines of %s for %s failed", name, year)
            failures.append(exc)
    if failures:
        raise failures[0]
    logger.info("Recomputed deadlines for %s: %s", year, counts)
    return counts


class ScheduleNotes:
    """Why a recomputed deadline lies where it does now: the schedule its year follows, in
    words for a timeline (one query per year, however many deadlines a recomputer moves)."""

    def __init__(self) -> None:
        self._by_year: dict[int, str] = {}

    def __call__(self, day: date) -> str:
        if day.year not in self._by_year:
            self._by_year[day.year] = self._note(day.year)
        return self._by_year[day.year]

    @staticmethod
    def _note(year: int) -> str:
        source = (
            CalendarYear.objects.filter(year=year, schedule_loaded=True)
            .values_list("source", flat=True)
            .first()
        )
        if source is None:
            return _(
                "%(year)s 年节假日安排尚未载入，暂按《全国年节及纪念日放假办法》推算，"
                "国务院安排公布并载入后将再次计算"
            ) % {"year": year}
        if not source:
            return _("按已载入的 %(year)s 年节假日安排重新计算") % {"year": year}
        return _("按已载入的 %(year)s 年节假日安排（%(source)s）重新计算") % {
            "year": year,
            "source": source,
        }


def moved_note(*, what: str, old: date, old_provisional: bool, new, why: str) -> str:
    """The timeline's words for a deadline that moved: "<what>由 <old> 调整为 <new>：<why>。"

    `new` is the recomputed `workdays.deadlines.Deadline`.
    """
    provisional = _("（暂定）")
    return _("%(what)s由 %(old)s%(old_mark)s 调整为 %(new)s%(new_mark)s：%(why)s。") % {
        "what": what,
        "old": f"{old:%Y-%m-%d}",
        "old_mark": provisional if old_provisional else "",
        "new": f"{new.deadline:%Y-%m-%d}",
        "new_mark": provisional if new.provisional else "",
        "why": why,
    }
