"""R20: who reads which inspections. Supervisors and administrators read the cycles of their
region and below; an inspected agency's staff read their own agency's inspections only."""

from django.db.models import Count, QuerySet
from django.http import Http404

from enforcement.models import Agency
from portal.roles import Role, role_of
from portal.scoping import get_scoped_or_404, scope, visible_agencies

from ..models import Assignment, Cycle, Inspection

SUPERVISING = (Role.SUPERVISOR, Role.SYSADMIN)


def cycle_readable(*, user, pk: int) -> Cycle:
    """A cycle the user may open: a supervisor's region covers the cycle's region; agency staff
    see a cycle in which one of their agencies is evaluated. Anything else is a 404."""
    cycle = Cycle.objects.select_related("region").filter(pk=pk).first()
    if cycle is None:
        raise Http404
    role = role_of(user)
    if role == Role.SYSADMIN:
        return cycle
    if role == Role.SUPERVISOR and user.region_id:
        if cycle.region.path.startswith(user.region.path):
            return cycle
        raise Http404
    evaluated = Assignment.objects.filter(
        cycle=cycle, agency__in=visible_agencies(user).values("pk")
    )
    if role in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE) and evaluated.exists():
        return cycle
    raise Http404


def evaluated_agencies(*, user, cycle: Cycle) -> QuerySet[Agency]:
    """The agencies evaluated in the cycle that the user may read, by name."""
    ids = Assignment.objects.filter(cycle=cycle).values("agency")
    return scope(Agency.objects.filter(pk__in=ids), user, agency_field="pk").order_by("name")


def inspections_for(
    *, user, cycle: Cycle, agency_id: int | None = None, kind: str | None = None
) -> QuerySet[Inspection]:
    """The cycle's inspections the user may read, newest first, each with its photo count."""
    rows = scope(Inspection.objects.filter(cycle=cycle), user)
    if agency_id:
        rows = rows.filter(agency_id=agency_id)
    if kind:
        rows = rows.filter(kind=kind)
    return (
        rows.select_related("agency", "recorded_by")
        .annotate(photo_count=Count("photos"))
        .order_by("-held_on", "-pk")
    )


def inspection_for(*, user, pk: int) -> Inspection:
    queryset = Inspection.objects.select_related("agency", "cycle", "recorded_by")
    return get_scoped_or_404(queryset, user, pk=pk)
