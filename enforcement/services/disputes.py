"""R8, R10: jurisdiction disputes. An agency raises one against another; the other states its
view; a supervisor whose region covers both records the binding decision with its reasons."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.scoping import can_act_for, can_supervise
from portal.text import clean_text

from ..models import Agency, Dispute, DisputeEvent


def _save(dispute: Dispute, actor, kind: str, note: str) -> Dispute:
    dispute.full_clean()
    dispute._history_user = actor
    dispute.save()
    dispute.timeline.create(kind=kind, actor=actor, note=note)
    return dispute


@transaction.atomic
def dispute_raise(
    *, raised_by: Agency, other: Agency, kind: str, matter: str, statement: str, actor
) -> Dispute:
    """An agency's staff raise a dispute with another agency over a matter."""
    if not can_act_for(actor, raised_by):
        raise PermissionDenied(_("只能以本单位名义提出管辖争议。"))
    if other.pk == raised_by.pk:
        raise ValidationError({"other": _("管辖争议须在两个不同的单位之间提出。")})
    if kind not in Dispute.Kind.values:
        raise ValidationError({"kind": _("请选择争议类型。")})
    dispute = Dispute(
        raised_by=raised_by,
        other=other,
        kind=kind,
        matter=clean_text(matter, field="matter", label=_("争议事项"), max_length=300),
        statement=clean_text(statement, field="statement", label=_("意见和依据"), max_length=5000),
        raised_by_user=actor,
    )
    return _save(dispute, actor, DisputeEvent.Kind.RAISED, dispute.matter)


def _locked(dispute: Dispute) -> Dispute:
    return (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("raised_by__region", "other__region")
        .get(pk=dispute.pk)
    )


@transaction.atomic
def dispute_answer(*, dispute: Dispute, actor, answer: str) -> Dispute:
    """The other agency states its view, once."""
    dispute = _locked(dispute)
    if not can_act_for(actor, dispute.other):
        raise PermissionDenied(_("只有对方单位可以陈述意见。"))
    if dispute.status != Dispute.Status.RAISED:
        raise ValidationError(_("对方单位已经陈述过意见，或争议已经决定。"), code="answered")
    dispute.answer = clean_text(answer, field="answer", label=_("意见和依据"), max_length=5000)
    dispute.status = Dispute.Status.ANSWERED
    return _save(dispute, actor, DisputeEvent.Kind.ANSWERED, dispute.answer)


@transaction.atomic
def dispute_decide(*, dispute: Dispute, actor, responsible: Agency, decision: str) -> Dispute:
    """A supervisor whose region covers both agencies records the binding decision: which
    agency has jurisdiction, and why. A decided dispute is final."""
    dispute = _locked(dispute)
    if not (can_supervise(actor, dispute.raised_by) and can_supervise(actor, dispute.other)):
        raise PermissionDenied(_("只有同时管辖双方单位的政府法制监督人员可以作出协调决定。"))
    if dispute.status == Dispute.Status.DECIDED:
        raise ValidationError(_("该争议已经作出决定。"), code="decided")
    if not can_supervise(actor, responsible):
        raise ValidationError({"responsible": _("决定的管辖单位须在本辖区内。")})
    dispute.responsible = responsible
    dispute.decision = clean_text(
        decision, field="decision", label=_("协调决定及理由"), max_length=5000
    )
    dispute.status = Dispute.Status.DECIDED
    dispute.decided_by, dispute.decided_at = actor, timezone.now()
    note = _("由%(agency)s管辖：%(reasons)s") % {"agency": responsible, "reasons": dispute.decision}
    return _save(dispute, actor, DisputeEvent.Kind.DECIDED, note)
