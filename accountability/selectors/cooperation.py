"""R12: which referrals, notices and exports a user may read. Supervisors read those of their
region and below; administrators read all; nobody else reads any (a referral to the commission
is an investigation of the unit concerned)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from portal.roles import Role, role_of

from ..models import CooperationExport, CooperationNotice, Referral

LIST_RELATED = ("agency", "region", "clue")


def _regional(queryset: QuerySet, user) -> QuerySet:
    role = role_of(user)
    if role == Role.SYSADMIN:
        return queryset
    if role == Role.SUPERVISOR and user.region_id:
        return queryset.filter(region__path__startswith=user.region.path)
    return queryset.none()


def referrals_visible(user) -> QuerySet[Referral]:
    return _regional(Referral.objects.all(), user)


def referrals_list(*, user, direction=None, body_kind=None, status=None) -> QuerySet[Referral]:
    rows = referrals_visible(user)
    if direction:
        rows = rows.filter(direction=direction)
    if body_kind:
        rows = rows.filter(body_kind=body_kind)
    if status:
        rows = rows.filter(status=status)
    return rows.select_related(*LIST_RELATED).order_by("-recorded_at", "-pk")


def referral_for(*, user, pk: int) -> Referral:
    """One referral the user may read, or 404 (out of scope is indistinguishable from none)."""
    queryset = referrals_visible(user).select_related(
        "agency__region", "region", "clue", "recorded_by"
    )
    return get_object_or_404(queryset, pk=pk)


def notices_list(*, user) -> QuerySet[CooperationNotice]:
    return (
        _regional(CooperationNotice.objects.all(), user)
        .select_related("region", "sent_by")
        .order_by("-sent_on", "-pk")
    )


def exports_list(*, user) -> QuerySet[CooperationExport]:
    return (
        _regional(CooperationExport.objects.all(), user)
        .select_related("region")
        .order_by("-period_start", "-pk")
    )


def export_for(*, user, pk: int) -> CooperationExport:
    return get_object_or_404(_regional(CooperationExport.objects.all(), user), pk=pk)
