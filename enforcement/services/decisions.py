"""R5, R7: a case's decision, the legal review of a major one, and its issue.

The decision is drafted in the case's review-and-decision stage. Whether it is major follows its
region's criteria (MajorDecisionCriteria, nearest region up the tree, else the policy's
defaults) and is worked out again at submission and at issue. A major decision is issued only
once the latest legal review of it agrees; two reviewers cannot both decide (the decision row is
locked and a review is taken only while it awaits one).
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.scoping import can_act_for, can_review_for
from portal.text import clean_text

from ..models import (
    Case,
    CaseEvent,
    CollectingBank,
    Decision,
    DiscretionTier,
    LegalReview,
    MajorDecisionCriteria,
    Party,
    Stage,
)
from ..models.discretion_trials import TRIAL_CATEGORIES
from ..selectors.fines import banks_for
from .disclosures import disclosure_publish
from .numbering import applied_bases, decision_number_take


def criteria_for(case: Case) -> MajorDecisionCriteria:
    """The criteria of the case's region, or of the nearest region above it, or the defaults."""
    found = case.agency.region.nearest(MajorDecisionCriteria.objects.all())
    return found or MajorDecisionCriteria()


def major_reasons(decision: Decision, criteria: MajorDecisionCriteria) -> list[str]:
    """R5: which criteria make the decision major (empty: it is not)."""
    reasons = []
    if decision.kind == Decision.Kind.FINE and decision.fine_amount is not None:
        organisations = decision.case.parties.exclude(kind=Party.Kind.CITIZEN).exists()
        threshold = criteria.organisation_fine if organisations else criteria.citizen_fine
        if decision.fine_amount >= threshold:
            reasons.append(
                _("对%(whom)s罚款 %(amount)s 元，达到 %(threshold)s 元")
                % {
                    "whom": _("法人或其他组织") if organisations else _("公民"),
                    "amount": decision.fine_amount,
                    "threshold": threshold,
                }
            )
    if criteria.stop_production and decision.kind == Decision.Kind.STOP_PRODUCTION:
        reasons.append(_("责令停产停业"))
    if criteria.revocation and decision.kind == Decision.Kind.REVOCATION:
        reasons.append(_("吊销许可证件"))
    if criteria.hearing and decision.hearing_held:
        reasons.append(_("经过听证"))
    if criteria.outside_benchmark and decision.fine_outside_tier():
        reasons.append(_("罚款超出所适用裁量基准的幅度"))
    return reasons


def _event(decision: Decision, actor, kind: str, note: str) -> None:
    decision.case.timeline.create(kind=kind, actor=actor, note=note)


def _save(decision: Decision, actor) -> Decision:
    decision.full_clean()
    decision._history_user = actor
    decision.save()
    return decision


@transaction.atomic
def decision_save(
    *,
    case: Case,
    actor,
    kind: str,
    explanation: str,
    draft: str,
    fine_amount: Decimal | None = None,
    tier: DiscretionTier | None = None,
    outside_tier_reason: str = "",
    hearing_held: bool = False,
    collecting_bank: CollectingBank | None = None,
) -> Decision:
    """Draft (or revise a returned) decision in the case's review-and-decision stage (R7: a
    penalty names the benchmark tier it applies; a fine outside its range needs a reason; R30:
    a fine names the bank designated to collect it, by default the first the region designates)."""
    case = Case.objects.select_for_update().select_related("agency__region").get(pk=case.pk)
    if not can_act_for(actor, case.agency):
        raise PermissionDenied(_("只有本单位的执法人员可以拟定本单位案件的决定。"))
    if case.stage != Stage.DECISION:
        raise ValidationError(_("案件进入“审查决定”阶段后才能拟定执法决定。"), code="stage")
    decision = Decision.objects.filter(case=case).first() or Decision(case=case)
    if decision.pk and decision.status not in Decision.EDITABLE:
        raise ValidationError(
            _("决定当前状态为“%(status)s”，不能修改。") % {"status": decision.get_status_display()},
            code="not_editable",
        )
    if kind not in Decision.Kind.values:
        raise ValidationError({"kind": _("请选择决定种类。")})
    tiers = case.power_item.discretion_tiers.all()
    if tier is not None and tier.item_id != case.power_item_id:
        raise ValidationError({"tier": _("只能适用本案职权事项的裁量基准。")})
    # R7: a penalty, and any decision under a licensing or coercion item of the trial, names
    # the tier it applies when its item has a benchmark.
    benchmarked = kind != Decision.Kind.OTHER or case.power_item.category in TRIAL_CATEGORIES
    if tier is None and benchmarked and tiers.exists():
        raise ValidationError({"tier": _("请选择所适用的裁量基准（R7）。")})
    if kind == Decision.Kind.FINE and not (fine_amount and fine_amount > 0):
        raise ValidationError({"fine_amount": _("罚款决定须写明罚款金额。")})
    decision.kind = kind
    decision.fine_amount = fine_amount if kind == Decision.Kind.FINE else None
    decision.collecting_bank = _collecting_bank(case, kind, collecting_bank)
    decision.tier = tier
    decision.hearing_held = bool(hearing_held)
    decision.explanation = clean_text(
        explanation, label=_("拟作出决定的情况说明"), max_length=10000
    )
    decision.draft = clean_text(draft, label=_("决定书草稿"), max_length=20000)
    decision.outside_tier_reason = (outside_tier_reason or "").strip()
    if decision.fine_outside_tier() and not decision.outside_tier_reason:
        raise ValidationError(
            {"outside_tier_reason": _("罚款金额超出所适用裁量基准的幅度，须写明理由（R7）。")}
        )
    decision.major_reasons = major_reasons(decision, criteria_for(case))
    decision.is_major = bool(decision.major_reasons)
    decision.status, decision.approved_review = Decision.Status.DRAFT, None
    _save(decision, actor)
    _event(decision, actor, CaseEvent.Kind.DECISION_SAVED, decision.get_kind_display())
    return decision


def _collecting_bank(case: Case, kind: str, chosen: CollectingBank | None):
    """R30: a fine is paid to a bank the region designates, never to the agency."""
    if kind != Decision.Kind.FINE:
        return None
    banks = banks_for(agency=case.agency)
    if chosen is None:
        chosen = banks.first()
        if chosen is None:
            raise ValidationError(
                {
                    "collecting_bank": _(
                        "本地区尚未指定罚款代收银行，不能作出罚款决定，请联系政府法制部门（R30）。"
                    )
                }
            )
    elif not banks.filter(pk=chosen.pk).exists():
        raise ValidationError({"collecting_bank": _("只能选择本地区指定的罚款代收银行（R30）。")})
    return chosen


def _locked(decision: Decision) -> Decision:
    # Only the decision's row is locked: PostgreSQL cannot lock the nullable side of the outer
    # joins to the tier and the approving review.
    return (
        Decision.objects.select_for_update(of=("self",))
        .select_related("case__agency__region", "tier", "approved_review")
        .get(pk=decision.pk)
    )


@transaction.atomic
def decision_submit(*, decision: Decision, actor) -> Decision:
    """R5: a major decision goes to the agency's legal office with its explanation, its draft
    and the case's evidence."""
    decision = _locked(decision)
    if not can_act_for(actor, decision.case.agency):
        raise PermissionDenied(_("只有本单位的执法人员可以提交法制审核。"))
    if decision.status not in Decision.EDITABLE:
        raise ValidationError(
            _("决定当前状态为“%(status)s”，不能提交审核。")
            % {"status": decision.get_status_display()},
            code="not_editable",
        )
    decision.major_reasons = major_reasons(decision, criteria_for(decision.case))
    decision.is_major = bool(decision.major_reasons)
    if not decision.is_major:
        raise ValidationError(_("该决定不属于重大执法决定，无需法制审核，可以直接作出。"))
    decision.status, decision.approved_review = Decision.Status.IN_REVIEW, None
    _save(decision, actor)
    _event(decision, actor, CaseEvent.Kind.DECISION_SUBMITTED, "；".join(decision.major_reasons))
    return decision


@transaction.atomic
def legal_review_record(
    *,
    decision: Decision,
    actor,
    subject_lawful: bool,
    facts_proven: bool,
    basis_correct: bool,
    discretion_proper: bool,
    procedure_lawful: bool,
    conclusion: str,
    reasons: str,
) -> LegalReview:
    """R5: the legal office checks subject and qualification, facts and evidence, basis,
    discretion and procedure, and agrees, disagrees or asks for a revision, with reasons."""
    decision = _locked(decision)
    if not can_review_for(actor, decision.case.agency):
        raise PermissionDenied(_("只有本单位的法制审核机构可以审核。"))
    if decision.status != Decision.Status.IN_REVIEW:
        raise ValidationError(
            _("该决定当前状态为“%(status)s”，不在待审核状态（可能已由他人审核）。")
            % {"status": decision.get_status_display()},
            code="not_in_review",
        )
    if conclusion not in LegalReview.Conclusion.values:
        raise ValidationError({"conclusion": _("请选择审核意见。")})
    checks = {
        "subject_lawful": subject_lawful,
        "facts_proven": facts_proven,
        "basis_correct": basis_correct,
        "discretion_proper": discretion_proper,
        "procedure_lawful": procedure_lawful,
    }
    if conclusion == LegalReview.Conclusion.AGREE and not all(checks.values()):
        raise ValidationError(_("五项审核内容均合格才能同意。"), code="checks_failed")
    review = LegalReview(
        decision=decision,
        reviewer=actor,
        conclusion=conclusion,
        reasons=clean_text(reasons, label=_("审核理由"), max_length=5000),
        **{name: bool(value) for name, value in checks.items()},
    )
    review.full_clean()
    review.save()
    if conclusion == LegalReview.Conclusion.AGREE:
        decision.status, decision.approved_review = Decision.Status.AGREED, review
    else:
        decision.status, decision.approved_review = Decision.Status.RETURNED, None
    _save(decision, actor)
    _event(
        decision,
        actor,
        CaseEvent.Kind.REVIEWED,
        f"{review.get_conclusion_display()}：{review.reasons}",
    )
    return review


@transaction.atomic
def decision_issue(*, decision: Decision, actor) -> Decision:
    """Issue the decision; a major one only after the latest legal review of it agreed (R5)."""
    decision = _locked(decision)
    case = decision.case
    if not can_act_for(actor, case.agency):
        raise PermissionDenied(_("只有本单位的执法人员可以作出决定。"))
    if case.stage != Stage.DECISION:
        raise ValidationError(_("案件不在“审查决定”阶段，不能作出决定。"), code="stage")
    if decision.status == Decision.Status.ISSUED:
        raise ValidationError(_("该决定已经作出。"), code="issued")
    decision.major_reasons = major_reasons(decision, criteria_for(case))
    decision.is_major = bool(decision.major_reasons)
    latest = decision.reviews.order_by("-at", "-pk").first()
    if decision.is_major and not (
        decision.status == Decision.Status.AGREED
        and latest is not None
        and latest.conclusion == LegalReview.Conclusion.AGREE
        and decision.approved_review_id == latest.pk
    ):
        raise ValidationError(
            _("重大执法决定须经法制审核同意后才能作出（R5）。"), code="review_required"
        )
    if not decision.is_major and decision.status not in (
        *Decision.EDITABLE,
        Decision.Status.AGREED,
    ):
        raise ValidationError(
            _("决定当前状态为“%(status)s”，不能作出。") % {"status": decision.get_status_display()}
        )
    decision.status = Decision.Status.ISSUED
    decision.issued_at, decision.issued_by = timezone.now(), actor
    # R9: the document's official number and the legal bases it applied, fixed at issue.
    decision.legal_bases = applied_bases(case)
    decision.number = decision_number_take(decision=decision)
    _save(decision, actor)
    _event(
        decision,
        actor,
        CaseEvent.Kind.DECISION_ISSUED,
        f"{decision.number} {decision.get_kind_display()}",
    )
    disclosure_publish(decision=decision, actor=actor)  # R9: public by default, at once
    return decision
