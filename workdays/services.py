"""Writes to the working-day calendar. Each is atomic, validated, and records who did it.

Any change to a year's effective calendar schedules the recompute of stored deadlines in that
year (`workdays.tasks.recompute_deadlines`) once the transaction commits.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from .deadlines import calendar_changed
from .models import CalendarYear, SpecialDay


@dataclass(frozen=True)
class DayInput:
    """One special day as given by the library, an uploaded file or the admin."""

    date: date
    kind: str  # SpecialDay.Kind
    name: str = ""


def _change_reason(source: str) -> str:
    return source[:100]  # simple_history's reason column is 100 characters


def _schedule_recompute(year: int) -> None:
    from .tasks import recompute_deadlines

    transaction.on_commit(lambda: recompute_deadlines.delay(year))


def _validated_days(calendar_year: CalendarYear, days: Iterable[DayInput]) -> list[SpecialDay]:
    """The new days as unsaved models, validated in Python (the database checks them again)."""
    result, errors, seen = [], [], set()
    for entry in days:
        day = SpecialDay(
            date=entry.date, kind=entry.kind, name=entry.name.strip(), calendar_year=calendar_year
        )
        if entry.date in seen:
            errors.append(_("日期 %(date)s 重复。") % {"date": entry.date.isoformat()})
        seen.add(entry.date)
        try:
            # Uniqueness and foreign keys would cost queries per day; the replace below and
            # the database constraints take care of them.
            day.full_clean(
                exclude=["calendar_year"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            errors.extend(f"{entry.date.isoformat()}：{m}" for m in exc.messages)
        result.append(day)
    if errors:
        raise ValidationError(errors)
    return result


def _replace_days(calendar_year: CalendarYear, new_days: list[SpecialDay], *, actor, reason: str):
    """Make the stored days equal `new_days`, touching (and historising) only what differs."""
    existing = {day.date: day for day in calendar_year.special_days.all()}
    wanted = {day.date: day for day in new_days}
    changed = False
    for when, old in existing.items():
        new = wanted.get(when)
        if new is None:
            old._history_user, old._change_reason = actor, reason
            old.delete()
            changed = True
        elif (old.kind, old.name) != (new.kind, new.name):
            old.kind, old.name = new.kind, new.name
            old._history_user, old._change_reason = actor, reason
            old.save(update_fields=["kind", "name"])
            changed = True
    to_create = [day for when, day in wanted.items() if when not in existing]
    if to_create:
        bulk_create_with_history(
            to_create, SpecialDay, default_user=actor, default_change_reason=reason
        )
    return changed or bool(to_create)


@transaction.atomic
def calendar_year_save(
    *,
    year: int,
    days: Iterable[DayInput],
    source: str,
    schedule_loaded: bool,
    actor,
    note: str | None = None,
) -> CalendarYear:
    """Create or update `year` with exactly `days` as its special days.

    `schedule_loaded=False` keeps the year a draft: deadlines keep using the fallback rules.
    """
    calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
    created = calendar_year is None
    if created:
        calendar_year = CalendarYear(year=year)
    was_loaded = calendar_year.schedule_loaded
    before = (calendar_year.schedule_loaded, calendar_year.source, calendar_year.note)
    calendar_year.schedule_loaded = schedule_loaded
    calendar_year.source = source.strip()
    if note is not None:
        calendar_year.note = note
    calendar_year.full_clean(validate_unique=created)
    reason = _change_reason(source)
    calendar_year._history_user, calendar_year._change_reason = actor, reason
    if created:
        calendar_year.save()  # the days need it to exist

    new_days = _validated_days(calendar_year, days)
    days_changed = _replace_days(calendar_year, new_days, actor=actor, reason=reason)
    fields_changed = before != (schedule_loaded, calendar_year.source, calendar_year.note)
    # Saving an unchanged year would only add an empty version to its history.
    if not created and (fields_changed or days_changed):
        calendar_year.save()
    # Only the effective calendar matters to deadlines: a draft's days do not count yet.
    if was_loaded != schedule_loaded or (schedule_loaded and days_changed):
        calendar_changed()  # the days go in by a bulk insert, which sends no signal
        _schedule_recompute(year)
    return calendar_year


def calendar_year_load(
    *, year: int, days: Iterable[DayInput], source: str, actor, note: str | None = None
) -> CalendarYear:
    """Load a year's official schedule, replacing its special days, and flag it loaded."""
    return calendar_year_save(
        year=year, days=days, source=source, schedule_loaded=True, actor=actor, note=note
    )


@transaction.atomic
def calendar_year_delete(*, calendar_year: CalendarYear, actor) -> None:
    """Remove a year and its days; its deadlines fall back to the provisional rules."""
    calendar_year = CalendarYear.objects.select_for_update().get(pk=calendar_year.pk)
    was_loaded, year = calendar_year.schedule_loaded, calendar_year.year
    for day in calendar_year.special_days.all():
        day._history_user = actor
        day.delete()
    calendar_year._history_user = actor
    calendar_year.delete()
    if was_loaded:
        _schedule_recompute(year)
