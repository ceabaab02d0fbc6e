"""Celery tasks of the working-day calendar: thin, idempotent, taking plain ids."""

from celery import shared_task
from django.utils.timezone import localdate

from . import recompute


@shared_task(acks_late=True)
def recompute_deadlines(year: int) -> dict[str, int]:
    """Recompute every registered app's open deadlines after `year`'s schedule changed."""
    return recompute.recompute_year(year)


@shared_task(acks_late=True)
def sweep_provisional_deadlines() -> dict[int, dict[str, int]]:
    """The safety net: recompute every open deadline from last year on, once a day.

    A recomputer given a year reaches every open deadline on or after 1 January of it, so one
    call from last year covers every later year, loaded or not. That catches a recompute lost
    with the broker, and deadlines stored under older fallback rules (a release that changes
    the rules for years not yet loaded, as issue 11 did). The recomputers are idempotent, so
    running this daily writes nothing when nothing changed.
    """
    since = localdate().year - 1
    return {since: recompute.recompute_year(since)}
