"""R16, R17: the decision on acceptance, told to the complainant and kept in the register."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from ..models import Complaint, ComplaintEvent, RefusalReason
from .channels import channel_for, handling_deadline
from .handling import complaint_assign
from .notifications import notify_complainant
from .permissions import complaint_check_permission
from .steps import complaint_check_state

# A local default, not the policy's, where no channel of the region (or above) sets its own.
DEFAULT_HANDLING_DAYS = 60


def _locked(complaint: Complaint, actor) -> Complaint:
    complaint = Complaint.objects.select_for_update().select_related("region").get(pk=complaint.pk)
    complaint_check_permission(actor=actor, complaint=complaint, action="accept")
    complaint_check_state(complaint, "accept")
    return complaint


def _decided(complaint: Complaint, actor, status: str, *, due=None) -> None:
    complaint.status = status
    complaint.decided_at = timezone.now()
    complaint.decided_by = actor
    complaint.due_on = due
    complaint.reminded_on = complaint.escalated_on = None
    complaint.full_clean(exclude=["access_code_hash"])
    complaint._history_user = actor
    complaint.save()


@transaction.atomic
def complaint_accept(*, complaint: Complaint, actor, handler=None, note: str = "") -> Complaint:
    """R16: accepted (受理); the handling period starts today."""
    complaint = _locked(complaint, actor)
    channel = channel_for(complaint)
    complaint.handling_started_on = localdate()
    complaint.handling_days = channel.handling_days if channel else DEFAULT_HANDLING_DAYS
    due = handling_deadline(complaint)
    complaint.handling_due, complaint.handling_provisional = due.deadline, due.provisional
    complaint.decision_note = note.strip()
    _decided(complaint, actor, Complaint.Status.ACCEPTED, due=due.deadline)
    complaint.timeline.create(
        kind=ComplaintEvent.Kind.ACCEPTED,
        actor=actor,
        public=True,
        note=note.strip()
        or _("您的投诉已受理，办理期限至 %(due)s。") % {"due": f"{due.deadline:%Y-%m-%d}"},
    )
    notify_complainant(
        complaint=complaint,
        key=f"{complaint.pk}:accepted",
        subject=_("您的投诉已受理"),
        body=_("您的投诉已受理，将于 %(due)s 前办结并反馈。") % {"due": f"{due.deadline:%Y-%m-%d}"},
    )
    if handler is not None:
        complaint_assign(complaint=complaint, actor=actor, handler=handler)
        complaint.refresh_from_db()
    return complaint


@transaction.atomic
def complaint_refuse(*, complaint: Complaint, actor, reason: str, note: str = "") -> Complaint:
    """R17: not accepted, with the reason the complainant is told and the register keeps."""
    complaint = _locked(complaint, actor)  # who may decide first: an outsider learns nothing
    if reason not in RefusalReason.values:
        raise ValidationError({"reason": _("不予受理必须选择理由。")}, code="no_reason")
    note = note.strip()
    if reason == RefusalReason.OTHER and not note:
        raise ValidationError({"note": _("理由为“其他”时，请写明具体理由。")}, code="no_note")
    complaint.refusal_reason, complaint.decision_note = reason, note
    _decided(complaint, actor, Complaint.Status.REFUSED)
    told = RefusalReason(reason).label + (f"：{note}" if note else "")
    complaint.timeline.create(kind=ComplaintEvent.Kind.REFUSED, actor=actor, public=True, note=told)
    notify_complainant(
        complaint=complaint,
        key=f"{complaint.pk}:refused",
        subject=_("您的投诉不予受理"),
        body=_("经审查，您的投诉不予受理。理由：%(reason)s") % {"reason": told},
    )
    return complaint


@transaction.atomic
def complaint_transfer(*, complaint: Complaint, actor, to: str, note: str = "") -> Complaint:
    """R16: transferred to the competent office, with a notice to the complainant."""
    complaint = _locked(complaint, actor)
    to, note = (to or "").strip(), note.strip()
    if not to:
        raise ValidationError({"to": _("请填写有权处理的机关。")}, code="no_office")
    complaint.transferred_to, complaint.decision_note = to[:100], note
    _decided(complaint, actor, Complaint.Status.TRANSFERRED)
    told = _("已转 %(to)s 办理。") % {"to": to} + (f"{note}" if note else "")
    complaint.timeline.create(
        kind=ComplaintEvent.Kind.TRANSFERRED, actor=actor, public=True, note=told
    )
    notify_complainant(
        complaint=complaint,
        key=f"{complaint.pk}:transferred",
        subject=_("您的投诉已转办"),
        body=_("您的投诉不属于本机关处理范围，%(told)s") % {"told": told},
    )
    return complaint
