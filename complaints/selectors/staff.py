"""Reads of the complaints app that depend on who asks (the scoping of `complaints.privacy`)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.timezone import localdate

from portal.scoping import visible_agencies

from ..models import AgencyRequest, Complaint
from ..privacy import complaints_visible_to
from ..services.deadlines import warning_horizon


def register_rows(
    *, user, status: str = "", year: int | None = None, agency_id=None, number: str = ""
) -> QuerySet[Complaint]:
    """The register as `user` may read it, newest first, with what a row shows."""
    rows = complaints_visible_to(user).select_related("agency", "region", "handler")
    if status:
        rows = rows.filter(status=status)
    if year:
        rows = rows.filter(year=year)
    if agency_id:
        rows = rows.filter(agency_id=agency_id)
    if number:
        rows = rows.filter(number__icontains=number.strip())
    return rows.order_by("-registered_at", "-pk")


def complaint_for(*, user, pk: int) -> Complaint:
    """One complaint `user` may read (404 otherwise, as if it did not exist)."""
    return get_object_or_404(
        complaints_visible_to(user).select_related("agency", "region", "handler", "decided_by"),
        pk=pk,
    )


@dataclass(frozen=True)
class Warning:
    complaint: Complaint
    overdue: bool  # red; otherwise due within the warning horizon (yellow)


def early_warnings(*, user, today: date | None = None) -> list[Warning]:
    """Open complaints due within two working days (yellow) or overdue (red), most urgent first."""
    today = today or localdate()
    rows = (
        complaints_visible_to(user)
        .filter(due_on__isnull=False, due_on__lte=warning_horizon(today))
        .select_related("agency", "region", "handler")
        .order_by("due_on", "pk")
    )
    return [Warning(complaint=c, overdue=c.due_on < today) for c in rows]


def requests_for(*, user, answered: bool | None = None) -> QuerySet[AgencyRequest]:
    """The written-response requests addressed to the agencies `user` acts for."""
    rows = AgencyRequest.objects.filter(agency__in=visible_agencies(user).values("pk"))
    if answered is not None:
        rows = rows.filter(answered_at__isnull=not answered)
    return rows.select_related("complaint", "agency").order_by("answered_at", "respond_by", "pk")


def request_for(*, user, pk: int) -> AgencyRequest:
    return get_object_or_404(requests_for(user=user), pk=pk)
