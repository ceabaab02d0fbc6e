"""Tasks of the departments' results."""

from celery import shared_task

from ..services import rectification

__all__ = ["sweep_rectification_orders"]


@shared_task(acks_late=True)
def sweep_rectification_orders() -> dict[str, int]:
    """R23, daily (beat): remind departments of orders nearly due, escalate overdue ones once."""
    return rectification.rectification_sweep()
