"""Celery tasks of the working-day calendar: thin, idempotent, taking plain ids."""

from celery import shared_task

from . import recompute


@shared_task(acks_late=True)
def recompute_deadlines(year: int) -> dict[str, int]:
    """Recompute every registered app's open deadlines after `year`'s schedule changed."""
    return recompute.recompute_year(year)
