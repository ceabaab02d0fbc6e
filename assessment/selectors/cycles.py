"""Reads of the cycles (R19, R20), scoped to who asks: a supervisor sees the cycles of its region
and below; agency staff and legal offices the cycles in which their agency is evaluated or
evaluates (read-only); the administrator everything. A cycle out of scope is a 404."""

from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from portal.roles import Role, role_of
from portal.scoping import visible_agencies

from ..models import Assignment, Cycle, CycleEvent, Indicator, UnitEvaluation
from ..services.cycles import cycle_problems


def cycles_visible_to(user) -> QuerySet[Cycle]:
    cycles = Cycle.objects.select_related("region", "opened_by")
    role = role_of(user)
    if role == Role.SYSADMIN:
        return cycles
    if role == Role.SUPERVISOR and user.region_id:
        return cycles.filter(region__path__startswith=user.region.path)
    if role in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE):
        mine = visible_agencies(user).values("pk")
        involved = Assignment.objects.filter(cycle=OuterRef("pk")).filter(
            agency__in=mine
        ) | Assignment.objects.filter(cycle=OuterRef("pk"), evaluator__in=mine)
        units = UnitEvaluation.objects.filter(cycle=OuterRef("pk"), agency__in=mine)
        return cycles.filter(Exists(involved) | Exists(units))
    return cycles.none()


def cycle_for(*, user, pk) -> Cycle:
    return get_object_or_404(cycles_visible_to(user), pk=pk)


def assignments_for(*, user, cycle: Cycle) -> QuerySet[Assignment]:
    """The cycle's assignments `user` may read: all of them for those who see the region, else
    those where the user's agency is evaluated or evaluates."""
    rows = cycle.assignments.select_related(
        "agency", "evaluator", "evaluator__region", "local_opinion_by"
    ).order_by("agency__name", "agency_id", "role")
    if role_of(user) in (Role.SUPERVISOR, Role.SYSADMIN):
        return rows
    mine = visible_agencies(user).values("pk")
    return rows.filter(agency__in=mine) | rows.filter(evaluator__in=mine)


def scheme_of(cycle: Cycle) -> tuple[list[Indicator], Decimal]:
    """The indicators in order and the sum of their points (R20: a scheme totals 100)."""
    indicators = list(cycle.indicators.order_by("order", "code"))
    return indicators, sum((i.max_points for i in indicators), Decimal("0"))


def indicator_for(*, cycle: Cycle, pk) -> Indicator:
    return get_object_or_404(Indicator, cycle=cycle, pk=pk)


def indicator_versions(cycle: Cycle):
    """Every version of every indicator of the cycle, newest first, with who made it."""
    return (
        Indicator.history.filter(cycle_id=cycle.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def timeline(cycle: Cycle) -> QuerySet[CycleEvent]:
    return cycle.events.select_related("actor", "agency")


def problems(cycle: Cycle) -> list:
    """R19: the agencies that cannot be evaluated as things stand, and why."""
    return cycle_problems(cycle)


def grouped_assignments(rows) -> list[tuple]:
    """(agency, [assignments]) in the order given."""
    groups: dict[int, tuple] = {}
    for row in rows:
        groups.setdefault(row.agency_id, (row.agency, []))[1].append(row)
    return list(groups.values())


def assignment_for(*, user, cycle: Cycle, pk) -> Assignment:
    return get_object_or_404(assignments_for(user=user, cycle=cycle), pk=pk)
