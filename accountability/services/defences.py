"""R29: the notice to each person or unit concerned and their written statement and defence
(陈述和申辩), given within a period counted in working days (the region's `defence_days`); the
right may be expressly waived in writing. The case waits in step DECISION until every period has
ended or been answered (see `decisions.decision_make`).

Everything is checked before anything is written; a refusal changes nothing.
"""

from dataclasses import replace

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from portal.scoping import can_act_for
from portal.text import clean_text
from workdays.deadlines import add_working_days

from ..models import Accused, Defence, Proceeding, ProceedingEvent
from .steps import rules_for, step_enter

Step = Proceeding.Step


def speaks_for(user, accused: Accused) -> bool:
    """The accused officer's own account, or, for a unit, its staff or legal office."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if accused.officer_id is not None:
        return accused.officer.user_id == user.pk
    return can_act_for(user, accused.agency)


def _locked_case(proceeding: Proceeding) -> Proceeding:
    return (
        Proceeding.objects.select_for_update(of=("self",))
        .select_related("agency__region", "clue")
        .get(pk=proceeding.pk)
    )


def _email(accused: Accused, defence: Defence, proceeding: Proceeding) -> None:
    user = accused.officer.user if accused.officer_id else None
    if user is None or not user.email:
        return
    subject = _("问责案件告知：%(number)s") % {"number": proceeding.number}
    body = _(
        "您是问责案件 %(number)s 的被追究对象。请于 %(due)s 前登录平台提交书面陈述申辩意见，"
        "或书面明确放弃陈述申辩。\n\n%(notice)s"
    ) % {"number": proceeding.number, "due": f"{defence.due_on:%Y-%m-%d}", "notice": defence.notice}
    address = user.email
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)
    )


@transaction.atomic
def notice_send(*, proceeding: Proceeding, notice: str, actor) -> list[Defence]:
    """R29: the handler notifies every person and unit concerned of the report's facts and the
    proposed sanction, once; each gets `defence_days` working days to answer in writing. The case
    moves to step DECISION, due `decision_days` working days after the latest defence due date."""
    proceeding = _locked_case(proceeding)
    if proceeding.handler_id != actor.pk:
        raise PermissionDenied(_("只有本案承办人可以告知当事人。"))
    if proceeding.step != Step.NOTICE:
        raise ValidationError(
            _("案件当前处于“%(step)s”环节，只有提交调查报告后才能告知当事人。")
            % {"step": proceeding.get_step_display()},
            code="step",
        )
    notice = clean_text(notice, field="notice", label=_("告知内容"), max_length=5000)
    accused = list(proceeding.accused.select_related("officer__user", "agency"))
    if not accused:
        raise ValidationError(_("本案没有被追究对象，无从告知。"), code="nobody")
    if Defence.objects.filter(accused__proceeding=proceeding).exists():
        raise ValidationError(_("已经告知过当事人。"), code="sent")
    rules = rules_for(proceeding.agency.region)
    today = localdate()
    due = add_working_days(start=today, days=rules.defence_days)
    defences = []
    for one in accused:
        defence = Defence(
            accused=one,
            notice=notice,
            notified_on=today,
            notified_by=actor,
            due_on=due.deadline,
            due_provisional=due.provisional,
        )
        defence.full_clean()
        defence._history_user = actor
        defence.save()
        defences.append(defence)
        _email(one, defence, proceeding)
    decide_by = add_working_days(start=due.deadline, days=rules.decision_days)
    step_enter(
        proceeding=proceeding,
        step=Step.DECISION,
        actor=actor,
        kind=ProceedingEvent.Kind.NOTIFIED,
        note=_("已告知 %(count)s 名当事人，陈述申辩期限 %(due)s。")
        % {"count": len(defences), "due": f"{due.deadline:%Y-%m-%d}"},
        due=replace(decide_by, provisional=decide_by.provisional or due.provisional),
    )
    return defences


def _locked_defence(defence: Defence, actor) -> Defence:
    defence = (
        Defence.objects.select_for_update(of=("self",))
        .select_related("accused__officer", "accused__agency", "accused__proceeding")
        .get(pk=defence.pk)
    )
    if not speaks_for(actor, defence.accused):
        raise PermissionDenied(_("只有被追究的本人（单位为其工作人员）可以陈述申辩。"))
    if defence.answered:
        raise ValidationError(_("已经提交过陈述申辩意见或放弃声明，不能再次提交。"), code="once")
    if localdate() > defence.due_on:
        raise ValidationError(
            _("陈述申辩期限已于 %(due)s 届满，不能再提交。")
            % {"due": f"{defence.due_on:%Y-%m-%d}"},
            code="late",
        )
    if defence.accused.proceeding.step != Step.DECISION:
        raise ValidationError(_("案件已作出决定，不能再陈述申辩。"), code="step")
    return defence


def _save(defence: Defence, actor, kind: str, note: str) -> Defence:
    defence.submitted_at, defence.submitted_by = timezone.now(), actor
    defence.full_clean()
    defence._history_user = actor
    defence.save()
    ProceedingEvent.objects.create(
        proceeding_id=defence.accused.proceeding_id, kind=kind, actor=actor, note=note
    )
    return defence


@transaction.atomic
def defence_submit(*, defence: Defence, statement: str, actor) -> Defence:
    """R29: the accused's written statement and defence, once, within the period."""
    defence = _locked_defence(defence, actor)
    defence.statement = clean_text(
        statement, field="statement", label=_("陈述申辩意见"), max_length=20000
    )
    return _save(
        defence,
        actor,
        ProceedingEvent.Kind.DEFENDED,
        _("%(who)s提交了书面陈述申辩意见。") % {"who": defence.accused},
    )


@transaction.atomic
def defence_waive(*, defence: Defence, waiver: str, actor) -> Defence:
    """R29: the accused expressly waives the right in writing; the decision need not wait for
    the period to end."""
    defence = _locked_defence(defence, actor)
    defence.waiver = clean_text(waiver, field="waiver", label=_("放弃声明"), max_length=2000)
    defence.waived = True
    return _save(
        defence,
        actor,
        ProceedingEvent.Kind.WAIVED,
        _("%(who)s书面明确放弃陈述申辩：%(waiver)s")
        % {"who": defence.accused, "waiver": defence.waiver},
    )
