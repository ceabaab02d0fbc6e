"""R21: the officer's objection to a published result, and its decision with reasons."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from portal.scoping import can_supervise
from portal.text import clean_text

from ..models import CycleEvent, Objection, OfficerResult
from .officers import HUNDRED, TWO, china_today

DECIDE_REFUSAL = _lazy("只有本辖区政府法制监督人员可以处理考核异议。")


@transaction.atomic
def objection_file(*, result: OfficerResult, reason: str, actor) -> Objection:
    """R21: only the officer themself, once, until the end of the objection's last day
    (Asia/Shanghai)."""
    result = (
        OfficerResult.objects.select_for_update()
        .select_related("officer", "cycle", "agency")
        .get(pk=result.pk)
    )
    if not actor.is_authenticated or result.officer.user_id != actor.pk:
        raise PermissionDenied(_("只有被考核的执法人员本人可以对考核结果提出异议。"))
    if result.published_at is None:
        raise ValidationError(_("考核结果尚未公布，不能提出异议。"))
    if Objection.objects.filter(result=result).exists():
        raise ValidationError(_("您已对该考核结果提出过异议，每项结果只能提出一次。"))
    if result.final_at is not None or china_today() > result.objection_due:
        raise ValidationError(
            _("异议期限已于 %(due)s 届满，不能再提出异议。")
            % {"due": result.objection_due.isoformat()}
        )
    objection = Objection(
        result=result,
        reason=clean_text(reason, label=_("异议理由"), max_length=2000, field="reason"),
        filed_by=actor,
    )
    objection.full_clean()
    objection._history_user = actor
    try:
        with transaction.atomic():
            objection.save()
    except IntegrityError as exc:  # a second submission racing the first
        raise ValidationError(_("您已对该考核结果提出过异议，每项结果只能提出一次。")) from exc
    CycleEvent.objects.create(
        cycle=result.cycle,
        kind=CycleEvent.Kind.OBJECTION_FILED,
        actor=actor,
        agency=result.agency,
        note=str(result.officer),
    )
    return objection


def _revised(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        total = Decimal(str(value).strip()) if not isinstance(value, bool) else None
    except InvalidOperation:
        total = None
    if total is None or not total.is_finite() or not Decimal(0) <= total <= HUNDRED:
        raise ValidationError({"revised_total": _("复核后总分应为 0 至 100 之间的数字。")})
    if total != total.quantize(TWO):
        raise ValidationError({"revised_total": _("复核后总分最多保留两位小数。")})
    return total


def may_decide_objection(user, objection: Objection) -> bool:
    """A supervisor of the region of the officer's agency (or an administrator)."""
    return can_supervise(user, objection.result.agency)


@transaction.atomic
def objection_decide(
    *, objection: Objection, upheld: bool, reason: str, revised_total=None, actor
) -> Objection:
    """R21: a supervisor in scope decides with reasons; an objection upheld with a revised
    total regrades the result under the cycle's thresholds (the old total stays in history)."""
    objection = (
        Objection.objects.select_for_update()
        .select_related("result__agency__region", "result__cycle", "result__officer")
        .get(pk=objection.pk)
    )
    result = objection.result
    if not may_decide_objection(actor, objection):
        raise PermissionDenied(DECIDE_REFUSAL)
    if objection.status != Objection.Status.PENDING:
        raise ValidationError(_("该异议已经处理，不能再次处理。"))
    if not isinstance(upheld, bool):
        raise ValidationError({"upheld": _("请选择异议是否成立。")})
    reason = clean_text(reason, label=_("处理理由"), max_length=2000, field="reason")
    total = _revised(revised_total)
    if total is not None and not upheld:
        raise ValidationError({"revised_total": _("异议不成立时不能修改总分。")})
    objection.status = Objection.Status.UPHELD if upheld else Objection.Status.REJECTED
    objection.decision_reason = reason
    objection.revised_total = total
    objection.decided_by = actor
    objection.decided_at = timezone.now()
    objection.full_clean()
    objection._history_user = actor
    objection.save()
    note = f"{result.officer} {objection.get_status_display()}"
    if total is not None:
        result = OfficerResult.objects.select_for_update().get(pk=result.pk)
        old = result.total
        result.total = total
        result.grade = objection.result.cycle.grade_for(total)
        result.full_clean()
        result._history_user = actor
        result.save(update_fields=["total", "grade"])
        note += _("，总分由 %(old)s 改为 %(new)s（%(grade)s）") % {
            "old": old,
            "new": total,
            "grade": result.get_grade_display(),
        }
    CycleEvent.objects.create(
        cycle=objection.result.cycle,
        kind=CycleEvent.Kind.OBJECTION_DECIDED,
        actor=actor,
        agency=objection.result.agency,
        note=note,
    )
    return objection
