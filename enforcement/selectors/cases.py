"""Reads of enforcement cases, scoped to who asks (`portal.scoping`)."""

from django.db.models import Prefetch, QuerySet

from portal.scoping import get_scoped_or_404, scope

from ..models import Case, CaseEvent, CaseOfficer, CaseRecord


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
