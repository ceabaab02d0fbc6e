"""R2: revision tasks opened by a change of legal basis or of functions, and their closing."""

from django.db import transaction
from django.utils import timezone

from ..models import PowerItem, RevisionTask


@transaction.atomic
def revision_tasks_close(*, item: PowerItem, actor, note: str) -> int:
    """Close the item's open revision tasks: it was republished or withdrawn (with `note`).

    Called by the publish and withdraw services; returns how many tasks it closed.
    """
    return RevisionTask.objects.filter(item=item, status=RevisionTask.Status.OPEN).update(
        status=RevisionTask.Status.CLOSED, closed_at=timezone.now(), closing_note=note[:200]
    )
