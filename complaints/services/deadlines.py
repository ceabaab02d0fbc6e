"""R16, R17: the deadline sweep and the recompute of deadlines when the calendar changes.

Each open complaint carries the deadline that applies now in `due_on` (acknowledgement while
registered, handling once accepted). The sweep reminds the handler (or, before a handler is
assigned, the region's supervisors) two working days ahead and escalates to the region's
supervisors once the deadline has passed, each exactly once: it claims rows by marking them in
the same transaction that writes the notices, skipping rows another run holds, and reads only
the partial indexes of unreminded and unescalated deadlines, so its cost follows the due
complaints, not the register.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.recipients import supervisor_emails
from workdays.deadlines import add_working_days
from workdays.recompute import ScheduleNotes, moved_note

from ..models import AgencyRequest, Complaint, ComplaintEvent, Notification
from .channels import handling_deadline
from .handling import AGENCY_RESPONSE_WORKING_DAYS
from .notifications import notice, queue
from .register import acknowledge_deadline

WARN_WORKING_DAYS = 2  # remind, and show yellow on the early-warning page, this far ahead


def warning_horizon(today: date) -> date:
    return add_working_days(start=today, days=WARN_WORKING_DAYS).deadline


def deadline_flag(due_on: date | None, *, today: date, horizon: date) -> str:
    """ "red" once the running deadline has passed, "yellow" when it falls within the warning
    horizon (`warning_horizon(today)`), "" otherwise: the one rule behind the register's flag,
    the complaint's page and the early-warning page."""
    if due_on is None:
        return ""
    if due_on < today:
        return "red"
    return "yellow" if due_on <= horizon else ""


def _claim(field: str, due_filter: dict, today: date) -> list[Complaint]:
    pks = list(
        Complaint.objects.filter(due_on__isnull=False, **{f"{field}__isnull": True}, **due_filter)
        .select_for_update(skip_locked=True)
        .order_by("pk")  # one lock order for every run; no sort by the register's date
        .values_list("pk", flat=True)
    )
    if not pks:
        return []
    Complaint.objects.filter(pk__in=pks).update(**{field: today})
    return list(
        Complaint.objects.filter(pk__in=pks)
        .select_related("region", "agency", "handler")
        .order_by("due_on", "pk")
    )


def _what(complaint: Complaint) -> str:
    if complaint.status == Complaint.Status.REGISTERED:
        return _("受理告知")
    return _("办理")


def _line(complaint: Complaint) -> str:
    return _("%(number)s（被投诉单位：%(agency)s）%(what)s期限 %(due)s") % {
        "number": complaint.number,
        "agency": complaint.agency,
        "what": _what(complaint),
        "due": f"{complaint.due_on:%Y-%m-%d}",
    }


@transaction.atomic
def complaint_deadlines_sweep(*, today: date | None = None) -> dict[str, int]:
    """Remind and escalate, each once; the notices go out after commit (and by the next sweep
    if the broker is down)."""
    today = today or localdate()
    reminded = _claim("reminded_on", {"due_on__lte": warning_horizon(today)}, today)
    escalated = _claim("escalated_on", {"due_on__lt": today}, today)
    supervisors = supervisor_emails({c.region.path for c in reminded + escalated})
    events, notices = [], []
    for complaint in reminded:
        handler = complaint.handler
        # A reminder marked sent must reach someone: a handler without an address falls back.
        to = [handler.email] if handler and handler.email else supervisors[complaint.region.path]
        notices.append(
            notice(
                key=f"{complaint.pk}:remind:{complaint.due_on}",
                complaint=complaint,
                channel=Notification.Channel.EMAIL,
                recipients=to,
                subject=_("投诉即将到期：%(number)s") % {"number": complaint.number},
                body=_("请在期限内办理：%(line)s") % {"line": _line(complaint)},
            )
        )
        events.append(
            ComplaintEvent(
                complaint=complaint, kind=ComplaintEvent.Kind.REMINDED, note=_line(complaint)
            )
        )
    for complaint in escalated:
        notices.append(
            notice(
                key=f"{complaint.pk}:escalate:{complaint.due_on}",
                complaint=complaint,
                channel=Notification.Channel.EMAIL,
                recipients=supervisors[complaint.region.path],
                subject=_("投诉逾期督办：%(number)s") % {"number": complaint.number},
                body=_("以下投诉已超过期限：%(line)s") % {"line": _line(complaint)},
            )
        )
        events.append(
            ComplaintEvent(
                complaint=complaint, kind=ComplaintEvent.Kind.ESCALATED, note=_line(complaint)
            )
        )
    ComplaintEvent.objects.bulk_create(events)
    queue(notices)  # one statement, and one delivery task after commit
    return {"reminded": len(reminded), "escalated": len(escalated)}


@transaction.atomic
def complaint_deadlines_recompute(year: int) -> int:
    """The workdays hook: once `year`'s schedule is loaded, changed or removed, every open
    deadline of a complaint that falls on or after 1 January of `year` gets the true date: the
    acknowledgement (R16), the handling period (R17) and the agency's written answer.

    Not only provisional deadlines: a published schedule can be amended (as 2020's Spring
    Festival was) and a year can be unloaded, and deadlines computed from it must follow. A
    deadline that moves gets an internal entry in the complaint's timeline (old → new date and
    why) and a fresh reminder; one that only loses its provisional mark is updated silently.
    Idempotent: a second run finds nothing to move and writes nothing.
    """
    start = date(year, 1, 1)
    notes = ScheduleNotes()
    events: list[ComplaintEvent] = []
    changed = 0
    acknowledging = Complaint.objects.select_for_update().filter(
        status=Complaint.Status.REGISTERED, acknowledge_by__gte=start
    )
    for complaint in acknowledging:
        due = acknowledge_deadline(complaint.received_on)
        changed += _move(complaint, "acknowledge_by", "acknowledge_provisional", due, notes, events)
    handling = Complaint.objects.select_for_update().filter(
        status__in=Complaint.IN_HANDLING, handling_due__gte=start
    )
    for complaint in handling:
        due = handling_deadline(complaint)
        changed += _move(complaint, "handling_due", "handling_provisional", due, notes, events)
    changed += _recompute_agency_requests(start, notes, events)
    ComplaintEvent.objects.bulk_create(events)
    return changed


WHAT = {
    "acknowledge_by": gettext_lazy("受理告知期限"),
    "handling_due": gettext_lazy("办理期限"),
}


def _move(complaint, due_field: str, provisional_field: str, due, notes, events) -> int:
    old, old_provisional = getattr(complaint, due_field), getattr(complaint, provisional_field)
    if (old, old_provisional) == (due.deadline, due.provisional):
        return 0
    fields = [due_field, provisional_field, "due_on"]
    setattr(complaint, due_field, due.deadline)
    setattr(complaint, provisional_field, due.provisional)
    if complaint.due_on != due.deadline:
        complaint.due_on = due.deadline
        complaint.reminded_on = complaint.escalated_on = None
        fields += ["reminded_on", "escalated_on"]
    complaint.save(update_fields=fields)
    if old != due.deadline:
        note = moved_note(
            what=str(WHAT[due_field]),
            old=old,
            old_provisional=old_provisional,
            new=due,
            why=notes(due.deadline),
        )
        events.append(
            ComplaintEvent(complaint=complaint, kind=ComplaintEvent.Kind.DEADLINE_MOVED, note=note)
        )
    return 1


def _recompute_agency_requests(start: date, notes, events) -> int:
    """The agency's written answer, still awaited on a complaint in handling: its date moves with
    the calendar too (the agency sees the new date on its request; the handler, the timeline)."""
    requests = (
        AgencyRequest.objects.select_for_update(of=("self",))
        .filter(
            answered_at__isnull=True,
            respond_by__gte=start,
            complaint__status__in=Complaint.IN_HANDLING,
        )
        .select_related("complaint", "agency")
    )
    changed = 0
    for request in requests:
        asked_on = timezone.localtime(request.asked_at).date()
        due = add_working_days(start=asked_on, days=AGENCY_RESPONSE_WORKING_DAYS)
        if request.respond_by == due.deadline:
            continue
        old, request.respond_by = request.respond_by, due.deadline
        request._change_reason = str(notes(due.deadline))[:100]
        request.save(update_fields=["respond_by"])
        what = _("%(agency)s书面说明的答复期限") % {"agency": request.agency}
        note = moved_note(
            what=what, old=old, old_provisional=False, new=due, why=notes(due.deadline)
        )
        events.append(
            ComplaintEvent(
                complaint=request.complaint, kind=ComplaintEvent.Kind.DEADLINE_MOVED, note=note
            )
        )
        changed += 1
    return changed
