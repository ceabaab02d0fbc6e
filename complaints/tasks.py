"""Celery tasks of the complaints app: thin, idempotent, taking plain ids."""

from celery import shared_task

from .services import deadlines, notifications


@shared_task(acks_late=True)
def deliver_notifications(pks: list[int]) -> int:
    """Send the notices a change queued (those already sent are skipped)."""
    return notifications.notifications_deliver(pks=pks)


@shared_task(acks_late=True)
def deliver_pending_notifications() -> int:
    """The safety net (beat): send every notice a task did not, e.g. while the broker was down."""
    return notifications.notifications_deliver()


@shared_task(acks_late=True)
def sweep_deadlines() -> dict[str, int]:
    """R16, R17 (beat): remind and escalate complaints' deadlines, each once, then deliver."""
    counts = deadlines.complaint_deadlines_sweep()
    counts["delivered"] = notifications.notifications_deliver()
    return counts
