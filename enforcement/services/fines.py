"""R30: the payment of a fine, entered from the collecting bank's receipt (罚缴分离).

The agency that decided a fine never collects it: the party pays the bank the decision names,
and a supervisor whose region covers the agency enters the payment from the bank's receipt.
The decision row is locked while a payment is entered, so two entries at once cannot together
exceed the fine.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.roles import Role, role_of
from portal.scoping import can_supervise
from portal.text import clean_text

from ..models import CaseEvent, Decision, FinePayment, Stage
from ..selectors.fines import paid_total

PAYABLE_STAGES = (Stage.SERVICE, Stage.ARCHIVING)


def _locked(decision: Decision) -> Decision:
    # Only the decision's row: PostgreSQL cannot lock the nullable side of an outer join.
    return (
        Decision.objects.select_for_update(of=("self",))
        .select_related("case__agency__region", "collecting_bank")
        .get(pk=decision.pk)
    )


def may_record_payment(user, agency) -> bool:
    """R30: a supervisor over the agency's region, never the agency or its legal office."""
    return role_of(user) == Role.SUPERVISOR and can_supervise(user, agency)


def _check_payable(decision: Decision, actor) -> None:
    case = decision.case
    if not may_record_payment(actor, case.agency) or actor.pk == decision.issued_by_id:
        raise PermissionDenied(
            _(
                "罚款缴纳由政府法制部门根据代收银行的缴款凭据录入，"
                "作出决定的执法部门不能自行录入（R30）。"
            )
        )
    if decision.status != Decision.Status.ISSUED or decision.kind != Decision.Kind.FINE:
        raise ValidationError(_("只有已作出的罚款决定才能录入缴款。"), code="not_a_fine")
    if case.closed_at is not None:
        raise ValidationError(_("案件已结案，不能再录入缴款。"), code="closed")
    if case.stage not in PAYABLE_STAGES:
        raise ValidationError(_("案件进入“送达执行”阶段后才能录入缴款。"), code="stage")


def _refused(field: str, message: str, code: str) -> ValidationError:
    """A refusal naming its field, with a code an API client can rely on."""
    return ValidationError({field: ValidationError(message, code=code)})


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise _refused("amount", _("请填写缴款金额。"), "required")
    if amount <= 0:
        raise _refused("amount", _("缴款金额须大于零。"), "not_positive")
    return amount


def _paid_on(value, decision: Decision) -> datetime.date:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise _refused("paid_on", _("请填写缴款日期。"), "required")
    if value > timezone.localdate():
        raise _refused("paid_on", _("缴款日期不能晚于今天。"), "future")
    issued_on = timezone.localdate(decision.issued_at)
    if value < issued_on:
        message = _("缴款日期不能早于决定作出之日（%(date)s）。") % {"date": issued_on}
        raise _refused("paid_on", message, "before_decision")
    return value


def _receipt(value, decision: Decision) -> str:
    receipt = clean_text(value, label=_("银行回执编号"), max_length=50, field="receipt_number")
    if FinePayment.objects.filter(bank=decision.collecting_bank, receipt_number=receipt).exists():
        raise _refused("receipt_number", _duplicate(receipt), "duplicate")
    return receipt


def _duplicate(receipt: str) -> str:
    return _("银行回执编号“%(receipt)s”已经录入过，同一张回执不能重复录入。") % {"receipt": receipt}


@transaction.atomic
def fine_payment_record(
    *,
    decision: Decision,
    actor,
    receipt_number: str,
    amount: Decimal,
    paid_on: datetime.date,
    note: str = "",
) -> FinePayment:
    """R30: a payment of an issued fine, entered by a supervisor from the bank's receipt; the
    total paid never exceeds the fine, and a receipt is entered once."""
    decision = _locked(decision)
    _check_payable(decision, actor)
    payment = FinePayment(
        decision=decision,
        bank=decision.collecting_bank,
        receipt_number=_receipt(receipt_number, decision),
        amount=_amount(amount),
        paid_on=_paid_on(paid_on, decision),
        note=clean_text(note, label=_("备注"), max_length=500, required=False, field="note"),
        recorded_by=actor,
    )
    owed = decision.fine_amount - paid_total(decision=decision)
    if payment.amount > owed:
        message = _("缴款金额 %(amount)s 元超过尚未缴纳的罚款 %(owed)s 元。") % {
            "amount": payment.amount,
            "owed": owed,
        }
        raise _refused("amount", message, "overpaid")
    payment.full_clean()
    payment._history_user = actor
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError as exc:  # the same receipt entered at this very moment for another fine
        raise _refused("receipt_number", _duplicate(payment.receipt_number), "duplicate") from exc
    note = _("缴款 %(amount)s 元，银行回执编号 %(receipt)s，尚欠 %(owed)s 元。") % {
        "amount": payment.amount,
        "receipt": payment.receipt_number,
        "owed": owed - payment.amount,
    }
    decision.case.timeline.create(kind=CaseEvent.Kind.PAYMENT_RECORDED, actor=actor, note=note)
    return payment
