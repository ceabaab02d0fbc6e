"""R13: the outcomes of administrative reconsideration (行政复议) and litigation (行政诉讼) of a
case's decision, and the accountability screening (问责筛查) of the unfavourable ones.

An outcome that revokes, changes, confirms as unlawful or orders the agency to perform says the
agency erred: it is flagged for screening by a supervisor over the agency, and the public
disclosure of the decision says what became of it. The accountability cases are opened later
from the screened outcomes.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.public_cache import public_cache_invalidate
from portal.roles import Role, role_of
from portal.scoping import can_act_for, can_supervise
from portal.text import clean_text

from ..models import Agency, Case, CaseEvent, Decision, DecisionDisclosure, RemedyOutcome

# What the public page says of the decision after an unfavourable outcome (R9, R13).
PUBLIC_RESULT = {
    RemedyOutcome.Outcome.REVOKED: gettext_lazy("本决定已被撤销"),
    RemedyOutcome.Outcome.CHANGED: gettext_lazy("本决定已被变更"),
    RemedyOutcome.Outcome.CONFIRMED_UNLAWFUL: gettext_lazy("本决定已被确认违法"),
    RemedyOutcome.Outcome.ORDERED_TO_PERFORM: gettext_lazy("执法机关已被责令履行职责"),
}


def supervises(user, agency: Agency) -> bool:
    """A supervisor (not an administrator) whose region covers the agency."""
    return role_of(user) == Role.SUPERVISOR and can_supervise(user, agency)


def may_record_outcome(user, agency: Agency) -> bool:
    """R13: the agency's own staff or legal office, or a supervisor over it."""
    return can_act_for(user, agency) or supervises(user, agency)


def _checked_date(decided_on, issued_at: datetime.datetime) -> datetime.date:
    if not isinstance(decided_on, datetime.date) or isinstance(decided_on, datetime.datetime):
        raise ValidationError({"decided_on": _("作出日期不是有效的日期。")})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("作出日期不能晚于今天。")})
    issued_on = timezone.localdate(issued_at)
    if decided_on < issued_on:
        raise ValidationError(
            {
                "decided_on": _("作出日期不能早于执法决定作出的日期（%(date)s）。")
                % {"date": f"{issued_on:%Y-%m-%d}"}
            }
        )
    return decided_on


def _reference_taken(kind: str, reference: str) -> ValidationError:
    return ValidationError(
        {
            "reference": _("文号为“%(reference)s”的%(kind)s结果已经录入，不能重复录入。")
            % {"reference": reference, "kind": RemedyOutcome.Kind(kind).label}
        },
        code="duplicate_reference",
    )


def _checked_choices(kind: str, outcome: str) -> None:
    if kind not in RemedyOutcome.Kind.values:
        raise ValidationError({"kind": _("请选择救济途径（行政复议或行政诉讼）。")})
    if outcome not in RemedyOutcome.Outcome.values:
        raise ValidationError({"outcome": _("请选择复议或诉讼结果。")})


def _insert(outcome: RemedyOutcome, actor) -> RemedyOutcome:
    if RemedyOutcome.objects.filter(kind=outcome.kind, reference=outcome.reference).exists():
        raise _reference_taken(outcome.kind, outcome.reference)
    outcome.full_clean()
    outcome._history_user = actor
    try:
        with transaction.atomic():  # two clerks entering the same document at once
            outcome.save()
    except IntegrityError:
        raise _reference_taken(outcome.kind, outcome.reference) from None
    return outcome


def _disclose(decision: Decision, outcome: RemedyOutcome) -> None:
    """R9, R13: the public disclosure of the decision says it was revoked, changed..."""
    disclosure = DecisionDisclosure.objects.select_for_update().filter(decision=decision).first()
    if disclosure is None:
        return
    with translation.override(settings.LANGUAGE_CODE):  # a snapshot in the source language
        disclosure.remedy_note = _("经%(kind)s，%(result)s（%(reference)s）。") % {
            "kind": outcome.get_kind_display(),
            "result": PUBLIC_RESULT[outcome.outcome],
            "reference": outcome.reference,
        }
    disclosure.save(update_fields=["remedy_note"])
    public_cache_invalidate()


@transaction.atomic
def remedy_outcome_record(
    *,
    case: Case,
    actor,
    kind: str,
    body: str,
    reference: str,
    decided_on: datetime.date,
    outcome: str,
    summary: str,
) -> RemedyOutcome:
    """R13: record the outcome of a reconsideration or litigation of the case's issued decision;
    an unfavourable one is flagged for accountability screening and shown to the public."""
    case = Case.objects.select_for_update().select_related("agency__region").get(pk=case.pk)
    if not may_record_outcome(actor, case.agency):
        raise PermissionDenied(
            _("只有本单位的执法人员或管辖该单位的政府法制监督人员可以录入复议、诉讼结果。")
        )
    decision = Decision.objects.filter(case=case, status=Decision.Status.ISSUED).first()
    if decision is None:
        raise ValidationError(
            _("本案的执法决定尚未作出，不能录入复议、诉讼结果。"), code="not_issued"
        )
    _checked_choices(kind, outcome)
    row = RemedyOutcome(
        case=case,
        kind=kind,
        body=clean_text(body, field="body", label=_("复议机关或人民法院"), max_length=100),
        reference=clean_text(reference, field="reference", label=_("文号"), max_length=100),
        decided_on=_checked_date(decided_on, decision.issued_at),
        outcome=outcome,
        summary=clean_text(summary, field="summary", label=_("主要理由"), max_length=5000),
        recorded_by=actor,
        needs_screening=outcome in RemedyOutcome.UNFAVOURABLE,
    )
    _insert(row, actor)
    note = _("%(kind)s（%(body)s，%(reference)s）：%(outcome)s") % {
        "kind": row.get_kind_display(),
        "body": row.body,
        "reference": row.reference,
        "outcome": row.get_outcome_display(),
    }
    if row.needs_screening:
        note += _("；结果不利，已列入问责筛查（R13）。")
        _disclose(decision, row)
    case.timeline.create(kind=CaseEvent.Kind.REMEDY_RECORDED, actor=actor, note=note)
    return row


@transaction.atomic
def remedy_screen(*, outcome: RemedyOutcome, actor, note: str) -> RemedyOutcome:
    """R13: a supervisor over the agency screens a flagged outcome for accountability, once, with
    a note saying whether and why responsibility should be pursued."""
    outcome = (
        RemedyOutcome.objects.select_for_update(of=("self",))
        .select_related("case__agency__region")
        .get(pk=outcome.pk)
    )
    if not supervises(actor, outcome.case.agency):
        raise PermissionDenied(_("只有管辖该单位的政府法制监督人员可以进行问责筛查。"))
    if not outcome.needs_screening:
        raise ValidationError(_("该结果为维持原决定，不需要问责筛查。"), code="not_flagged")
    if outcome.screened_at is not None:
        raise ValidationError(
            _("该结果已于 %(date)s 由 %(who)s 筛查。")
            % {
                "date": f"{timezone.localtime(outcome.screened_at):%Y-%m-%d}",
                "who": outcome.screened_by,
            },
            code="screened",
        )
    outcome.screening_note = clean_text(note, field="note", label=_("筛查意见"), max_length=5000)
    outcome.screened_at, outcome.screened_by = timezone.now(), actor
    outcome.full_clean()
    outcome._history_user = actor
    outcome.save()
    outcome.case.timeline.create(
        kind=CaseEvent.Kind.SCREENED,
        actor=actor,
        note=f"{outcome.get_kind_display()} {outcome.reference}：{outcome.screening_note}",
    )
    return outcome
