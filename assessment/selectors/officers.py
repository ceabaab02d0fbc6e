"""R21, R22: the officers' results, objections and consequences as the asking user may read
them. Supervisors read their region and below, the legal office its own agency's officers,
administrators everything; an officer reads their own published results. A row outside that
is a 404, as if it did not exist."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from enforcement.models import Officer
from portal.roles import Role, role_of
from portal.scoping import scope, visible_agencies

from ..models import Cycle, Measure, Objection, OfficerRecord, OfficerResult, RepeatDecision
from ..services.officers import region_prefixes

# Who reads the officers' grades of an agency: not its staff, who are colleagues.
RESULT_READERS = (Role.SUPERVISOR, Role.LEGAL_OFFICE, Role.SYSADMIN)
DECIDERS = (Role.SUPERVISOR, Role.SYSADMIN)


def reads_results(user) -> bool:
    return role_of(user) in RESULT_READERS


def cycles_visible_to(user) -> QuerySet[Cycle]:
    """Cycles of the regions above or within what the user sees."""
    role = role_of(user)
    if role == Role.SYSADMIN:
        return Cycle.objects.all()
    if role == Role.SUPERVISOR and user.region_id:
        path = user.region.path
        return Cycle.objects.filter(
            Q(region__path__startswith=path) | Q(region__path__in=region_prefixes(path))
        )
    paths = visible_agencies(user).values_list("region__path", flat=True)
    prefixes = {prefix for path in paths for prefix in region_prefixes(path)}
    return Cycle.objects.filter(region__path__in=prefixes)


def cycle_for(*, user, pk: int) -> Cycle:
    return get_object_or_404(cycles_visible_to(user).select_related("region"), pk=pk)


def _results(user) -> QuerySet[OfficerResult]:
    return scope(OfficerResult.objects.all(), user)


def officer_results(*, user, cycle: Cycle, agency_id: int | None = None):
    """A cycle's results the user may read, per agency, best first."""
    rows = _results(user).filter(cycle=cycle).select_related("officer", "agency")
    if agency_id:
        rows = rows.filter(agency_id=agency_id)
    return rows.order_by("agency__name", "agency_id", "-total", "officer__name", "pk")


def in_order(pks: list[int]) -> list[OfficerResult]:
    """The results of a page of ids (from `officer_results(...).values_list("pk")`), in that
    order. A page is cut from the ids alone: sorting a province's 30,000 results with their
    officers and agencies whole spilled to disk (140 ms); their sort keys fit in memory."""
    rows = OfficerResult.objects.filter(pk__in=pks).select_related("officer", "agency")
    found = {row.pk: row for row in rows}
    return [found[pk] for pk in pks if pk in found]


def officer_result_for(*, user, pk: int) -> OfficerResult:
    """One result: a reader in scope, or the officer themself once it is published."""
    own = Q(officer__user=user, published_at__isnull=False) if user.is_authenticated else Q()
    readable = (
        OfficerResult.objects.filter(Q(pk__in=_results(user).values("pk")) | own)
        if reads_results(user)
        else OfficerResult.objects.filter(own)
        if user.is_authenticated
        else OfficerResult.objects.none()
    )
    return get_object_or_404(readable.select_related("officer", "agency", "cycle__region"), pk=pk)


def my_results(*, user) -> QuerySet[OfficerResult]:
    """R21: the officer's own published results (我的考核结果), newest first."""
    if not user.is_authenticated:
        return OfficerResult.objects.none()
    return (
        OfficerResult.objects.filter(officer__user=user, published_at__isnull=False)
        .select_related("cycle__region", "agency", "officer", "objection")
        .order_by("-cycle__year", "pk")
    )


def my_result_for(*, user, pk: int) -> OfficerResult:
    return get_object_or_404(my_results(user=user), pk=pk)


def officer_for(*, user, pk: int) -> Officer:
    return get_object_or_404(scope(Officer.objects.select_related("agency"), user), pk=pk)


def records_of(officer: Officer) -> QuerySet[OfficerRecord]:
    return officer.evaluation_records.select_related("recorded_by").order_by(
        "-year", "-occurred_on", "-pk"
    )


def objections(*, user, status: str = "") -> QuerySet[Objection]:
    """Readers: the objections of their scope; anyone else: those they filed."""
    if reads_results(user):
        rows = scope(Objection.objects.all(), user, agency_field="result__agency")
    else:
        rows = Objection.objects.filter(filed_by=user)
    if status:
        rows = rows.filter(status=status)
    return rows.select_related("result__officer", "result__agency", "result__cycle").order_by(
        "-filed_at", "-pk"
    )


def objection_for(*, user, pk: int) -> Objection:
    if not reads_results(user):
        return get_object_or_404(Objection.objects.none(), pk=pk)
    return get_object_or_404(
        objections(user=user).select_related("result__cycle__region", "decided_by"), pk=pk
    )


def _repeat_decisions(user) -> QuerySet[RepeatDecision]:
    return scope(RepeatDecision.objects.all(), user, agency_field="result__agency")


def repeat_decision_for(*, user, pk: int) -> RepeatDecision:
    rows = _repeat_decisions(user) if reads_results(user) else RepeatDecision.objects.none()
    return get_object_or_404(
        rows.select_related(
            "officer", "result__agency", "result__cycle", "previous_result__cycle", "decided_by"
        ),
        pk=pk,
    )


def measure_for(*, user, pk: int) -> Measure:
    return get_object_or_404(
        scope(Measure.objects.all(), user, agency_field="result__agency").select_related("result"),
        pk=pk,
    )


def queue(*, user) -> dict:
    """R21, R22: what awaits the supervisor: pending objections, open repeat decisions, and the
    latest decided repeat decisions."""
    pending = objections(user=user, status=Objection.Status.PENDING).order_by("filed_at", "pk")
    decisions = _repeat_decisions(user).select_related(
        "officer", "result__agency", "result__cycle", "previous_result__cycle"
    )
    return {
        "objections": pending,
        "open_decisions": decisions.filter(outcome="").order_by("opened_at", "pk"),
        "decided": decisions.exclude(outcome="").order_by("-decided_at", "-pk")[:50],
    }
