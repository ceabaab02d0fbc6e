"""R24: a decided case that calls for it is transferred (移送) to the supervision commission,
the appointing body or the judicial organs; each transfer's receipt (回执) is recorded, and the
case closes only once every transfer has its receipt.

The clue's finding on closing: RESPONSIBLE when the decision found anyone responsible (the
transfer adds to the portal's own finding, it does not replace it), else TRANSFERRED (the facts
were handed to the other body to deal with).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from portal.text import clean_text

from ..models import Clue, Proceeding, ProceedingEvent, Transfer
from .clues import EARLIEST_DATE
from .decisions import close_case, may_decide

Step = Proceeding.Step


def may_transfer(user, proceeding: Proceeding) -> bool:
    """The case's handler, or a supervisor over the unit who may decide its case."""
    return proceeding.handler_id == user.pk or may_decide(user, proceeding.agency)


def _locked_case(proceeding: Proceeding, actor) -> Proceeding:
    proceeding = (
        Proceeding.objects.select_for_update(of=("self",))
        .select_related("agency__region", "decision")
        .get(pk=proceeding.pk)
    )
    if not may_transfer(actor, proceeding):
        raise PermissionDenied(_("只有本案承办人或有权作出决定的监督人员可以办理移送。"))
    if proceeding.step != Step.TRANSFER:
        raise ValidationError(
            _("案件当前处于“%(step)s”环节，不在移送环节。")
            % {"step": proceeding.get_step_display()},
            code="step",
        )
    return proceeding


def _check_date(value, *, field: str, label, earliest: date) -> date:
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise ValidationError({field: _("%(label)s不是有效的日期。") % {"label": label}})
    if value > localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天。") % {"label": label}})
    if value < max(earliest, EARLIEST_DATE):
        raise ValidationError(
            {
                field: _("%(label)s不能早于 %(d)s。")
                % {"label": label, "d": f"{max(earliest, EARLIEST_DATE):%Y-%m-%d}"}
            }
        )
    return value


@transaction.atomic
def transfer_send(
    *, proceeding: Proceeding, body: str, body_name: str, reason: str, sent_on: date, actor
) -> Transfer:
    """R24: record a transfer of the decided case, the body it went to, why and when."""
    proceeding = _locked_case(proceeding, actor)
    if body not in Transfer.Body.values:
        raise ValidationError({"body": _("请选择移送机关类别。")})
    body_name = clean_text(body_name, field="body_name", label=_("移送机关名称"), max_length=100)
    reason = clean_text(reason, field="reason", label=_("移送事由"), max_length=5000)
    sent_on = _check_date(
        sent_on, field="sent_on", label=_("移送日期"), earliest=proceeding.decision.decided_on
    )
    transfer = Transfer(
        proceeding=proceeding,
        body=body,
        body_name=body_name,
        reason=reason,
        sent_on=sent_on,
        sent_by=actor,
    )
    transfer.full_clean()
    transfer._history_user = actor
    transfer.save()
    ProceedingEvent.objects.create(
        proceeding=proceeding,
        kind=ProceedingEvent.Kind.TRANSFERRED,
        actor=actor,
        note=_("移送%(body)s（%(kind)s），%(d)s：%(reason)s")
        % {
            "body": body_name,
            "kind": transfer.get_body_display(),
            "d": f"{sent_on:%Y-%m-%d}",
            "reason": reason,
        },
    )
    return transfer


@transaction.atomic
def transfer_receipt(
    *, transfer: Transfer, receipt_on: date, receipt_number: str, actor
) -> Transfer:
    """R24: record the receipt of a transfer, once."""
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    proceeding = _locked_case(transfer.proceeding, actor)
    if transfer.receipt_on is not None:
        raise ValidationError(_("该移送已登记回执。"), code="once")
    receipt_number = clean_text(
        receipt_number, field="receipt_number", label=_("回执编号"), max_length=100
    )
    receipt_on = _check_date(
        receipt_on, field="receipt_on", label=_("回执日期"), earliest=transfer.sent_on
    )
    transfer.receipt_on, transfer.receipt_number, transfer.receipt_by = (
        receipt_on,
        receipt_number,
        actor,
    )
    transfer.full_clean()
    transfer._history_user = actor
    transfer.save()
    ProceedingEvent.objects.create(
        proceeding=proceeding,
        kind=ProceedingEvent.Kind.RECEIPTED,
        actor=actor,
        note=_("%(body)s回执 %(number)s（%(d)s）")
        % {"body": transfer.body_name, "number": receipt_number, "d": f"{receipt_on:%Y-%m-%d}"},
    )
    return transfer


@transaction.atomic
def transfer_close(*, proceeding: Proceeding, actor) -> Proceeding:
    """R24: close a transferred case: at least one transfer, every one with its receipt."""
    proceeding = _locked_case(proceeding, actor)
    transfers = list(proceeding.transfers.all())
    if not transfers:
        raise ValidationError(_("尚未移送，案件不能办结。"), code="none")
    waiting = [t for t in transfers if t.receipt_on is None]
    if waiting:
        raise ValidationError(
            _("移送%(bodies)s尚未取得回执，案件不能办结。")
            % {"bodies": "、".join(t.body_name for t in waiting)},
            code="receipt",
        )
    responsible = proceeding.decision.sanctions.filter(responsible=True).exists()
    finding = Clue.Finding.RESPONSIBLE if responsible else Clue.Finding.TRANSFERRED
    reasons = _("已移送%(bodies)s并取得回执。%(reasons)s") % {
        "bodies": "、".join(f"{t.body_name}（{t.receipt_number}）" for t in transfers),
        "reasons": proceeding.decision.reasons,
    }
    close_case(proceeding=proceeding, finding=finding, reasons=reasons, actor=actor)
    return proceeding
