"""Reads of a department's internal units (R19), scoped: the department's own staff and legal
office, the supervisors of its region and above, the administrator."""

from django.shortcuts import get_object_or_404

from enforcement.models import Agency
from portal.scoping import get_scoped_or_404, scope

from ..models import Cycle, UnitEvaluation


def agency_for(*, user, pk) -> Agency:
    return get_scoped_or_404(
        Agency.objects.select_related("region"), user, agency_field="pk", pk=pk
    )


def units_of(*, cycle: Cycle, agency: Agency):
    return cycle.unit_evaluations.filter(agency=agency).select_related("evaluated_by")


def unit_evaluation_for(*, user, cycle: Cycle, pk) -> UnitEvaluation:
    rows = scope(UnitEvaluation.objects.filter(cycle=cycle).select_related("agency", "cycle"), user)
    return get_object_or_404(rows, pk=pk)


def agencies_with_units(cycle: Cycle, user) -> list[Agency]:
    """The agencies of the cycle whose units `user` may read."""
    ids = scope(cycle.unit_evaluations.all(), user).values("agency_id")
    return list(Agency.objects.filter(pk__in=ids).order_by("name"))
