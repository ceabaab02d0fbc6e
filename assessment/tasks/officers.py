"""Tasks of the officers' evaluation."""

from celery import shared_task

from ..services.officers import china_today, officer_results_finalise

__all__ = ["finalise_officer_results"]


@shared_task
def finalise_officer_results() -> int:
    """R21, R22: the daily job making results final (idempotent: a second run finds none)."""
    return officer_results_finalise(today=china_today())
