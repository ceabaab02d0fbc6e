"""Scoped reads for the staff side of the power list: lists, queues, one item, its versions."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from guardian.shortcuts import get_objects_for_user

from portal import scoping
from portal.roles import Role, role_of

from ..models import (
    Agency,
    DiscretionTier,
    LegalBasis,
    PowerItem,
    PowerItemBasis,
    PowerItemEvent,
    PublishedPowerItem,
)

Status = PowerItem.Status


def staff_items(user, *, status: str = "", q: str = "") -> QuerySet[PowerItem]:
    """The working copies `user` may read, optionally filtered by status and name/code text."""
    items = (
        scoping.scope(PowerItem.objects.all(), user)
        .select_related("agency")
        # A revision in progress is worth a badge only when a published version exists.
        .annotate(is_public=Exists(PublishedPowerItem.objects.filter(item=OuterRef("pk"))))
    )
    if status:
        items = items.filter(status=status)
    q = q.strip()
    if q:
        items = items.filter(Q(name__contains=q) | Q(code__contains=q) | Q(sub_item__contains=q))
    return items.order_by("agency__name", "code", "pk")


def staff_item(user, pk: int) -> PowerItem:
    """One working copy, or 404 when it is out of `user`'s scope."""
    queryset = PowerItem.objects.select_related(
        "agency__region",
        "delegation__delegating_agency",
        "delegation__delegated_organisation",
    )
    return scoping.get_scoped_or_404(queryset, user, pk=pk)


def acting_agencies(user) -> QuerySet[Agency]:
    """The agencies whose drafts `user` keeps (staff and legal office of the agency)."""
    if role_of(user) not in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE):
        return Agency.objects.none()
    return get_objects_for_user(user, scoping.ACT, klass=Agency, accept_global_perms=False)


def _with_withdrawal_reason(items: QuerySet[PowerItem]) -> QuerySet[PowerItem]:
    """Each item with the reason of its latest withdrawal request, in the same query."""
    latest = PowerItemEvent.objects.filter(
        item=OuterRef("pk"), kind=PowerItemEvent.Kind.WITHDRAWAL_REQUESTED
    ).order_by("-at", "-pk")
    return items.annotate(withdrawal_reason=Subquery(latest.values("note")[:1]))


def legal_review_queue(user) -> QuerySet[PowerItem]:
    """Items submitted for the internal review of the agencies whose legal office `user` is:
    for publication, or for withdrawal (R2)."""
    if role_of(user) != Role.LEGAL_OFFICE:
        return PowerItem.objects.none()
    reviewed = get_objects_for_user(user, scoping.REVIEW, klass=Agency, accept_global_perms=False)
    items = PowerItem.objects.filter(
        status__in=(Status.SUBMITTED, Status.WITHDRAWAL_SUBMITTED),
        agency__in=reviewed.values("pk"),
    )
    return _with_withdrawal_reason(items).select_related("agency").order_by("updated_at", "pk")


def supervisor_queue(user) -> QuerySet[PowerItem]:
    """Items that passed internal review, for publication or for withdrawal (R2), in agencies
    of the region `user` supervises."""
    if role_of(user) not in (Role.SUPERVISOR, Role.SYSADMIN):
        return PowerItem.objects.none()
    items = scoping.scope(
        PowerItem.objects.filter(status__in=(Status.LEGAL_PASSED, Status.WITHDRAWAL_PASSED)),
        user,
    )
    return _with_withdrawal_reason(items).select_related("agency").order_by("updated_at", "pk")


def item_bases(item: PowerItem) -> QuerySet[PowerItemBasis]:
    return item.bases.select_related("basis").order_by("pk")


def item_tiers(item: PowerItem) -> QuerySet[DiscretionTier]:
    return item.discretion_tiers.order_by("order")


def item_timeline(item: PowerItem) -> QuerySet[PowerItemEvent]:
    return item.timeline.select_related("actor").order_by("at", "pk")


def item_versions(item: PowerItem):
    """Every kept version of the item, newest first (django-simple-history)."""
    return item.history.select_related("history_user").order_by("-history_date", "-history_id")


def legal_bases() -> QuerySet[LegalBasis]:
    """The legal-basis register staff pick from; it is public, so not scoped."""
    return LegalBasis.objects.order_by("title", "document_number")


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


# Fields whose changes mean nothing to a reader of the comparison.
_NOT_COMPARED = {"updated_at", "has_unpublished_changes"}


def _display(record, field: str) -> str:
    model_field = record.instance_type._meta.get_field(field)
    value = getattr(record, model_field.attname)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        target = getattr(record, field, None) if value is not None else None
        return "" if target is None else str(target)
    return "" if value is None else str(value)


def version_changes(older, newer) -> list[FieldChange]:
    """The fields that differ between two historical versions, side by side."""
    delta = newer.diff_against(older, excluded_fields=_NOT_COMPARED)
    return [
        FieldChange(
            label=str(newer.instance_type._meta.get_field(change.field).verbose_name),
            old=_display(older, change.field),
            new=_display(newer, change.field),
        )
        for change in delta.changes
    ]


def item_published(item: PowerItem):
    """The public copy of the item, or None while it was never published (or is withdrawn)."""
    return PublishedPowerItem.objects.filter(item=item).only("pk", "published_at").first()
