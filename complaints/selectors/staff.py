"""Reads of the complaints app that depend on who asks (the scoping of `complaints.privacy`)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
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


def warning_rows(*, user, today: date) -> QuerySet[Complaint]:
    """Open complaints due within two working days or overdue, most urgent first (the partial
    index of open deadlines)."""
    return (
        complaints_visible_to(user)
        .filter(due_on__isnull=False, due_on__lte=warning_horizon(today))
        .select_related("agency", "region", "handler")
        .order_by("due_on", "pk")
    )


def warning_counts(rows: QuerySet[Complaint], *, today: date) -> dict[str, int]:
    """How many of `rows` (warning_rows) are red (overdue) and yellow, in one query."""
    return rows.aggregate(
        red=Count("pk", filter=Q(due_on__lt=today)),
        yellow=Count("pk", filter=Q(due_on__gte=today)),
    )


def early_warnings(*, user, today: date | None = None) -> list[Warning]:
    """Every warning, red (overdue) or yellow (due within two working days)."""
    today = today or localdate()
    return [
        Warning(complaint=c, overdue=c.due_on < today) for c in warning_rows(user=user, today=today)
    ]


def requests_for(*, user, answered: bool | None = None) -> QuerySet[AgencyRequest]:
    """The written-response requests addressed to the agencies `user` acts for."""
    rows = AgencyRequest.objects.filter(agency__in=visible_agencies(user).values("pk"))
    if answered is not None:
        rows = rows.filter(answered_at__isnull=not answered)
    return rows.select_related("complaint", "agency").order_by("answered_at", "respond_by", "pk")


def request_for(*, user, pk: int) -> AgencyRequest:
    return get_object_or_404(requests_for(user=user), pk=pk)
