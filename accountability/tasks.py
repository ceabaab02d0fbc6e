"""Celery tasks of the accountability app: thin and idempotent."""

from celery import shared_task

from .services.clues import clues_sweep
from .services.cooperation import cooperation_export_last_month
from .services.proceeding_sweep import proceedings_sweep


@shared_task(acks_late=True)
def sweep_clues() -> dict[str, int]:
    """R26 (beat): escalate overdue clues once and trace the units that sat on them."""
    return clues_sweep()


@shared_task(acks_late=True)
def export_cooperation() -> int:
    """R12 (beat, monthly): last month's shared-information export of every supervised region."""
    return cooperation_export_last_month()


@shared_task(acks_late=True)
def sweep_proceedings() -> dict[str, int]:
    """R24 (beat): remind each case's open step once before its limit, escalate it once after."""
    return proceedings_sweep()
