"""Celery tasks of the working-day calendar: thin, idempotent, taking plain ids."""

from celery import shared_task
from django.utils.timezone import localdate

from . import recompute
from .models import CalendarYear


@shared_task(acks_late=True)
def recompute_deadlines(year: int) -> dict[str, int]:
    """Recompute every registered app's open deadlines after `year`'s schedule changed."""
    return recompute.recompute_year(year)


@shared_task(acks_late=True)
def sweep_provisional_deadlines() -> dict[int, dict[str, int]]:
    """The safety net for a lost broker: recompute again every loaded year from last year on.

    Provisional deadlines can only lie in years that were not loaded when they were computed,
    which are never in the past; the recomputers are idempotent, so running this daily is safe.
    """
    since = localdate().year - 1
    years = CalendarYear.objects.filter(schedule_loaded=True, year__gte=since)
    return {year: recompute.recompute_year(year) for year in years.values_list("year", flat=True)}
