"""R24: which accountability cases a user may read. Supervisors read the cases of their region
and below (by the unit concerned) and those they handle; the administrator reads all (and acts on
none); nobody else reads the register: the unit's staff do not read the file of the case against
them (the accused's own notice and decision pages are the defences' and decisions')."""

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from portal.roles import Role, role_of
from portal.scoping import visible_agencies

from ..models import Accused, Proceeding, ResponsibilityShare

LIST_RELATED = ("agency", "handler", "clue")


def proceedings_visible(user) -> QuerySet[Proceeding]:
    role = role_of(user)
    if role == Role.SYSADMIN:
        return Proceeding.objects.all()
    if role == Role.SUPERVISOR:
        return Proceeding.objects.filter(
            Q(agency__in=visible_agencies(user).values("pk")) | Q(handler=user)
        )
    return Proceeding.objects.none()


def proceedings_list(*, user, step=None, agency_id=None, handler=None) -> QuerySet[Proceeding]:
    rows = proceedings_visible(user)
    if step:
        rows = rows.filter(step=step)
    if agency_id:
        rows = rows.filter(agency_id=agency_id)
    if handler is not None:
        rows = rows.filter(handler=handler)
    return rows.select_related(*LIST_RELATED).order_by("-opened_at", "-pk")


def proceedings_queue(*, user) -> QuerySet[Proceeding]:
    """The handler's open cases, nearest limit first (the `proceeding_queue` index)."""
    return (
        proceedings_visible(user)
        .filter(handler=user)
        .exclude(step=Proceeding.Step.CLOSED)
        .select_related(*LIST_RELATED)
        .order_by("step_due_on", "pk")
    )


def proceeding_for(*, user, pk: int) -> Proceeding:
    """One case the user may read, with what its page and API show, or 404."""
    queryset = (
        proceedings_visible(user)
        .select_related(
            "agency__region",
            "clue__region",
            "handler",
            "opened_by",
            "enforcement_case",
            "report__submitted_by",
        )
        .prefetch_related(
            Prefetch(
                "accused",
                queryset=Accused.objects.select_related("officer", "agency", "proposal"),
            ),
            Prefetch(
                "shares",
                queryset=ResponsibilityShare.objects.select_related(
                    "person", "officer", "confirmed_by"
                ),
            ),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def evidence_for(*, proceeding: Proceeding, pk: int):
    return get_object_or_404(proceeding.evidence.all(), pk=pk)
