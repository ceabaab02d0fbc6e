"""Reads of the computed figures (R20), scoped to who asks.

A cycle's figures are readable by the supervisors of its region, of a region above it, and of a
region below it (who see their own agencies' rows), by the administrator, and by the staff and
legal office of an agency evaluated in it (who see their own agency's row only). Anyone else gets
a 404, as if the cycle did not exist.
"""

from django.db.models import QuerySet
from django.http import Http404

from portal.roles import Role, role_of
from portal.scoping import scope, visible_agencies

from ..models import AgencyFigures, Cycle
from ..services.figures import rate


def figures_cycle(*, user, pk) -> Cycle:
    """The cycle `pk` if `user` may read any of its figures, else 404."""
    cycle = Cycle.objects.select_related("region").filter(pk=pk).first()
    if cycle is None or not _may_read(user, cycle):
        raise Http404
    return cycle


def _may_read(user, cycle: Cycle) -> bool:
    role = role_of(user)
    if role == Role.SYSADMIN:
        return True
    if role == Role.SUPERVISOR:
        region = user.region if user.region_id else None
        return region is not None and (
            cycle.region.is_within(region) or region.is_within(cycle.region)
        )
    if role in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE):
        return visible_agencies(user).filter(region__path__startswith=cycle.region.path).exists()
    return False


def figures_rows(*, user, cycle: Cycle) -> QuerySet[AgencyFigures]:
    """The cycle's figures the user may read, by region then agency name."""
    rows = AgencyFigures.objects.filter(cycle=cycle).select_related("agency", "agency__region")
    return scope(rows, user).order_by("agency__region__path", "agency__name", "pk")


def with_rates(rows) -> list[AgencyFigures]:
    """The rows (a page) with their on-time and other rates as percentages (None: nothing to
    count)."""
    rows = list(rows)
    for row in rows:
        row.acknowledgement_rate = rate(row.acknowledgements_on_time, row.acknowledgements_due)
        row.revision_rate = rate(row.revisions_on_time, row.revisions_due)
        row.substantiated_rate = rate(row.complaints_substantiated, row.complaints_received)
        row.refusal_rate = rate(row.legal_reviews_refused, row.legal_reviews)
        row.unfavourable_rate = rate(row.remedies_unfavourable, row.remedies)
    return rows


def figures_computed_at(*, cycle: Cycle):
    """When the cycle's figures were last computed (None: never)."""
    return (
        AgencyFigures.objects.filter(cycle=cycle)
        .order_by("-computed_at")
        .values_list("computed_at", flat=True)
        .first()
    )
