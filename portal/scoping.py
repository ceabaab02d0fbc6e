"""Who may see and act for which agency: the one helper every view, API and admin page uses.

- a system administrator sees every agency;
- a supervisor sees the agencies of its region and of every region below it;
- agency staff and the legal office see the agencies they hold a guardian object permission on
  (their own agency, granted by `portal.services.user_assign_role`);
- the public and users without a role see nothing protected.
"""

from django.db.models import Model, QuerySet
from guardian.shortcuts import get_objects_for_user

from enforcement.models import Agency

from .roles import Role, role_of

ACT = "enforcement.act_for_agency"
REVIEW = "enforcement.review_for_agency"


def visible_agencies(user) -> QuerySet[Agency]:
    """The agencies whose protected records `user` may read."""
    role = role_of(user)
    if role == Role.SYSADMIN:
        return Agency.objects.all()
    if role == Role.SUPERVISOR and user.region_id:
        return Agency.objects.filter(region__path__startswith=user.region.path)
    if role in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE):
        # Only user permissions are ever granted (`user_assign_role`). Leaving out the group
        # branch also keeps guardian's "user's OR group's" filter out of the SQL: PostgreSQL
        # guesses that OR keeps most agencies and reads a whole case table for one agency.
        return get_objects_for_user(
            user, ACT, klass=Agency, accept_global_perms=False, use_groups=False
        )
    return Agency.objects.none()


def scope(queryset: QuerySet, user, *, agency_field: str = "agency") -> QuerySet:
    """Restrict any queryset of agency-owned rows to what `user` may read."""
    if role_of(user) == Role.SYSADMIN:
        return queryset
    if agency_field == "pk":
        return queryset.filter(pk__in=visible_agencies(user).values("pk"))
    return queryset.filter(**{f"{agency_field}__in": visible_agencies(user).values("pk")})


def get_scoped_or_404(queryset: QuerySet, user, *, agency_field: str = "agency", **lookup) -> Model:
    """Fetch one protected row; a row outside the user's scope is indistinguishable from none."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(scope(queryset, user, agency_field=agency_field), **lookup)


def can_act_for(user, agency: Agency) -> bool:
    """May `user` keep records in the name of `agency` (drafts, cases, answers)?"""
    return role_of(user) in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE) and user.has_perm(ACT, agency)


def can_review_for(user, agency: Agency) -> bool:
    """May `user` do `agency`'s internal and legal review?"""
    return role_of(user) == Role.LEGAL_OFFICE and user.has_perm(REVIEW, agency)


def can_supervise(user, agency: Agency) -> bool:
    """Is `agency` within the region `user` supervises?"""
    role = role_of(user)
    if role == Role.SYSADMIN:
        return True
    return role == Role.SUPERVISOR and bool(user.region_id) and agency.region.is_within(user.region)
