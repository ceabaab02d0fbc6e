"""R20: an evaluator's points for each indicator, with what they rest on."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.text import clean_text

from ..models import Assignment, Cycle, CycleEvent, Indicator, Score
from .permissions import assignment_can_score

EVIDENCE_MAX = 2000
TWO_PLACES = Decimal("0.01")


def parse_points(raw, *, indicator: Indicator) -> Decimal:
    """`raw` (a number or its text) as points within 0 … the indicator's maximum, at most two
    decimals; anything else refused in Chinese, naming the range."""
    bounds = {"min": 0, "max": f"{indicator.max_points.normalize():f}", "name": indicator.name}
    out_of_range = _("“%(name)s”的得分应在 %(min)s 至 %(max)s 分之间。") % bounds
    if isinstance(raw, bool) or not isinstance(raw, int | Decimal | str | float):
        raise ValidationError({"points": out_of_range}, code="bad_points")
    try:
        points = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValidationError({"points": out_of_range}, code="bad_points") from None
    if not points.is_finite() or points != points.quantize(TWO_PLACES, rounding="ROUND_DOWN"):
        raise ValidationError(
            {"points": _("得分最多保留两位小数。") + out_of_range}, code="bad_points"
        )
    if not Decimal(0) <= points <= indicator.max_points:
        raise ValidationError({"points": out_of_range}, code="out_of_range")
    return points


@transaction.atomic
def score_save(
    *,
    assignment: Assignment,
    indicator: Indicator,
    points,
    evidence: str,
    inspections=(),
    actor,
) -> Score:
    """R20: record (or correct) the evaluator's points for one indicator, with the evidence they
    rest on and the inspections relied on. Every version is kept (simple-history)."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("cycle__region", "evaluator", "agency")
        .get(pk=assignment.pk)
    )
    if assignment.cycle.status != Cycle.Status.OPEN:
        raise ValidationError(_("该考核周期已结束，不能再评分。"), code="closed")
    if not assignment_can_score(actor, assignment):
        raise PermissionDenied(_("只有该单位的评议单位可以评分。"))
    if indicator.cycle_id != assignment.cycle_id:
        raise ValidationError({"indicator": _("该指标不属于本考核周期。")}, code="foreign")
    points = parse_points(points, indicator=indicator)
    evidence = clean_text(evidence, label=_("评分依据"), max_length=EVIDENCE_MAX, field="evidence")
    inspections = list(inspections)
    if any(
        i.cycle_id != assignment.cycle_id or i.agency_id != assignment.agency_id
        for i in inspections
    ):
        raise ValidationError(
            {"inspections": _("只能引用本考核周期对该单位的专项检查或暗访记录。")},
            code="foreign_inspection",
        )

    score = (
        Score.objects.select_for_update().filter(assignment=assignment, indicator=indicator).first()
    ) or Score(assignment=assignment, indicator=indicator)
    previous = score.points if score.pk else None
    score.points, score.evidence, score.scored_by = points, evidence, actor
    score.full_clean(exclude=["assignment", "indicator"], validate_unique=False)
    score._history_user = actor
    score.save()
    score.inspections.set(inspections)
    note = _("%(code)s %(name)s：%(points)s / %(max)s 分") % {
        "code": indicator.code,
        "name": indicator.name,
        "points": points,
        "max": indicator.max_points,
    }
    if previous is not None and previous != points:
        note += _("（原 %(old)s 分）") % {"old": previous}
    CycleEvent.objects.create(
        cycle=assignment.cycle,
        kind=CycleEvent.Kind.SCORED,
        actor=actor,
        agency=assignment.agency,
        note=note,
    )
    return score
