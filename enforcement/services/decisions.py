"""R5, R7: a case's decision, the legal review of a major one, and its issue.

The decision is drafted in the case's review-and-decision stage. Whether it is major follows its
region's catalogue (MajorDecisionCriteria and its entries, nearest region up the tree, else this
portal's defaults, which are local choices and not the policy's) and is worked out again at
every save, at submission and at issue. Besides the catalogue, a decision is major when staff or
the legal office marked it so with a reason (qualitative grounds no rule computes: 重大公共利益,
疑难复杂, 第三人重大权益), and once it has been submitted for legal review: 应审尽审, a decision
once submitted stays subject to review whatever the redraft (`review_required`), so a decision
the legal office disagreed with cannot be redrafted below the thresholds and issued.

Every save is a new draft version; a review names the version it reviewed. A major decision is
issued only once the latest review agrees and is of the current draft; two reviewers cannot both
decide (the decision row is locked and a review is taken only while it awaits one). Only the
legal office takes a mark off (decision_unmark_major), and that never frees a decision already
submitted.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.public_cache import public_cache_invalidate
from portal.roles import Role, role_of
from portal.scoping import can_act_for, can_review_for
from portal.text import clean_text

from ..models import (
    Case,
    CaseEvent,
    CollectingBank,
    Decision,
    DiscretionTier,
    Ground,
    LegalReview,
    MajorDecisionCriteria,
    MajorDecisionType,
    Party,
    Region,
    Stage,
)
from ..models.discretion_trials import TRIAL_CATEGORIES
from ..selectors.fines import banks_for
from .disclosures import disclosure_publish
from .numbering import applied_bases, decision_number_take


def criteria_for(case: Case) -> MajorDecisionCriteria:
    """The catalogue of the case's region, or of the nearest region above it, or the defaults
    (an unsaved row: this portal's local defaults, with no entries)."""
    found = case.agency.region.nearest(MajorDecisionCriteria.objects.all())
    return found or MajorDecisionCriteria()


def catalogue_entries(criteria: MajorDecisionCriteria, agency) -> list[MajorDecisionType]:
    """The catalogue's entries that apply to `agency`: those of every domain, and those of a
    domain the agency enforces in."""
    if criteria.pk is None:
        return []
    rows = criteria.entries.filter(
        Q(domains__isnull=True) | Q(domains__in=agency.domains.values("pk"))
    )
    return list(
        MajorDecisionType.objects.filter(pk__in=rows.values("pk"))
        .prefetch_related("domains")
        .order_by("kind", "pk")
    )


def major_reasons(decision: Decision, criteria: MajorDecisionCriteria) -> list[str]:
    """R5: which criteria of the catalogue make the decision major (empty: none does)."""
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
    for entry in catalogue_entries(criteria, decision.case.agency):
        if entry.kind != decision.kind:
            continue
        if entry.min_fine is not None and not (
            decision.fine_amount is not None and decision.fine_amount >= entry.min_fine
        ):
            continue
        reasons.append(_("目录所列情形：%(entry)s") % {"entry": entry.description})
    return reasons


def _work_out_major(decision: Decision, criteria: MajorDecisionCriteria) -> None:
    """R5: major by the catalogue, by a person's mark, or because it was once submitted."""
    reasons = major_reasons(decision, criteria)
    if decision.marked_major:
        grounds = "、".join(decision.major_grounds_display())
        reasons.append(
            _("人工认定为重大执法决定%(grounds)s：%(reason)s")
            % {
                "grounds": f"（{grounds}）" if grounds else "",
                "reason": decision.marked_major_reason,
            }
        )
    if decision.review_required and not reasons:
        reasons.append(_("已提交过法制审核，重新拟定后仍须经法制审核同意（应审尽审）"))
    decision.major_reasons = reasons
    decision.is_major = bool(reasons)


def _grounds(criteria: MajorDecisionCriteria, grounds: Iterable[str]) -> list[str]:
    """The grounds named, each one the catalogue lets staff invoke, in the catalogue's order."""
    chosen = set(grounds or ())
    allowed = {value for value, _label in criteria.ground_choices()}
    unknown = chosen - allowed
    if unknown:
        raise ValidationError(
            {"grounds": _("本地区的重大执法决定法制审核目录没有所选的情形。")}, code="ground"
        )
    return [value for value in Ground.values if value in chosen]


def _mark(decision: Decision, actor, grounds: list[str], reason: str) -> None:
    """Mark the decision major (R5), adding `grounds` to those already marked."""
    decision.marked_major = True
    decision.major_grounds = [
        value for value in Ground.values if value in {*decision.major_grounds, *grounds}
    ]
    decision.marked_major_reason = (
        f"{decision.marked_major_reason}；{reason}" if decision.marked_major_reason else reason
    )[:2000]
    decision.marked_major_by = actor


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
    grounds: Iterable[str] = (),
    grounds_reason: str = "",
) -> Decision:
    """Draft (or revise a returned) decision in the case's review-and-decision stage (R7: a
    penalty names the benchmark tier it applies; a fine outside its range needs a reason; R30:
    a fine names the bank designated to collect it, by default the first the region designates).

    R5: every save is a new draft version. Ticking a ground of the region's catalogue (with a
    reason) marks the decision major; a redraft never takes a mark off, nor frees a decision
    once submitted for review from it."""
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
    criteria = criteria_for(case)
    grounds = _grounds(criteria, grounds)
    grounds_reason = (grounds_reason or "").strip()
    added = [value for value in grounds if value not in decision.major_grounds]
    if grounds_reason and not grounds:
        raise ValidationError({"grounds": _("请勾选所认定的重大情形（R5）。")})
    reason = ""
    if added:
        reason = clean_text(
            grounds_reason,
            field="grounds_reason",
            label=_("认定为重大执法决定的理由"),
            max_length=2000,
        )
        _mark(decision, actor, added, reason)
    if decision.pk:
        decision.draft_version += 1
    decision.status, decision.approved_review = Decision.Status.DRAFT, None
    _work_out_major(decision, criteria)
    _save(decision, actor)
    _event(
        decision,
        actor,
        CaseEvent.Kind.DECISION_SAVED,
        _("%(kind)s（第 %(version)s 稿）")
        % {"kind": decision.get_kind_display(), "version": decision.draft_version},
    )
    if added:
        _event(decision, actor, CaseEvent.Kind.MAJOR_MARKED, _marked_note(added, reason))
    return decision


def _marked_note(grounds: list[str], reason: str) -> str:
    """The timeline's note of a mark: the grounds named, then the reason."""
    labels = dict(Ground.choices)
    named = "、".join(str(labels[value]) for value in grounds)
    return f"{named}：{reason}" if named else reason


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
    _work_out_major(decision, criteria_for(decision.case))
    if not decision.is_major:
        raise ValidationError(_("该决定不属于重大执法决定，无需法制审核，可以直接作出。"))
    # 应审尽审: from now on the decision stays subject to review, whatever the redraft.
    decision.review_required = True
    decision.status, decision.approved_review = Decision.Status.IN_REVIEW, None
    _save(decision, actor)
    _event(
        decision,
        actor,
        CaseEvent.Kind.DECISION_SUBMITTED,
        _("第 %(version)s 稿：%(reasons)s")
        % {"version": decision.draft_version, "reasons": "；".join(decision.major_reasons)},
    )
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
    draft_version: int | None = None,
) -> LegalReview:
    """R5: the legal office checks subject and qualification, facts and evidence, basis,
    discretion and procedure, and agrees, disagrees or asks for a revision, with reasons. The
    review is of the current draft; `draft_version`, the draft the reviewer read, must be it."""
    decision = _locked(decision)
    if not can_review_for(actor, decision.case.agency):
        raise PermissionDenied(_("只有本单位的法制审核机构可以审核。"))
    if decision.status != Decision.Status.IN_REVIEW:
        raise ValidationError(
            _("该决定当前状态为“%(status)s”，不在待审核状态（可能已由他人审核）。")
            % {"status": decision.get_status_display()},
            code="not_in_review",
        )
    if draft_version is not None and draft_version != decision.draft_version:
        stale = _(
            "您审核的是第 %(seen)s 稿，该决定现为第 %(current)s 稿，"
            "请刷新页面，审核最新的草稿（R5）。"
        ) % {"seen": draft_version, "current": decision.draft_version}
        raise ValidationError({"draft_version": ValidationError(stale, code="stale_draft")})
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
        draft_version=decision.draft_version,
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
        _("第 %(version)s 稿，%(conclusion)s：%(reasons)s")
        % {
            "version": review.draft_version,
            "conclusion": review.get_conclusion_display(),
            "reasons": review.reasons,
        },
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
    _work_out_major(decision, criteria_for(case))
    latest = decision.reviews.order_by("-at", "-pk").first()
    if decision.is_major and not (
        decision.status == Decision.Status.AGREED
        and latest is not None
        and latest.conclusion == LegalReview.Conclusion.AGREE
        and latest.draft_version == decision.draft_version
        and decision.approved_review_id == latest.pk
    ):
        raise ValidationError(_refusal(decision, latest), code="review_required")
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


def _refusal(decision: Decision, latest: LegalReview | None) -> str:
    """Why a major decision cannot be issued yet (R5), in the words staff need."""
    if (
        latest is not None
        and latest.conclusion != LegalReview.Conclusion.AGREE
        and decision.status in Decision.EDITABLE
        and latest.draft_version < decision.draft_version
    ):
        return _(
            "法制审核未通过的决定，重新拟定后仍须提交法制审核，经审核同意后才能作出（R5：审核未通过的，不得作出执法决定）。"
        )
    return _("重大执法决定须经法制审核同意后才能作出（R5）。")


@transaction.atomic
def decision_mark_major(
    *, decision: Decision, actor, reason: str, grounds: Iterable[str] = ()
) -> Decision:
    """R5: staff of the case's agency or its legal office mark the decision major, with a reason
    (and, if any apply, the catalogue's grounds). From then on it needs the legal review."""
    decision = _locked(decision)
    agency = decision.case.agency
    if not (can_act_for(actor, agency) or can_review_for(actor, agency)):
        raise PermissionDenied(_("只有本单位的执法人员或法制审核机构可以认定重大执法决定。"))
    if decision.status == Decision.Status.ISSUED:
        raise ValidationError(_("该决定已经作出，不能再认定为重大执法决定。"), code="issued")
    criteria = criteria_for(decision.case)
    grounds = _grounds(criteria, grounds)
    reason = clean_text(
        reason, field="reason", label=_("认定为重大执法决定的理由"), max_length=2000
    )
    added = [value for value in grounds if value not in decision.major_grounds]
    if decision.marked_major and not added:
        raise ValidationError(_("该决定已认定为重大执法决定。"), code="marked")
    _mark(decision, actor, added, reason)
    _work_out_major(decision, criteria)
    _save(decision, actor)
    _event(decision, actor, CaseEvent.Kind.MAJOR_MARKED, _marked_note(added, reason))
    return decision


@transaction.atomic
def decision_unmark_major(*, decision: Decision, actor, reason: str) -> Decision:
    """R5: only the legal office takes a person's mark off, with a reason. The catalogue's
    criteria still apply, and a decision once submitted stays subject to review."""
    decision = _locked(decision)
    if not can_review_for(actor, decision.case.agency):
        raise PermissionDenied(_("只有本单位的法制审核机构可以取消重大执法决定的认定（R5）。"))
    if decision.status == Decision.Status.ISSUED:
        raise ValidationError(_("该决定已经作出，不能取消认定。"), code="issued")
    if not decision.marked_major:
        raise ValidationError(_("该决定没有被认定为重大执法决定，无需取消。"), code="not_marked")
    reason = clean_text(reason, field="reason", label=_("取消认定的理由"), max_length=2000)
    decision.marked_major, decision.major_grounds = False, []
    decision.marked_major_reason, decision.marked_major_by = "", None
    _work_out_major(decision, criteria_for(decision.case))
    _save(decision, actor)
    _event(decision, actor, CaseEvent.Kind.MAJOR_UNMARKED, reason)
    return decision


# --- the regional catalogue (R5: 重大执法决定法制审核目录) ------------------------------------


def keeps_region(user, region: Region) -> bool:
    """A government's settings for its region and below are kept by the supervisors (its legal
    office) of that region or above, and by administrators."""
    role = role_of(user)
    if role == Role.SYSADMIN:
        return True
    return role == Role.SUPERVISOR and bool(user.region_id) and region.is_within(user.region)


def _may_keep(actor, region: Region | None) -> None:
    if region is None or not keeps_region(actor, region):
        raise PermissionDenied(
            _("只有本级或上级政府法制部门可以维护本地区的重大执法决定法制审核目录。")
        )


@transaction.atomic
def major_criteria_save(*, criteria: MajorDecisionCriteria, actor) -> MajorDecisionCriteria:
    """R5: a region's catalogue (thresholds, kinds, grounds): the nearest one up the tree is
    what decisions are judged by and what each agency's public page shows."""
    _may_keep(actor, criteria.region if criteria.region_id else None)
    criteria.full_clean()
    criteria._history_user = actor
    criteria.save()
    public_cache_invalidate()  # the agencies' public pages show the catalogue
    return criteria


@transaction.atomic
def major_catalogue_entry_save(*, entry: MajorDecisionType, actor) -> MajorDecisionType:
    """R5: an entry of a region's catalogue (a kind of decision, its domains, an amount)."""
    _may_keep(actor, entry.criteria.region)
    entry.full_clean()
    entry._history_user = actor
    entry.save()
    public_cache_invalidate()
    return entry


@transaction.atomic
def major_catalogue_entry_delete(*, entry: MajorDecisionType, actor) -> None:
    _may_keep(actor, entry.criteria.region)
    entry._history_user = actor
    entry.delete()
    public_cache_invalidate()
