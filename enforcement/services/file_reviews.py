"""Case-file review (案卷评查, R20, R21): a supervisor over the agency scores a closed case
against the checklist (`CHECKLIST`, 100 points) and states its findings; the assessment of
agencies and officers aggregates the totals (`selectors.remedies.file_review_scores`).

The weights of the checklist's items are the region's (`CaseFileChecklist`, nearest region up the
tree); without one, `CHECKLIST`'s points, which are this portal's defaults and not the policy's.
The review keeps the weights it was scored against."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.text import clean_text

from ..models import CHECKLIST, Case, CaseEvent, CaseFileChecklist, CaseFileReview
from .remedies import supervises


def checklist_for(agency) -> CaseFileChecklist:
    """The weights of the agency's region, or of the nearest region above it, or the defaults
    (an unsaved row: this portal's local defaults, not the policy's)."""
    return agency.region.nearest(CaseFileChecklist.objects.all()) or CaseFileChecklist()


def _checked_scores(scores: dict, weights: dict[str, int]) -> dict[str, int]:
    unknown = set(scores) - {name for name, _label, _points in CHECKLIST}
    if unknown:
        raise TypeError(f"unknown checklist items: {sorted(unknown)}")
    errors, checked = {}, {}
    for name, label, _default in CHECKLIST:
        points = weights[name]
        value = scores.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= points:
            errors[name] = _("“%(label)s”的得分须为 0 至 %(points)s 之间的整数。") % {
                "label": label,
                "points": points,
            }
        else:
            checked[name] = value
    if errors:
        raise ValidationError(errors, code="score")
    return checked


@transaction.atomic
def case_file_review_record(*, case: Case, actor, findings: str, **scores) -> CaseFileReview:
    """R20, R21: score a closed case's file item by item; the total is their sum. A reviewer
    reviews a case once (a second post of the same form is refused, not counted twice)."""
    case = Case.objects.select_for_update().select_related("agency__region").get(pk=case.pk)
    if not supervises(actor, case.agency):
        raise PermissionDenied(_("只有管辖该单位的政府法制监督人员可以进行案卷评查。"))
    if case.closed_at is None:
        raise ValidationError(_("案件结案后才能进行案卷评查。"), code="not_closed")
    if CaseFileReview.objects.filter(case=case, reviewer=actor).exists():
        raise ValidationError(_("您已评查过本案卷，不能重复评查。"), code="reviewed")
    weights = checklist_for(case.agency).weights()
    checked = _checked_scores(scores, weights)
    review = CaseFileReview(
        case=case,
        reviewer=actor,
        findings=clean_text(findings, field="findings", label=_("评查意见"), max_length=5000),
        total=sum(checked.values()),
        **checked,
        **{f"{name}_points": points for name, points in weights.items()},
    )
    review.full_clean()
    review.save()
    case.timeline.create(
        kind=CaseEvent.Kind.FILE_REVIEWED,
        actor=actor,
        note=_("总分 %(total)s：%(findings)s")
        % {"total": review.total, "findings": review.findings},
    )
    return review


@transaction.atomic
def case_file_checklist_save(*, checklist: CaseFileChecklist, actor) -> CaseFileChecklist:
    """The weights of the checklist in a region and below (a local choice, out of 100): kept by
    the supervisors of that region or above. Reviews already made keep their weights."""
    from .decisions import keeps_region

    if not checklist.region_id or not keeps_region(actor, checklist.region):
        raise PermissionDenied(_("只有本级或上级政府法制部门可以设定本地区的案卷评查分值。"))
    checklist.full_clean()
    checklist._history_user = actor
    checklist.save()
    return checklist
