"""R29: the sanctioned officer (or, for a unit, its staff) may ask for a review of the decision
within `review_days` working days; a supervisor over the unit other than the one who decided
reviews it, with reasons: upheld, changed (the kind, its history kept) or revoked.

The officers' service has no way to give a suspended or withdrawn certificate back: a revoked or
lightened certificate sanction is recorded on the case's timeline for the certifying office to
act on, the certificate is not changed here.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from enforcement.services.officers import officer_certificate_reinstate
from portal.text import clean_text
from workdays.deadlines import add_working_days

from ..models import DecisionReview, ProceedingEvent, Sanction, SanctionKind
from .decisions import APPLY, apply_certificate, certificate_reason, may_decide, scale_of
from .defences import speaks_for
from .steps import rules_for


def review_request_by(sanction: Sanction):
    """The last day a review may be asked for (a Deadline)."""
    rules = rules_for(sanction.decision.proceeding.agency.region)
    return add_working_days(start=sanction.decision.decided_on, days=rules.review_days)


def _locked(sanction: Sanction) -> Sanction:
    return (
        Sanction.objects.select_for_update(of=("self",))
        .select_related(
            "decision__proceeding__agency__region", "accused__officer", "accused__agency"
        )
        .get(pk=sanction.pk)
    )


@transaction.atomic
def review_request(*, sanction: Sanction, grounds: str, actor) -> DecisionReview:
    """R29: the sanctioned officer's (or unit's) written request for a review, once, in time."""
    sanction = _locked(sanction)
    if not speaks_for(actor, sanction.accused):
        raise PermissionDenied(_("只有被处理的本人（单位为其工作人员）可以申请复核。"))
    if not sanction.responsible:
        raise ValidationError(_("决定未予追究，无需申请复核。"), code="nothing")
    if DecisionReview.objects.filter(sanction=sanction).exists():
        raise ValidationError(_("已经申请过复核，不能重复申请。"), code="once")
    last = review_request_by(sanction).deadline
    if localdate() > last:
        raise ValidationError(
            _("申请复核的期限已于 %(d)s 届满。") % {"d": f"{last:%Y-%m-%d}"}, code="late"
        )
    grounds = clean_text(grounds, field="grounds", label=_("复核理由"), max_length=20000)
    proceeding = sanction.decision.proceeding
    rules = rules_for(proceeding.agency.region)
    review = DecisionReview(
        sanction=sanction,
        grounds=grounds,
        requested_by=actor,
        due_on=add_working_days(start=localdate(), days=rules.review_decision_days).deadline,
    )
    review.full_clean()
    review._history_user = actor
    review.save()
    ProceedingEvent.objects.create(
        proceeding=proceeding,
        kind=ProceedingEvent.Kind.REVIEW_REQUESTED,
        actor=actor,
        note=_("%(who)s申请复核，复核期限 %(d)s。")
        % {"who": sanction.accused, "d": f"{review.due_on:%Y-%m-%d}"},
    )
    return review


def _restore_certificate(sanction: Sanction, old_kind: str, review, proceeding, actor) -> str:
    """Undo the certificate measure of a revoked or changed sanction (R29) through the officers'
    service; a certificate taken since for another reason stays as it is, and the note says so."""
    officer = sanction.accused.officer
    restored = officer_certificate_reinstate(
        officer=officer,
        reason=_("问责决定 %(number)s 经复核%(outcome)s，恢复执法证件")
        % {"number": proceeding.number, "outcome": review.get_outcome_display()},
        because_of=certificate_reason(proceeding, old_kind),
        on=localdate(),
        actor=actor,
    )
    if restored:
        return _("已恢复%(officer)s的执法证件。") % {"officer": officer}
    officer.refresh_from_db()
    return _("%(officer)s的执法证件现因其他原因处于%(status)s状态，未予恢复。") % {
        "officer": officer,
        "status": officer.get_certificate_status_display(),
    }


@transaction.atomic
def review_decide(
    *, review: DecisionReview, outcome: str, reasons: str, new_kind: str = "", actor
) -> DecisionReview:
    """R29: the review, decided with reasons by a supervisor over the unit, not the decider."""
    review = (
        DecisionReview.objects.select_for_update(of=("self",))
        .select_related("sanction")
        .get(pk=review.pk)
    )
    sanction = _locked(review.sanction)
    decision = sanction.decision
    proceeding = decision.proceeding
    if not may_decide(actor, proceeding.agency):
        raise PermissionDenied(
            _("只有管辖被追究单位、且与其无利害关系的政府法制监督人员可以复核。")
        )
    if decision.decided_by_id == actor.pk:
        raise PermissionDenied(_("原决定人不能复核自己作出的决定。"))
    if review.outcome:
        raise ValidationError(_("该复核申请已经作出复核决定。"), code="decided")
    if outcome not in DecisionReview.Outcome.values:
        raise ValidationError({"outcome": _("请选择复核结论。")})
    reasons = clean_text(reasons, field="reasons", label=_("复核理由说明"), max_length=20000)
    new_kind = new_kind or ""
    old_kind = sanction.kind
    if outcome == DecisionReview.Outcome.CHANGED:
        if new_kind not in [k.value for k in scale_of(sanction.accused)]:
            raise ValidationError({"new_kind": _("请选择适用于该对象的变更后处理。")})
        if new_kind == old_kind:
            raise ValidationError({"new_kind": _("变更后的处理与原处理相同。")})
        if new_kind == SanctionKind.RECTIFICATION and sanction.rectify_by is None:
            raise ValidationError({"new_kind": _("变更为责令限期整改须另作决定写明整改期限。")})
    else:
        new_kind = ""

    review.outcome, review.reasons, review.new_kind = outcome, reasons, new_kind
    review.decided_by, review.decided_at = actor, timezone.now()
    review.full_clean()
    review._history_user = actor
    review.save()
    note = _("%(who)s：%(outcome)s。%(reasons)s") % {
        "who": sanction.accused,
        "outcome": review.get_outcome_display(),
        "reasons": reasons,
    }
    if outcome == DecisionReview.Outcome.REVOKED:
        sanction.revoked = True
    elif outcome == DecisionReview.Outcome.CHANGED:
        sanction.kind = new_kind
        note += _("（原处理：%(old)s，变更为：%(new)s）") % {
            "old": SanctionKind(old_kind).label,
            "new": SanctionKind(new_kind).label,
        }
    if outcome != DecisionReview.Outcome.UPHELD:
        sanction.full_clean()
        sanction._history_user = actor
        sanction.save()
        if old_kind in APPLY and sanction.accused.officer_id:
            note += _restore_certificate(sanction, old_kind, review, proceeding, actor)
    ProceedingEvent.objects.create(
        proceeding=proceeding, kind=ProceedingEvent.Kind.REVIEWED, actor=actor, note=note
    )
    if outcome == DecisionReview.Outcome.CHANGED:
        apply_certificate(
            sanction=sanction, kind=new_kind, on=localdate(), actor=actor, proceeding=proceeding
        )
    return review
