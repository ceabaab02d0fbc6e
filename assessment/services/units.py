"""Writes of a department's evaluation of its internal units (R19). The units themselves are
derived from the power list's handling units when the cycle opens or is refreshed
(`assessment.services.cycles.assignments_derive`)."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.scoping import can_act_for
from portal.text import clean_text, refuse_control_chars

from ..models import CycleEvent, UnitEvaluation


def _points(value) -> Decimal:
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, TypeError):
        points = None
    if points is None or not points.is_finite() or not Decimal("0") <= points <= 100:
        raise ValidationError({"points": _("得分应为 0 至 100 之间的数字。")}, code="points")
    if points != points.quantize(Decimal("0.01")):
        raise ValidationError({"points": _("得分最多保留两位小数。")}, code="points")
    return points


def unit_check_evaluator(*, unit_evaluation: UnitEvaluation, actor) -> None:
    """PermissionDenied unless `actor` keeps records for the unit's department."""
    if not can_act_for(actor, unit_evaluation.agency):
        raise PermissionDenied(_("只有本部门的工作人员可以考核本部门的内设机构。"))


@transaction.atomic
def unit_evaluate(
    *, unit_evaluation: UnitEvaluation, points, comment: str = "", actor
) -> UnitEvaluation:
    """R19: each department evaluates its internal units: it enters the points, the grade follows
    from the cycle's thresholds (R22) and is never typed. A later entry replaces the earlier."""
    unit_check_evaluator(unit_evaluation=unit_evaluation, actor=actor)
    unit_evaluation = (
        UnitEvaluation.objects.select_for_update()
        .select_related("cycle", "agency")
        .get(pk=unit_evaluation.pk)
    )
    cycle = unit_evaluation.cycle
    if cycle.status != cycle.Status.OPEN:
        raise ValidationError(_("该评议考核已结束，不能再修改。"), code="closed")
    unit_evaluation.points = _points(points)
    unit_evaluation.comment = clean_text(
        comment, label=_("评语"), max_length=2000, required=False, field="comment"
    )
    refuse_control_chars(unit_evaluation.comment, label=_("评语"))
    unit_evaluation.grade = cycle.grade_for(unit_evaluation.points)
    unit_evaluation.evaluated_by = actor
    unit_evaluation.evaluated_at = timezone.now()
    unit_evaluation.full_clean()
    unit_evaluation._history_user = actor
    unit_evaluation.save()
    CycleEvent.objects.create(
        cycle=cycle,
        kind=CycleEvent.Kind.UNITS_EVALUATED,
        actor=actor,
        agency=unit_evaluation.agency,
        note=_("%(unit)s：%(points)s 分，%(grade)s")
        % {
            "unit": unit_evaluation.unit,
            "points": unit_evaluation.points,
            "grade": unit_evaluation.get_grade_display(),
        },
    )
    return unit_evaluation
