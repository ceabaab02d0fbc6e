"""Reads for fines (R30): which banks may collect an agency's fines."""

from django.db.models import QuerySet

from ..models import Agency, CollectingBank


def banks_for(*, agency: Agency) -> QuerySet[CollectingBank]:
    """The active banks designated by the agency's region, or by the nearest region above it
    that designates any."""
    active = CollectingBank.objects.filter(is_active=True)
    nearest = agency.region.nearest(active)
    if nearest is None:
        return CollectingBank.objects.none()
    return active.filter(region_id=nearest.region_id).order_by("name", "pk")
