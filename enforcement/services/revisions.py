"""R2: revision tasks opened by a change of legal basis or of functions, and their closing.

The daily sweep reminds each agency once as a due date nears and escalates each overdue task once
to the supervisors of the region; the recomputer moves open tasks' due dates when a year's
holiday schedule is loaded, amended or removed, and says so in the item's timeline.
"""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from portal import scoping
from portal.recipients import agency_staff_emails, supervisor_emails
from portal.text import refuse_code
from workdays.deadlines import Deadline, add_months, add_working_days
from workdays.recompute import ScheduleNotes, moved_note

from ..models import PowerItem, PowerItemEvent, RevisionTask

REVISION_MONTHS = 1  # R2: "within one month of the basis's publication date"
REMIND_WORKING_DAYS = 5  # the agency is reminded this many working days before the due date


def revision_due(published_on: date) -> Deadline:
    return add_months(start=published_on, months=REVISION_MONTHS)


@transaction.atomic
def revision_tasks_close(*, item: PowerItem, actor, note: str) -> int:
    """Close the item's open revision tasks: it was republished or its withdrawal approved
    (with `note`).

    Called by the publish and withdrawal services; returns how many tasks it closed.
    """
    return RevisionTask.objects.filter(item=item, status=RevisionTask.Status.OPEN).update(
        status=RevisionTask.Status.CLOSED,
        closed_at=timezone.now(),
        closing_note=note[:200],
        closed_by=actor,
    )


@transaction.atomic
def revision_tasks_close_by_citation(*, item: PowerItem, actor) -> int:
    """R2: the agency's tasks of a new law close when it publishes an item citing that law (the
    duty was to add or adjust items under it). Called by the publish service."""
    note = _("已公布依据该法的事项：%(item)s") % {"item": item}
    return RevisionTask.objects.filter(
        item__isnull=True,
        agency_id=item.agency_id,
        status=RevisionTask.Status.OPEN,
        change__basis__in=item.bases.values("basis_id"),
    ).update(
        status=RevisionTask.Status.CLOSED,
        closed_at=timezone.now(),
        closing_note=note[:200],
        closed_by=actor,
    )


@transaction.atomic
def revision_task_close(*, task: RevisionTask, actor, reason: str) -> RevisionTask:
    """R2: a supervisor of the agency's region closes a new law's task with the reason (the law
    asks nothing of this agency's list, or the agency adjusted it under another task). An item's
    task closes only when the item is republished or its withdrawal approved."""
    task = (
        RevisionTask.objects.select_for_update(of=("self",))
        .select_related("agency__region")
        .get(pk=task.pk)
    )
    if not scoping.can_supervise(actor, task.agency):
        raise ValidationError(_("该任务不在您的监督范围内。"), code="forbidden")
    if task.item_id is not None:
        raise ValidationError(
            _("事项的调整任务在事项重新公布或取消获批后自动完成，不能直接关闭。"),
            code="item_task",
        )
    if task.status != RevisionTask.Status.OPEN:
        raise ValidationError(_("该任务已经完成。"), code="closed")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("关闭任务时必须写明理由。")}, code="no_reason")
    refuse_code(reason, label=_("理由"), field="reason")
    task.status = RevisionTask.Status.CLOSED
    task.closed_at = timezone.now()
    task.closing_note = reason[:200]
    task.closed_by = actor
    task.full_clean()
    task.save()
    return task


def _claim(queryset, field: str, today: date) -> list[RevisionTask]:
    """Mark the tasks of `queryset` whose `field` is still empty, and return exactly those.

    Rows another run of the sweep holds are skipped (it will mark them), and rows it marked are
    no longer empty: so each task is reminded or escalated once however often the job runs.
    """
    pks = list(
        queryset.filter(**{f"{field}__isnull": True})
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", flat=True)
    )
    if not pks:
        return []
    RevisionTask.objects.filter(pk__in=pks).update(**{field: today})
    return list(
        RevisionTask.objects.filter(pk__in=pks)
        .select_related("item", "agency__region", "change__basis", "change__agency")
        .order_by("agency_id", "due_on", "pk")
    )


def _task_lines(tasks: list[RevisionTask]) -> str:
    return "\n".join(
        _("- %(item)s：%(change)s，调整期限 %(due)s")
        % {
            "item": task.item or _("%(agency)s（增补或调整相关事项）") % {"agency": task.agency},
            "change": task.change,
            "due": f"{task.due_on:%Y-%m-%d}",
        }
        for task in tasks
    )


@transaction.atomic
def revision_tasks_sweep(*, today: date | None = None) -> dict[str, int]:
    """R2's daily job: remind agencies of tasks due within five working days, escalate overdue
    tasks to the region's supervisors. Reads only open tasks near or past their due date (the
    partial index on open tasks' due_on), so its cost follows the due tasks, not the table.

    The mail is sent inside the transaction: if sending fails, the marks roll back and the next
    run tries again.
    """
    today = today or localdate()
    horizon = add_working_days(start=today, days=REMIND_WORKING_DAYS).deadline
    open_tasks = RevisionTask.objects.filter(status=RevisionTask.Status.OPEN)
    reminded = _claim(open_tasks.filter(due_on__lte=horizon), "reminded_on", today)
    escalated = _claim(open_tasks.filter(due_on__lt=today), "escalated_on", today)

    messages = []
    by_agency: dict[int, list[RevisionTask]] = defaultdict(list)
    for task in reminded:
        by_agency[task.agency_id].append(task)
    staff = agency_staff_emails(set(by_agency))
    for agency_id, tasks in by_agency.items():
        if staff.get(agency_id):
            subject = _("权责清单调整即将到期：%(agency)s") % {"agency": tasks[0].agency}
            body = _("以下事项须在调整期限内完成调整并重新公布，或说明理由后取消：\n%(lines)s")
            body %= {"lines": _task_lines(tasks)}
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, staff[agency_id]))

    by_region: dict[str, list[RevisionTask]] = defaultdict(list)
    for task in escalated:
        by_region[task.agency.region.path].append(task)
    supervisors = supervisor_emails(set(by_region))
    recipients: dict[tuple[str, ...], list[RevisionTask]] = defaultdict(list)
    for path, tasks in by_region.items():
        if supervisors.get(path):
            recipients[tuple(supervisors[path])].extend(tasks)
    for emails, tasks in recipients.items():
        subject = _("权责清单调整逾期督办（%(count)s 项）") % {"count": len(tasks)}
        body = _("以下事项已超过调整期限仍未完成调整：\n%(lines)s") % {"lines": _task_lines(tasks)}
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, list(emails)))

    if messages:
        send_mass_mail(messages, fail_silently=False)
    return {"reminded": len(reminded), "escalated": len(escalated), "emails": len(messages)}


@transaction.atomic
def revision_tasks_recompute(year: int) -> int:
    """The workdays recompute hook: once `year`'s schedule is loaded, amended or removed, every
    open task due on or after 1 January of `year` gets the true date, provisional or not (a
    published schedule can be amended too). Idempotent.

    A task whose date moves gets an entry in its item's timeline, which the agency reads on the
    item's page (old → new date and why), and its reminder and escalation are re-armed for the
    new date; a task that only loses its provisional mark is updated silently.
    """
    tasks = (
        RevisionTask.objects.filter(status=RevisionTask.Status.OPEN, due_on__gte=date(year, 1, 1))
        .select_related("change__basis", "change__agency")
        .order_by("pk")
    )
    dues: dict[date, Deadline] = {}
    notes = ScheduleNotes()
    changed, events = [], []
    for task in tasks.iterator(chunk_size=2000):
        published_on = task.change.published_on
        if published_on not in dues:
            dues[published_on] = revision_due(published_on)
        due = dues[published_on]
        if (task.due_on, task.due_provisional) == (due.deadline, due.provisional):
            continue
        if task.due_on != due.deadline:
            event = _moved_event(task, due, notes)
            task.due_moved_note = event.note[:500]
            if task.item_id is not None:  # a new law's task has no item: it says it itself
                events.append(event)
            task.reminded_on = task.escalated_on = None
        task.due_on, task.due_provisional = due.deadline, due.provisional
        changed.append(task)
    RevisionTask.objects.bulk_update(
        changed,
        ["due_on", "due_provisional", "reminded_on", "escalated_on", "due_moved_note"],
        batch_size=1000,
    )
    PowerItemEvent.objects.bulk_create(events, batch_size=1000)
    return len(changed)


def _moved_event(task: RevisionTask, due: Deadline, notes: ScheduleNotes) -> PowerItemEvent:
    what = _("因%(change)s须完成的清单调整期限") % {"change": task.change}
    note = moved_note(
        what=what,
        old=task.due_on,
        old_provisional=task.due_provisional,
        new=due,
        why=notes(due.deadline),
    )
    return PowerItemEvent(item_id=task.item_id, kind=PowerItemEvent.Kind.DEADLINE_MOVED, note=note)
