"""Reads of enforcement cases and jurisdiction disputes, scoped to who asks (`portal.scoping`)."""

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from guardian.shortcuts import get_objects_for_user

from portal.roles import Role, role_of
from portal.scoping import REVIEW, get_scoped_or_404, scope, visible_agencies

from ..models import (
    Agency,
    Case,
    CaseEvent,
    CaseOfficer,
    CaseRecord,
    Decision,
    Dispute,
    DisputeEvent,
    LegalReview,
    Stage,
)


def cases_for(*, user, stage: str = "", agency_id=None) -> QuerySet[Case]:
    """The cases `user` may read (its agency's; a supervisor's region and below), newest first."""
    rows = scope(Case.objects.select_related("agency", "opened_by"), user)
    if stage:
        rows = rows.filter(stage=stage)
    if agency_id:
        rows = rows.filter(agency_id=agency_id)
    return rows.order_by("-opened_at", "-pk")


def case_for(*, user, pk: int) -> Case:
    """One case `user` may read, with its parties, officers, records and timeline (404 if not)."""
    queryset = Case.objects.select_related("agency", "power_item", "opened_by").prefetch_related(
        "parties",
        Prefetch("case_officers", CaseOfficer.objects.select_related("officer")),
        Prefetch(
            "records",
            CaseRecord.objects.select_related("recorded_by", "entered_by", "superseded_by"),
        ),
        Prefetch("timeline", CaseEvent.objects.select_related("actor")),
    )
    return get_scoped_or_404(queryset, user, pk=pk)


def record_for(*, user, case_pk: int, pk: int) -> CaseRecord:
    """One record of a case `user` may read (404 otherwise)."""
    return get_scoped_or_404(
        CaseRecord.objects.select_related("case__agency"),
        user,
        agency_field="case__agency",
        case_id=case_pk,
        pk=pk,
    )


def decision_of(*, case: Case) -> Decision | None:
    """The case's decision (R5, R7) with its tier, bank, disclosure and every legal review."""
    return (
        Decision.objects.filter(case=case)
        .select_related("tier", "issued_by", "collecting_bank", "disclosure", "marked_major_by")
        .prefetch_related(
            Prefetch("reviews", LegalReview.objects.select_related("reviewer").order_by("at", "pk"))
        )
        .first()
    )


def reviewable_agencies(user) -> QuerySet[Agency]:
    """The agencies whose legal review `user` does (its legal office's agency)."""
    if role_of(user) != Role.LEGAL_OFFICE:
        return Agency.objects.none()
    return get_objects_for_user(user, REVIEW, klass=Agency, accept_global_perms=False)


def decisions_awaiting_review(*, user) -> QuerySet[Decision]:
    """R5: the decisions in review of the agencies `user` reviews for, oldest submission first."""
    submitted = (
        CaseEvent.objects.filter(case=OuterRef("case"), kind=CaseEvent.Kind.DECISION_SUBMITTED)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    return (
        Decision.objects.filter(
            status=Decision.Status.IN_REVIEW,
            case__agency__in=reviewable_agencies(user).values("pk"),
        )
        .select_related("case__agency", "tier")
        .annotate(submitted_at=Subquery(submitted))
        .order_by("submitted_at", "pk")
    )


def _coordinated_by(user) -> Q:
    """R8: the staff of an establishment office read the disputes between agencies of its
    region (it gives its opinion on those its government coordinates)."""
    if role_of(user) not in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE):
        return Q(pk__in=[])
    paths = (
        visible_agencies(user)
        .filter(is_establishment_office=True)
        .values_list("region__path", flat=True)
    )
    within = Q(pk__in=[])
    for path in paths:
        within |= Q(raised_by__region__path__startswith=path, other__region__path__startswith=path)
    return within


def disputes_for(*, user, status: str = "") -> QuerySet[Dispute]:
    """The jurisdiction disputes `user` may read: those of the agencies it acts for or
    supervises, on either side, and for an establishment office's staff those between agencies
    of its region; newest first."""
    agencies = visible_agencies(user).values("pk")
    rows = Dispute.objects.filter(
        Q(raised_by__in=agencies) | Q(other__in=agencies) | _coordinated_by(user)
    )
    if status:
        rows = rows.filter(status=status)
    return rows.select_related(
        "raised_by__region", "other__region", "responsible", "opinion_office"
    ).order_by("-raised_at", "-pk")


def dispute_for(*, user, pk: int) -> Dispute:
    """One dispute `user` may read, with its timeline (404 otherwise)."""
    return get_object_or_404(
        disputes_for(user=user).prefetch_related(
            Prefetch("timeline", DisputeEvent.objects.select_related("actor"))
        ),
        pk=pk,
    )


def stages_of(*, case: Case) -> list[dict]:
    """R6: the five stages in order, each with whether it is done or current and its records
    (current ones and corrected ones; the case's records prefetched or read once here)."""
    order = list(Stage)
    current = order.index(Stage(case.stage))
    records = list(case.records.all())
    return [
        {
            "value": stage.value,
            "label": stage.label,
            "done": index < current,
            "current": index == current,
            "records": [r for r in records if r.stage == stage.value],
        }
        for index, stage in enumerate(order)
    ]
