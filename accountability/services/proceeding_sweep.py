"""R24 (beat): each open step of an accountability case is reminded to its handler once, when its
time limit falls within REMIND_WORKING_DAYS working days, and escalated once, when it has
passed, to the supervisors of the region above the clue's register (as overdue clues are).
`reminded_step` / `escalated_step` hold the step already told, so a second run sends nothing.

The workdays hook `proceeding_deadlines_recompute` moves the limits counted in working days from
the step's start when a year's holiday schedule changes.
"""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from portal.recipients import supervisor_emails
from workdays.deadlines import add_working_days
from workdays.recompute import ScheduleNotes, moved_note

from ..models import Proceeding, ProceedingEvent
from .steps import step_deadline

Step = Proceeding.Step
REMIND_WORKING_DAYS = 2  # the handler is reminded from this many working days before the limit


def _line(p: Proceeding) -> str:
    return _("%(number)s（被追究单位：%(agency)s）%(step)s，期限 %(due)s") % {
        "number": p.number,
        "agency": p.agency,
        "step": p.get_step_display(),
        "due": f"{p.step_due_on:%Y-%m-%d}",
    }


def _locked_pks(queryset) -> list[int]:
    return list(
        queryset.exclude(step=Step.CLOSED)
        .select_for_update(skip_locked=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def proceedings_sweep(*, today: date | None = None) -> dict[str, int]:
    """R24: remind once per step before the limit, escalate once per step after it."""
    today = today or localdate()
    horizon = add_working_days(start=today, days=REMIND_WORKING_DAYS).deadline
    remind = _locked_pks(
        Proceeding.objects.filter(step_due_on__gte=today, step_due_on__lte=horizon).exclude(
            reminded_step=F("step")
        )
    )
    escalate = _locked_pks(
        Proceeding.objects.filter(step_due_on__lt=today).exclude(escalated_step=F("step"))
    )
    Proceeding.objects.filter(pk__in=remind).update(reminded_step=F("step"))
    Proceeding.objects.filter(pk__in=escalate).update(escalated_step=F("step"))
    rows = Proceeding.objects.filter(pk__in=remind + escalate).select_related(
        "agency", "handler", "clue__region__parent"
    )
    by_pk = {p.pk: p for p in rows}
    events, messages = [], []
    for pk in remind:
        p = by_pk[pk]
        events.append(
            ProceedingEvent(proceeding=p, kind=ProceedingEvent.Kind.REMINDED, note=_line(p))
        )
        if p.handler.email:
            subject = _("问责案件期限提醒：%(number)s") % {"number": p.number}
            body = _("您承办的问责案件即将到期，请在期限内办理：\n%(line)s") % {"line": _line(p)}
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [p.handler.email]))
    by_path = defaultdict(list)
    for pk in escalate:
        p = by_pk[pk]
        events.append(
            ProceedingEvent(proceeding=p, kind=ProceedingEvent.Kind.ESCALATED, note=_line(p))
        )
        region = p.clue.region
        by_path[(region.parent or region).path].append(p)
    ProceedingEvent.objects.bulk_create(events)
    supervisors = supervisor_emails(set(by_path))
    for path, cases in by_path.items():
        if supervisors.get(path):
            subject = _("问责案件逾期上报（%(count)s 件）") % {"count": len(cases)}
            body = _("以下问责案件的本环节已超过期限：\n%(lines)s")
            body %= {"lines": "\n".join(_line(p) for p in cases)}
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, supervisors[path]))
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return {"reminded": len(remind), "escalated": len(escalate), "emails": len(messages)}


def _counted_from_start() -> Q:
    """Steps whose limit is the region's days counted from the step's start: handling, transfer,
    and notice until the notices go out (then it runs on the defence period, and the decision
    step on the latest defence's due date: those follow the defences' own dates)."""
    notified = Proceeding.objects.filter(accused__defence__isnull=False).values("pk")
    return Q(step__in=[Step.HANDLING, Step.TRANSFER]) | (Q(step=Step.NOTICE) & ~Q(pk__in=notified))


@transaction.atomic
def proceeding_deadlines_recompute(year: int) -> int:
    """The workdays hook: an open step's limit counted from its start in working days, falling
    on or after 1 January of `year`, is recomputed with the schedule now loaded. A limit that
    moves is told in the timeline and may be reminded and escalated again; idempotent."""
    notes = ScheduleNotes()
    changed, events = 0, []
    rows = (
        Proceeding.objects.select_for_update(of=("self",))
        .filter(_counted_from_start(), step_due_on__gte=date(year, 1, 1))
        .select_related("agency__region")
        .order_by("pk")
    )
    for p in rows:
        due = step_deadline(p, p.step, p.step_started_on)
        old, old_provisional = p.step_due_on, p.step_due_provisional
        if (old, old_provisional) == (due.deadline, due.provisional):
            continue
        p.step_due_on, p.step_due_provisional = due.deadline, due.provisional
        fields = ["step_due_on", "step_due_provisional"]
        if old != due.deadline:
            p.reminded_step = p.escalated_step = ""
            fields += ["reminded_step", "escalated_step"]
            note = moved_note(
                what=_("%(step)s期限") % {"step": p.get_step_display()},
                old=old,
                old_provisional=old_provisional,
                new=due,
                why=notes(due.deadline),
            )
            events.append(
                ProceedingEvent(proceeding=p, kind=ProceedingEvent.Kind.DEADLINE_MOVED, note=note)
            )
        p._change_reason = str(notes(due.deadline))[:100]
        p.save(update_fields=fields)
        changed += 1
    ProceedingEvent.objects.bulk_create(events)
    return changed
