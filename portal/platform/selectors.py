"""R11: the platform's three registers as `user` may read them (`portal.scoping`): a supervisor
its region and every region below, the administrator all, nobody else anything (the views refuse
them first). Each row carries its status, read in the same query."""

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from enforcement.models import Agency, Case, Officer, PublishedPowerItem, Region
from portal import scoping
from portal.roles import Role, role_of


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("agency").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def platform_agencies(user) -> QuerySet[Agency]:
    """Each subject with whether its power list is published (R1), its officers holding a valid
    certificate and its open cases: three correlated subqueries on the (agency, …) indexes."""
    return (
        scoping.visible_agencies(user)
        .select_related("region", "supervising_agency")
        .annotate(
            has_list=Exists(PublishedPowerItem.objects.filter(agency=OuterRef("pk"))),
            valid_officers=_count(
                Officer.objects.filter(
                    agency=OuterRef("pk"), certificate_status=Officer.CertificateStatus.VALID
                )
            ),
            open_cases=_count(Case.objects.filter(agency=OuterRef("pk"), closed_at__isnull=True)),
        )
        .order_by("region__path", "name", "pk")
    )


def platform_officers(user) -> QuerySet[Officer]:
    return (
        scoping.scope(Officer.objects.all(), user)
        .select_related("agency__region")
        .order_by("agency__region__path", "agency__name", "name", "pk")
    )


def platform_cases(user) -> QuerySet[Case]:
    """Newest first, the order of the (-opened_at, -id) index."""
    return (
        scoping.scope(Case.objects.all(), user)
        .select_related("agency__region")
        .order_by("-opened_at", "-pk")
    )


def platform_regions(user) -> QuerySet[Region]:
    """The regions a supervisor may filter by: its own and every one below."""
    role = role_of(user)
    if role == Role.SYSADMIN:
        return Region.objects.order_by("path")
    if role == Role.SUPERVISOR and user.region_id:
        return Region.objects.filter(path__startswith=user.region.path).order_by("path")
    return Region.objects.none()
