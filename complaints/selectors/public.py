"""Reads of the complaints app for the public."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .. import access_codes
from ..models import Complaint, ComplaintChannel, ComplaintEvent

# Compared against when the number is unknown, so that an unknown number and a wrong code take
# the same time and give the same answer.
_NO_DIGEST = access_codes.digest("")


def published_channels() -> QuerySet[ComplaintChannel]:
    """R14: every published channel, province first, then each city's tree; in each region the
    government's channel, then its departments' (by name)."""
    return ComplaintChannel.objects.filter(published=True).select_related("region", "agency")


def published_channel(*, pk: int) -> ComplaintChannel:
    """One published channel (404 otherwise), for its printed supervision card."""
    return get_object_or_404(published_channels(), pk=pk)


def complaint_by_access(*, number: str, access_code: str) -> Complaint | None:
    """The complaint with this register number, if `access_code` is its code; else None."""
    complaint = (
        Complaint.objects.select_related("agency", "region")
        .filter(number=(number or "").strip().upper())
        .first()
    )
    stored = complaint.access_code_hash if complaint else _NO_DIGEST
    if access_codes.matches(access_code, stored) and complaint is not None:
        return complaint
    return None


def public_steps(complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """R17: the steps the complainant is shown, oldest first (never internal ones)."""
    return complaint.timeline.filter(public=True).order_by("at", "pk")


def complaint_tracked(*, pk: int) -> Complaint | None:
    """The complaint whose access code this browser proved (its session holds the pk)."""
    return Complaint.objects.select_related("agency", "region").filter(pk=pk).first()
