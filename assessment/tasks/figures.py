"""Tasks of the computed figures (R20)."""

from celery import shared_task

from portal.models import User

from ..models import Cycle
from ..services.figures import figures_compute

__all__ = ["compute_figures"]


@shared_task(acks_late=True)
def compute_figures(cycle_id: int, *, actor_id: int | None = None) -> int:
    """Recompute a cycle's figures (idempotent: a rerun replaces them)."""
    cycle = Cycle.objects.get(pk=cycle_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return figures_compute(cycle=cycle, actor=actor)
