"""R24, R28, R29: the decision by the competent person, one sanction (or none) per person or unit
concerned, checked against the band the report proposed; the certificate sanctions applied
through the officers' service; then transfer (移送) or closing, the clue closed with its finding.

Who decides: a supervisor over the unit concerned who does not belong to it (the same conflict
rule as the clue's handler). When: not while any defence period is open, unless that defence
was submitted or expressly waived (R29). Everything is checked before anything is written.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from enforcement.services.officers import (
    officer_certificate_suspend,
    officer_certificate_withdraw,
)
from portal.text import clean_text

from ..models import (
    Accused,
    Clue,
    ClueEvent,
    Decision,
    Proceeding,
    ProceedingEvent,
    Sanction,
    SanctionKind,
)
from .clues import EARLIEST_DATE, conflicted, may_handle, supervises
from .proportionality import scale, within
from .steps import step_enter

Step = Proceeding.Step
# The certificate sanctions the officers' service carries out.
APPLY = {
    SanctionKind.SUSPENSION: officer_certificate_suspend,
    SanctionKind.WITHDRAWAL: officer_certificate_withdraw,
}


def may_decide(user, agency) -> bool:
    """A supervisor over the unit concerned who does not belong to it."""
    return supervises(user, agency) and not conflicted(user, agency)


def scale_of(accused: Accused) -> tuple:
    return scale(unit=accused.is_unit)


def within_band(kind: str, accused: Accused, proposal) -> bool:
    """R28: the kind lies within the band the report proposed (kept on the proposal, so a later
    change of the region's table does not move it)."""
    if proposal is None:
        return True
    return within(kind, proposal.band_low, proposal.band_high, unit=accused.is_unit)


def _check_on(on, earliest: date) -> date:
    if on is None:
        return localdate()
    if not isinstance(on, date) or hasattr(on, "hour"):
        raise ValidationError({"decided_on": _("决定日期不是有效的日期。")})
    if on > localdate():
        raise ValidationError({"decided_on": _("决定日期不能晚于今天。")})
    if on < max(earliest, EARLIEST_DATE):
        raise ValidationError(
            {"decided_on": _("决定日期不能早于告知日期 %(d)s。") % {"d": f"{earliest:%Y-%m-%d}"}}
        )
    return on


def _check_defences(accused: list[Accused], on: date) -> None:
    """R29: no decision while a defence period is open, unless answered or expressly waived."""
    for one in accused:
        defence = getattr(one, "defence", None)
        if defence is None:
            raise ValidationError(
                _("尚未告知%(who)s，不能作出决定。") % {"who": one}, code="not_notified"
            )
        if not defence.answered and on <= defence.due_on:
            raise ValidationError(
                _(
                    "陈述申辩期限届满前不得作出决定：%(who)s的陈述申辩期限至 %(due)s，"
                    "尚未提交陈述申辩意见，也未书面明确放弃。"
                )
                % {"who": one, "due": f"{defence.due_on:%Y-%m-%d}"},
                code="defence_open",
            )


def _sanction(one: Accused, wanted, decided_on: date) -> Sanction:
    """One accused's sanction, checked (R28); not saved."""
    field = f"sanction_{one.pk}"
    if not isinstance(wanted, dict):
        raise ValidationError({field: _("请对%(who)s作出处理认定。") % {"who": one}})
    responsible = wanted.get("responsible")
    if not isinstance(responsible, bool):
        raise ValidationError({field: _("请认定%(who)s是否负有责任。") % {"who": one}})
    kind = wanted.get("kind") or ""
    justification = clean_text(
        wanted.get("justification"),
        field=field,
        label=_("超出档次的书面理由"),
        max_length=5000,
        required=False,
    )
    rectify_by = wanted.get("rectify_by")
    sanction = Sanction(accused=one, responsible=responsible, counts_in_year=decided_on.year)
    if not responsible:
        if kind:
            raise ValidationError({field: _("认定不负有责任的，不能给予处理。")})
        return sanction
    scale = scale_of(one)
    if kind not in [k.value for k in scale]:
        raise ValidationError(
            {
                field: (
                    _("对单位只能作出责令限期整改、通报批评或取消评优评先资格。")
                    if one.is_unit
                    else _("对执法人员只能作出批评教育至建议给予处分之间的处理。")
                )
            }
        )
    proposal = getattr(one, "proposal", None)
    outside = not within_band(kind, one, proposal)
    if outside and not justification:
        raise ValidationError(
            {
                field: _(
                    "对%(who)s的处理“%(kind)s”超出建议档次（%(low)s至%(high)s），须写明书面理由。"
                )
                % {
                    "who": one,
                    "kind": SanctionKind(kind).label,
                    "low": proposal.get_band_low_display(),
                    "high": proposal.get_band_high_display(),
                }
            },
            code="outside_band",
        )
    if kind == SanctionKind.RECTIFICATION:
        if not isinstance(rectify_by, date) or hasattr(rectify_by, "hour"):
            raise ValidationError({field: _("责令限期整改须写明整改期限。")})
        if rectify_by <= localdate():
            raise ValidationError({field: _("整改期限须晚于今天。")})
    else:
        rectify_by = None
    sanction.kind, sanction.outside_band, sanction.rectify_by = kind, outside, rectify_by
    sanction.justification = justification if outside else ""
    return sanction


def close_case(*, proceeding: Proceeding, finding: str, reasons: str, actor) -> None:
    """Close the (locked) case and its clue with the finding, in the caller's transaction: through
    `clue_close` when the actor may handle the clue, else the same writes (R26: with a finding)."""
    proceeding.closed_at = timezone.now()
    step_enter(
        proceeding=proceeding,
        step=Step.CLOSED,
        actor=actor,
        kind=ProceedingEvent.Kind.CLOSED,
        note=f"{Clue.Finding(finding).label}：{reasons}",
    )
    clue = (
        Clue.objects.select_for_update().select_related("agency__region").get(pk=proceeding.clue_id)
    )
    if clue.status == Clue.Status.CLOSED:
        return
    reasons = reasons[:5000]
    if may_handle(actor, clue):
        from .clues import clue_close

        clue_close(clue=clue, finding=finding, reasons=reasons, actor=actor)
        return
    clue.finding, clue.reasons, clue.status = finding, reasons, Clue.Status.CLOSED
    clue.closed_at, clue.closed_by = timezone.now(), actor
    clue.full_clean(exclude=["officers"])
    clue._history_user = actor
    clue.save()
    clue.timeline.create(
        kind=ClueEvent.Kind.CLOSED, actor=actor, note=f"{clue.get_finding_display()}：{reasons}"
    )


def certificate_reason(proceeding: Proceeding, kind: str) -> str:
    """The certificate's status reason a certificate sanction records (and its review undoes)."""
    return _("问责决定 %(number)s：%(kind)s") % {
        "number": proceeding.number,
        "kind": SanctionKind(kind).label,
    }


def apply_certificate(*, sanction: Sanction, kind: str, on: date, actor, proceeding) -> bool:
    """Suspend or withdraw the officer's certificate for a certificate sanction; record it."""
    service = APPLY.get(kind)
    officer = sanction.accused.officer
    if service is None or officer is None:
        return False
    service(officer=officer, reason=certificate_reason(proceeding, kind), on=on, actor=actor)
    ProceedingEvent.objects.create(
        proceeding=proceeding,
        kind=ProceedingEvent.Kind.SANCTION_APPLIED,
        actor=actor,
        note=_("%(officer)s：%(kind)s（已记入执法人员证件状态）")
        % {"officer": officer, "kind": SanctionKind(kind).label},
    )
    return True


@transaction.atomic
def decision_make(
    *,
    proceeding: Proceeding,
    reasons: str,
    transfer_needed: bool,
    sanctions: dict,
    actor,
    on: date | None = None,
) -> Decision:
    """R24, R28, R29: decide on every person and unit concerned (`sanctions`: accused id →
    {responsible, kind, justification, rectify_by}); outside the proposed band only with a
    written justification. Certificate sanctions are applied; the case then waits for its
    transfer (`transfer_needed`) or closes, its clue found RESPONSIBLE when anyone is, else
    NOT_RESPONSIBLE. Each sanction counts in the evaluation of the decision's year."""
    proceeding = (
        Proceeding.objects.select_for_update(of=("self",))
        .select_related("agency__region", "clue")
        .get(pk=proceeding.pk)
    )
    if not may_decide(actor, proceeding.agency):
        raise PermissionDenied(
            _("只有管辖被追究单位、且与其无利害关系的政府法制监督人员可以作出决定。")
        )
    if proceeding.step != Step.DECISION:
        raise ValidationError(
            _("案件当前处于“%(step)s”环节，不能作出决定。")
            % {"step": proceeding.get_step_display()},
            code="step",
        )
    if Decision.objects.filter(proceeding=proceeding).exists():
        raise ValidationError(_("本案已经作出决定。"), code="decided")
    if not isinstance(transfer_needed, bool):
        raise ValidationError({"transfer_needed": _("请选择是否需要移送。")})
    reasons = clean_text(reasons, field="reasons", label=_("决定理由"), max_length=20000)
    decided_on = _check_on(on, proceeding.step_started_on)
    accused = list(
        proceeding.accused.select_related("officer", "agency", "defence", "proposal").order_by("pk")
    )
    _check_defences(accused, decided_on)
    sanctions = sanctions if isinstance(sanctions, dict) else {}
    wanted = {int(k): v for k, v in sanctions.items() if str(k).isdigit()}
    if set(wanted) - {one.pk for one in accused} or len(wanted) != len(sanctions):
        raise ValidationError(_("处理对象须是本案的被追究对象。"), code="stranger")
    rows = [_sanction(one, wanted.get(one.pk), decided_on) for one in accused]

    decision = Decision(
        proceeding=proceeding,
        reasons=reasons,
        transfer_needed=transfer_needed,
        decided_on=decided_on,
        decided_by=actor,
    )
    decision.full_clean()
    decision._history_user = actor
    decision.save()
    for sanction in rows:
        sanction.decision = decision
        sanction.full_clean()
        sanction._history_user = actor
        sanction.save()
    summary = "；".join(f"{s.accused}：{s.get_kind_display() or _('不予追究')}" for s in rows)
    if transfer_needed:  # the decision's timeline row is the step's
        step_enter(
            proceeding=proceeding,
            step=Step.TRANSFER,
            actor=actor,
            kind=ProceedingEvent.Kind.DECIDED,
            note=summary + _("。决定需要移送，待移送并取得回执。"),
        )
    else:
        ProceedingEvent.objects.create(
            proceeding=proceeding, kind=ProceedingEvent.Kind.DECIDED, actor=actor, note=summary
        )
    for sanction in rows:
        if sanction.responsible:
            apply_certificate(
                sanction=sanction,
                kind=sanction.kind,
                on=decided_on,
                actor=actor,
                proceeding=proceeding,
            )
    if not transfer_needed:
        responsible = any(s.responsible for s in rows)
        finding = Clue.Finding.RESPONSIBLE if responsible else Clue.Finding.NOT_RESPONSIBLE
        close_case(proceeding=proceeding, finding=finding, reasons=summary, actor=actor)
    return decision
