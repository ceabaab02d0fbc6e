"""R4: the catalogue of delegated enforcement (委托执法), and the clearing of a delegation."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from portal import scoping
from portal.public_cache import public_cache_invalidate

from ..models import Agency, Delegation, Officer, PowerItem, PowerItemEvent


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
    """R4: a supervisor clears a delegation that fails the legal conditions. It ends; officers of
    the delegated organisation who enforce under no other active delegation lose their
    certificates; the items return to the delegating agency alone. Each step keeps the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写清理原因。")}, code="no_reason")
    delegation = (
        Delegation.objects.select_for_update()
        .select_related("delegating_agency__region", "delegated_organisation")
        .get(pk=delegation.pk)
    )
    if not scoping.can_supervise(actor, delegation.delegating_agency):
        raise ValidationError(_("该委托不在您的监督范围内。"), code="forbidden")
    if delegation.status == Delegation.Status.CLEARED:
        raise ValidationError(_("该委托已经清理。"), code="already_cleared")
    reason = reason[:200]  # the officer's status reason holds 200 characters

    delegation.status = Delegation.Status.CLEARED
    delegation.cleared_reason = reason
    delegation.cleared_by = actor
    delegation.cleared_at = timezone.now()
    delegation.full_clean()
    delegation._history_user = actor
    delegation.save()
    public_cache_invalidate()  # the delegating agency's public catalogue changes

    organisation = delegation.delegated_organisation
    still_delegated = Delegation.objects.filter(
        delegated_organisation=organisation, status=Delegation.Status.ACTIVE
    ).exists()
    if not still_delegated:
        today = localdate()
        officers = (
            Officer.objects.select_for_update()
            .filter(agency=organisation)
            .exclude(certificate_status=Officer.CertificateStatus.WITHDRAWN)
        )
        for officer in officers:
            officer.certificate_status = Officer.CertificateStatus.WITHDRAWN
            officer.status_reason = reason
            officer.status_date = today
            officer.full_clean()
            officer._history_user = actor
            officer.save()

    note = _("委托执法已清理：%(reason)s") % {"reason": reason}
    for item in PowerItem.objects.select_for_update().filter(delegation=delegation):
        item.delegation = None
        item.has_unpublished_changes = True
        item._history_user = actor
        item.save()
        item.timeline.create(kind=PowerItemEvent.Kind.EDITED, actor=actor, note=note)
    return delegation
