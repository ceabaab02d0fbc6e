"""Reads of the departments' results (R23), by disclosure scope:

- not disclosed: the supervisors of the cycle's region or above, and the administrator;
- internal (内部通报): those, and each department its own result;
- region (本地区公开): every logged-in staff of the cycle's region and below;
- public (向社会公开): everyone, on the public pages and the public API.
"""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from portal.roles import Role, role_of
from portal.scoping import visible_agencies

from ..models import AgencyResult, Assignment, Cycle, Indicator, RectificationOrder, Score
from ..services.permissions import cycle_can_manage
from .scoring import evaluator_agencies

Disclosure = AgencyResult.Disclosure
NOT_FOUND = _("没有这项考核结果，或不在本人可查看的范围内。")


def _home_path(user) -> str | None:
    """The region path the user belongs to: a supervisor's region, staff's agency's region."""
    role = role_of(user)
    if role == Role.SUPERVISOR and user.region_id:
        return user.region.path
    if role in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE) and user.agency_id:
        return user.agency.region.path
    return None


def _in_region(user, cycle: Cycle) -> bool:
    path = _home_path(user)
    return path is not None and path.startswith(cycle.region.path)


def cycle_visible(user, cycle: Cycle) -> bool:
    """The cycle's staff pages: its region's staff and supervisors (below it or above it), its
    evaluators, the administrator."""
    if role_of(user) == Role.SYSADMIN or cycle_can_manage(user, cycle) or _in_region(user, cycle):
        return True
    return Assignment.objects.filter(
        cycle=cycle, evaluator__in=evaluator_agencies(user).values("pk")
    ).exists()


def cycle_for(*, user, pk: int) -> Cycle:
    cycle = Cycle.objects.select_related("region").filter(pk=pk).first()
    if cycle is None or not cycle_visible(user, cycle):
        raise Http404(_("没有这个考核周期，或不在本人可查看的范围内。"))
    return cycle


def _visible_filter(user, cycle: Cycle) -> Q | None:
    """None: everything; else the Q of the rows `user` may read."""
    if role_of(user) == Role.SYSADMIN or cycle_can_manage(user, cycle):
        return None
    visible = Q(disclosure=Disclosure.PUBLIC)
    if _in_region(user, cycle):
        visible |= Q(disclosure=Disclosure.REGION)
    if role_of(user) in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE):
        visible |= ~Q(disclosure=Disclosure.NONE) & Q(agency__in=visible_agencies(user))
    return visible


def results_visible(*, user, cycle: Cycle) -> QuerySet[AgencyResult]:
    """The cycle's results `user` may read, highest total first."""
    rows = AgencyResult.objects.filter(cycle=cycle)
    visible = _visible_filter(user, cycle)
    if visible is not None:
        rows = rows.filter(visible)
    return rows.select_related("agency__region", "rectification").order_by(
        "-total", "agency__name", "pk"
    )


def result_for(*, user, pk: int) -> AgencyResult:
    result = AgencyResult.objects.select_related("cycle__region", "agency__region").filter(pk=pk)
    result = result.first()
    if result is None:
        raise Http404(NOT_FOUND)
    visible = _visible_filter(user, result.cycle)
    if visible is not None and not AgencyResult.objects.filter(visible, pk=pk).exists():
        raise Http404(NOT_FOUND)
    return result


def rectification_for(*, user, pk: int) -> RectificationOrder:
    """An order: its cycle's supervisors, the administrator and the department itself."""
    order = (
        RectificationOrder.objects.select_related(
            "result__cycle__region", "result__agency", "ordered_by", "closed_by"
        )
        .filter(pk=pk)
        .first()
    )
    if order is not None:
        cycle = order.result.cycle
        if (
            role_of(user) == Role.SYSADMIN
            or cycle_can_manage(user, cycle)
            or (
                role_of(user) in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE)
                and visible_agencies(user).filter(pk=order.result.agency_id).exists()
            )
        ):
            return order
    raise Http404(_("没有这份整改通知，或不在本人可查看的范围内。"))


def public_cycles() -> QuerySet[Cycle]:
    """Cycles with results disclosed to the public, newest first."""
    return (
        Cycle.objects.filter(results__disclosure=Disclosure.PUBLIC)
        .annotate(public_count=Count("results", filter=Q(results__disclosure=Disclosure.PUBLIC)))
        .select_related("region")
        .order_by("-year", "region__path")
    )


def public_cycle(pk: int) -> Cycle:
    cycle = public_cycles().filter(pk=pk).first()
    if cycle is None:
        raise Http404(_("没有这个考核周期的公开考核结果。"))
    return cycle


def public_results(*, cycle_id: int | None = None) -> QuerySet[AgencyResult]:
    rows = AgencyResult.objects.filter(disclosure=Disclosure.PUBLIC)
    if cycle_id is not None:
        rows = rows.filter(cycle_id=cycle_id)
    return rows.select_related("cycle__region", "agency").order_by(
        "-cycle__year", "cycle__region__path", "-total", "agency__name", "pk"
    )


def result_sheet(result: AgencyResult) -> dict:
    """The result sheet's body (issue 14): every indicator of the cycle with the points each
    evaluator gave the department (its local government, its superior department), the totals
    and the grade. Three queries whatever the scheme's size."""
    assignments = list(
        Assignment.objects.filter(cycle_id=result.cycle_id, agency_id=result.agency_id)
        .select_related("evaluator")
        .order_by("role", "pk")
    )
    points = {
        (s.assignment_id, s.indicator_id): s.points
        for s in Score.objects.filter(assignment__in=[a.pk for a in assignments]).only(
            "assignment_id", "indicator_id", "points"
        )
    }
    indicators = Indicator.objects.filter(cycle_id=result.cycle_id).order_by("order", "code")
    rows = [
        {"indicator": i, "points": [points.get((a.pk, i.pk)) for a in assignments]}
        for i in indicators
    ]
    return {
        "assignments": assignments,
        "rows": rows,
        "available": sum((row["indicator"].max_points for row in rows), 0),
    }
