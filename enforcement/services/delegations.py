"""R4: the catalogue of delegated enforcement (委托执法), and the end of a delegation: cleared by a
supervisor because it fails the legal conditions, or expired at its end date (a daily job).

Either way the delegation leaves every public page at once: the catalogue shows active ones only,
and every published copy that names it is refreshed in the same transaction, with an entry in the
item's public history. Officers of the organisation who enforce under no other delegation lose
their certificates, and the working copies return to the delegating agency alone.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from portal import scoping
from portal.public_cache import public_cache_invalidate

from ..models import Agency, Delegation, Officer, PowerItem, PowerItemEvent, PublishedPowerItem
from .officers import officer_certificate_withdraw


@transaction.atomic
def delegation_create(
    *,
    delegating_agency: Agency,
    delegated_organisation: Agency,
    basis: str,
    starts_on: date,
    actor,
    ends_on: date | None = None,
    items: Iterable[PowerItem] = (),
) -> Delegation:
    """Enter a delegation in the delegating agency's catalogue, with the items it covers."""
    if not (
        scoping.can_supervise(actor, delegating_agency)
        or scoping.can_act_for(actor, delegating_agency)
    ):
        raise ValidationError(_("您无权为该单位登记委托执法。"), code="forbidden")
    if delegated_organisation.kind != Agency.Kind.DELEGATED:
        raise ValidationError(
            {"delegated_organisation": _("受委托的单位必须是“受委托组织”类型的执法主体。")},
            code="not_delegated_kind",
        )
    if ends_on and starts_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("委托终止日期不能早于起始日期。")}, code="period")
    items = list(items)
    if any(item.agency_id != delegating_agency.pk for item in items):
        raise ValidationError({"items": _("只能委托本单位的事项。")}, code="foreign_item")

    delegation = Delegation(
        delegating_agency=delegating_agency,
        delegated_organisation=delegated_organisation,
        basis=(basis or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    delegation.full_clean()
    delegation._history_user = actor
    delegation.save()
    public_cache_invalidate()  # the delegating agency's public catalogue changes
    for item in PowerItem.objects.select_for_update().filter(pk__in=[i.pk for i in items]):
        item.delegation = delegation
        item.has_unpublished_changes = True
        item._history_user = actor
        item.save()
        item.timeline.create(
            kind=PowerItemEvent.Kind.EDITED,
            actor=actor,
            note=_("委托%(organisation)s实施") % {"organisation": delegated_organisation},
        )
    return delegation


@transaction.atomic
def delegation_clear(*, delegation: Delegation, reason: str, actor) -> Delegation:
    """R4: a supervisor clears a delegation that fails the legal conditions. It ends at once on
    every public page; officers of the delegated organisation who enforce under no other active
    delegation lose their certificates; the items return to the delegating agency alone. Each
    step keeps the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写清理原因。")}, code="no_reason")
    delegation = _locked(delegation.pk)
    if not scoping.can_supervise(actor, delegation.delegating_agency):
        raise ValidationError(_("该委托不在您的监督范围内。"), code="forbidden")
    if delegation.status == Delegation.Status.CLEARED:
        raise ValidationError(_("该委托已经清理。"), code="already_cleared")
    if delegation.status == Delegation.Status.EXPIRED:
        raise ValidationError(_("该委托已到期终止，无需清理。"), code="already_expired")
    reason = reason[:200]  # the officer's status reason holds 200 characters

    delegation.status = Delegation.Status.CLEARED
    delegation.cleared_reason = reason
    delegation.cleared_by = actor
    delegation.cleared_at = timezone.now()
    delegation.full_clean()
    delegation._history_user = actor
    delegation.save()
    _end(
        delegation,
        actor=actor,
        note=_("委托执法已清理：%(reason)s") % {"reason": reason},
        certificate_reason=reason,
        today=localdate(),
    )
    return delegation


def delegations_expire(*, today: date | None = None) -> int:
    """R4's daily job: every active delegation whose end date has passed expires, with the same
    effects as clearing. Each in its own transaction; running again finds nothing to do.
    Returns how many expired."""
    today = today or localdate()
    due = Delegation.objects.filter(status=Delegation.Status.ACTIVE, ends_on__lt=today)
    pks = list(due.order_by("ends_on", "pk").values_list("pk", flat=True))
    return sum(_expire(pk, today) for pk in pks)


@transaction.atomic
def _expire(pk: int, today: date) -> bool:
    delegation = (
        Delegation.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("delegating_agency", "delegated_organisation")
        .filter(pk=pk, status=Delegation.Status.ACTIVE, ends_on__lt=today)
        .first()
    )
    if delegation is None:  # another run holds it or has expired it
        return False
    delegation.status = Delegation.Status.EXPIRED
    delegation.full_clean()
    delegation._history_user = None
    delegation.save()
    ends = f"{delegation.ends_on:%Y-%m-%d}"
    _end(
        delegation,
        actor=None,
        note=_("委托期限已于 %(date)s 届满，该事项不再委托实施。") % {"date": ends},
        certificate_reason=_("委托执法期限届满（%(date)s）") % {"date": ends},
        today=today,
    )
    return True


def _locked(pk: int) -> Delegation:
    return (
        Delegation.objects.select_for_update()
        .select_related("delegating_agency__region", "delegated_organisation")
        .get(pk=pk)
    )


def _end(delegation: Delegation, *, actor, note: str, certificate_reason: str, today) -> None:
    """What clearing and expiry both do, once the delegation's status has changed."""
    public_cache_invalidate()  # the catalogue and the items' pages change
    _withdraw_certificates(delegation, actor=actor, reason=certificate_reason, today=today)

    # The public copies first: a revision in progress may already have unlinked the working copy
    # while the published one still names the delegation.
    published = PublishedPowerItem.objects.filter(
        Q(named_delegation=delegation) | Q(item__delegation=delegation)
    )
    published_items = set(published.values_list("item_id", flat=True))
    published.update(delegation=None, named_delegation=None)

    working = PowerItem.objects.select_for_update().filter(delegation=delegation)
    for item in working:
        item.delegation = None
        item._history_user = actor
        item.save()
    item_ids = published_items | {item.pk for item in working}
    PowerItemEvent.objects.bulk_create(
        PowerItemEvent(
            item_id=pk,
            kind=PowerItemEvent.Kind.DELEGATION_ENDED,
            actor=actor,
            note=note,
            public=pk in published_items,
        )
        for pk in sorted(item_ids)
    )


def _withdraw_certificates(delegation: Delegation, *, actor, reason: str, today: date) -> None:
    """R4: officers of the organisation lose their certificates unless it still enforces under
    another delegation that is active and not past its end."""
    organisation = delegation.delegated_organisation
    still_delegated = (
        Delegation.objects.filter(
            delegated_organisation=organisation, status=Delegation.Status.ACTIVE
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .exists()
    )
    if still_delegated:
        return
    officers = Officer.objects.filter(agency=organisation).exclude(
        certificate_status=Officer.CertificateStatus.WITHDRAWN
    )
    for officer in officers.order_by("pk"):
        officer_certificate_withdraw(officer=officer, reason=reason, on=today, actor=actor)
