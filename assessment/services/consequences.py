"""R22: what follows a final result: criticism-education or off-post training for an unqualified
officer, the decision after two unqualified years (off enforcement duty, or the certificate
withdrawn through the officers' service), and the record of where a result was used."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from enforcement.services.officers import officer_certificate_suspend, officer_certificate_withdraw
from portal.scoping import can_supervise
from portal.text import clean_text

from ..models import CycleEvent, Grade, Measure, OfficerResult, RepeatDecision, ResultUse
from .officers import keeps_records_for

REPEAT_REFUSAL = _lazy("只有本辖区政府法制监督人员可以作出连续两年不合格的处理决定。")
KEEPER_REFUSAL = _lazy("只有执法人员所在单位或本辖区监督人员可以办理。")


def _final(result_pk: int) -> OfficerResult:
    return (
        OfficerResult.objects.select_related("agency__region", "cycle", "officer")
        .select_for_update(of=("self",))
        .get(pk=result_pk)
    )


def _event(result, kind, actor, note):
    CycleEvent.objects.create(
        cycle=result.cycle, kind=kind, actor=actor, agency=result.agency, note=note
    )


@transaction.atomic
def measure_order(*, result: OfficerResult, kind: str, note: str, actor) -> Measure:
    """R22: criticism-education or off-post training, for a final unqualified result only."""
    result = _final(result.pk)
    if not keeps_records_for(actor, result.agency) or result.officer.user_id == actor.pk:
        raise PermissionDenied(_("只有执法人员所在单位或本辖区监督人员可以作出处理。"))
    if result.final_at is None or result.grade != Grade.UNQUALIFIED:
        raise ValidationError(_("只有已确定为不合格的考核结果才能责令批评教育或离岗培训。"))
    if kind not in Measure.Kind.values:
        raise ValidationError({"kind": _("请选择批评教育或离岗培训。")})
    measure = Measure(
        result=result,
        kind=kind,
        note=clean_text(note, label=_("要求"), max_length=2000, field="note"),
        ordered_by=actor,
    )
    measure.full_clean()
    measure._history_user = actor
    measure.save()
    _event(
        result,
        CycleEvent.Kind.MEASURE_ORDERED,
        actor,
        f"{result.officer} {measure.get_kind_display()}",
    )
    return measure


@transaction.atomic
def measure_complete(*, measure: Measure, completed_on: date, note: str, actor) -> Measure:
    """R22: the measure's completion, once, on a day between its order and today."""
    measure = (
        Measure.objects.select_for_update(of=("self",))
        .select_related("result__agency__region", "result__cycle", "result__officer")
        .get(pk=measure.pk)
    )
    result = measure.result
    if not keeps_records_for(actor, result.agency) or result.officer.user_id == actor.pk:
        raise PermissionDenied(_("只有执法人员所在单位或本辖区监督人员可以确认完成情况。"))
    if measure.completed_on is not None:
        raise ValidationError(_("该措施已确认完成，不能再次确认。"))
    if not isinstance(completed_on, date) or isinstance(completed_on, datetime):
        raise ValidationError({"completed_on": _("请填写完成日期（YYYY-MM-DD）。")})
    ordered_on = timezone.localdate(measure.ordered_at)
    if not ordered_on <= completed_on <= timezone.localdate():
        raise ValidationError(
            {"completed_on": _("完成日期应在决定之日（%(on)s）至今天之间。") % {"on": ordered_on}}
        )
    measure.completed_on = completed_on
    measure.completion_note = clean_text(note, label=_("完成情况"), max_length=2000, field="note")
    measure.completed_by = actor
    measure.full_clean()
    measure._history_user = actor
    measure.save()
    _event(
        result,
        CycleEvent.Kind.MEASURE_COMPLETED,
        actor,
        f"{result.officer} {measure.get_kind_display()} {completed_on.isoformat()}",
    )
    return measure


def may_decide_repeat(user, decision: RepeatDecision) -> bool:
    """A supervisor of the region of the officer's agency (or an administrator)."""
    return can_supervise(user, decision.result.agency)


@transaction.atomic
def repeat_decision_decide(
    *, decision: RepeatDecision, outcome: str, reason: str, actor
) -> RepeatDecision:
    """R22: unqualified two years running: off enforcement duty (the certificate suspended, so
    that the officer may not enforce) or the qualification withdrawn (the certificate
    withdrawn); both through enforcement's officers' service, which keeps the history. Once."""
    decision = (
        RepeatDecision.objects.select_for_update(of=("self",))
        .select_related("result__agency__region", "result__cycle", "officer")
        .get(pk=decision.pk)
    )
    result = decision.result
    if not may_decide_repeat(actor, decision):
        raise PermissionDenied(REPEAT_REFUSAL)
    if decision.outcome:
        raise ValidationError(_("该事项已作出处理决定，不能再次决定。"))
    if outcome not in RepeatDecision.Outcome.values:
        raise ValidationError({"outcome": _("请选择调离行政执法岗位或取消行政执法资格。")})
    reason = clean_text(reason, label=_("决定理由"), max_length=2000, field="reason")
    decision.outcome = outcome
    decision.reason = reason
    decision.decided_by = actor
    decision.decided_at = timezone.now()
    decision.full_clean()
    decision._history_user = actor
    decision.save()
    why = _("连续两年考核不合格：%(outcome)s。%(reason)s") % {
        "outcome": decision.get_outcome_display(),
        "reason": reason,
    }
    change = (
        officer_certificate_withdraw
        if outcome == RepeatDecision.Outcome.WITHDRAW
        else officer_certificate_suspend
    )
    change(officer=decision.officer, reason=why, on=timezone.localdate(), actor=actor)
    _event(
        result,
        CycleEvent.Kind.REPEAT_DECIDED,
        actor,
        f"{decision.officer} {decision.get_outcome_display()}",
    )
    return decision


@transaction.atomic
def result_use_record(*, result: OfficerResult, kind: str, note: str, actor) -> ResultUse:
    """R22: where a final result was used (job level, rotation, training, reward, sanction)."""
    result = _final(result.pk)
    if not keeps_records_for(actor, result.agency) or result.officer.user_id == actor.pk:
        raise PermissionDenied(_("只有执法人员所在单位或本辖区监督人员可以记录结果运用。"))
    if result.final_at is None:
        raise ValidationError(_("考核结果确定后才能记录结果运用。"))
    if kind not in ResultUse.Kind.values:
        raise ValidationError({"kind": _("没有这种结果运用方式。")})
    use = ResultUse(
        result=result,
        kind=kind,
        note=clean_text(note, label=_("说明"), max_length=2000, field="note"),
        recorded_by=actor,
    )
    use.full_clean()
    use.save()
    _event(result, CycleEvent.Kind.RESULT_USED, actor, f"{result.officer} {use.get_kind_display()}")
    return use
