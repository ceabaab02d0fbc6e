"""Reads of the complaints app."""

from django.db.models import QuerySet

from ..models import ComplaintChannel


def published_channels() -> QuerySet[ComplaintChannel]:
    """R14: every government's published channels, province first, then each city's tree."""
    return ComplaintChannel.objects.filter(published=True).select_related("region")
