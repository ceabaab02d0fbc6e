"""R26: which clues a user may read. Supervisors read their region's and below (by the unit
concerned); the handler reads the clues assigned to them; nobody else reads any. Agency staff do
not read the clues against their own unit (a clue is an investigation of them)."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.timezone import localdate

from portal.roles import Role, role_of
from portal.scoping import visible_agencies

from ..models import Clue

LIST_RELATED = ("agency", "region", "handler")


def clues_visible(user) -> QuerySet[Clue]:
    role = role_of(user)
    if role == Role.SYSADMIN:
        return Clue.objects.all()
    if role == Role.SUPERVISOR:
        return Clue.objects.filter(
            Q(agency__in=visible_agencies(user).values("pk")) | Q(handler=user)
        )
    return Clue.objects.none()


def clue_for(*, user, pk: int) -> Clue:
    """One clue the user may read, or 404 (a clue out of scope is indistinguishable from none)."""
    queryset = clues_visible(user).select_related(
        "agency__region",
        "region",
        "handler",
        "registered_by",
        "closed_by",
        "complaint",
        "inspection",
        "file_review__case",
        "remedy_outcome__case",
        "traced_from",
        "traced_complaint",
        "traced_person",
        "supervising_office",
    )
    return get_object_or_404(queryset, pk=pk)


def clues_list(
    *, user, status=None, source=None, agency_id=None, overdue=False, handler=None
) -> QuerySet[Clue]:
    rows = clues_visible(user)
    if status:
        rows = rows.filter(status=status)
    if source:
        rows = rows.filter(source=source)
    if agency_id:
        rows = rows.filter(agency_id=agency_id)
    if overdue:
        rows = rows.exclude(status=Clue.Status.CLOSED).filter(due_on__lt=localdate())
    if handler is not None:
        rows = rows.filter(handler=handler)
    return rows.select_related(*LIST_RELATED).order_by("-registered_at", "-pk")


def handler_candidates(*, clue: Clue) -> QuerySet:
    """Supervisors who may be named handler: over the unit concerned, active, not of that unit
    (the service decides; this only fills the form's choices)."""
    path = clue.agency.region.path
    prefixes = {path[: i + 1] for i, ch in enumerate(path) if ch == "/"}
    users = (
        get_user_model()
        .objects.filter(
            groups__name=Role.SUPERVISOR.value, is_active=True, region__path__in=prefixes
        )
        .exclude(agency=clue.agency)
        .order_by("username")
    )
    if clue.agency.is_legal_office:  # its own government's supervisors work in it
        users = users.exclude(region=clue.agency.region_id)
    return users
