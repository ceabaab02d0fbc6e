"""The dashboard's early warnings (R11): what falls due within two working days (yellow) or is
overdue (red), for the region or the agency the supervisor filters on, each row linking to the
object. Warnings are about today, whatever the period of the figures.

Sources, each by its own running deadline:

- complaints: the deadline that applies now (acknowledgement, then handling: `due_on`), as the
  complaints' own early-warning page (`complaints.services.deadlines.warning_horizon`);
- list revision tasks (R2): open tasks by their due date;
- accountability: clues not closed by their handling deadline; cases by their current step's
  deadline; statements of defence (R29) not yet given nor waived by their deadline;
- rectification orders (R23): not closed, by their deadline.

"Within two working days": due on or before the second working day after today (the working-day
calendar, `workdays`); overdue: due before today. Each source costs two queries (the counts, and
the most urgent rows, at most `SHOWN` of them), whatever the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accountability.models import Clue, Defence, Proceeding
from assessment.models import RectificationOrder
from complaints.models import Complaint
from complaints.privacy import complaints_visible_to
from complaints.services.deadlines import warning_horizon
from enforcement.models import RevisionTask

from .figures import Filters

SHOWN = 20  # rows listed per source; the counts cover them all
RED, YELLOW = "red", "yellow"
LEVEL_LABELS = {RED: gettext_lazy("已逾期"), YELLOW: gettext_lazy("即将到期")}


@dataclass(frozen=True)
class Warning:
    level: str  # "red" (overdue) or "yellow" (due within two working days)
    what: str  # the object, as its page names it
    deadline: str  # which deadline
    agency: str
    due: date
    url: str

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS[self.level])


@dataclass(frozen=True)
class WarningGroup:
    key: str
    title: str
    red: int
    yellow: int
    rows: tuple[Warning, ...]

    @property
    def total(self) -> int:
        return self.red + self.yellow


@dataclass(frozen=True)
class _Source:
    key: str
    title: object
    due_field: str

    def group(self, rows: QuerySet, *, today: date, horizon: date, present) -> WarningGroup:
        due = self.due_field
        rows = rows.filter(**{f"{due}__isnull": False, f"{due}__lte": horizon})
        counts = rows.aggregate(
            red=Count("pk", filter=Q(**{f"{due}__lt": today})),
            yellow=Count("pk", filter=Q(**{f"{due}__gte": today})),
        )
        shown = []
        for row in rows.order_by(due, "pk")[:SHOWN]:
            on = getattr_path(row, due)
            shown.append(present(row, RED if on < today else YELLOW, on))
        return WarningGroup(
            self.key, str(self.title), counts["red"], counts["yellow"], tuple(shown)
        )


def getattr_path(obj, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


def _complaint(row: Complaint, level: str, due: date) -> Warning:
    registered = row.status == Complaint.Status.REGISTERED
    return Warning(
        level=level,
        what=row.number,
        deadline=_("受理告知期限") if registered else _("办理期限"),
        agency=row.agency.name,
        due=due,
        url=row.get_absolute_url(),
    )


def _task(row: RevisionTask, level: str, due: date) -> Warning:
    if row.item_id:
        url = reverse("enforcement:staff_item_detail", args=[row.item_id])
        what = str(row.item)
    else:
        url = reverse("enforcement:revision_task_list")
        what = str(row.change)
    return Warning(level, what, _("清单调整期限"), row.agency.name, due, url)


def _clue(row: Clue, level: str, due: date) -> Warning:
    url = reverse("accountability:clue-detail", args=[row.pk])
    return Warning(level, row.number, _("线索办理期限"), row.agency.name, due, url)


def _proceeding(row: Proceeding, level: str, due: date) -> Warning:
    deadline = _("%(step)s期限") % {"step": row.get_step_display()}
    return Warning(level, row.number, deadline, row.agency.name, due, row.get_absolute_url())


def _defence(row: Defence, level: str, due: date) -> Warning:
    url = reverse("accountability:defence-detail", args=[row.pk])
    what = f"{row.accused.proceeding.number} · {row.accused}"
    agency = row.accused.proceeding.agency.name
    return Warning(level, what, _("陈述申辩期限"), agency, due, url)


def _order(row: RectificationOrder, level: str, due: date) -> Warning:
    url = reverse("assessment:rectification", args=[row.pk])
    what = _("%(year)s 年度整改通知") % {"year": row.result.cycle.year}
    return Warning(level, what, _("整改期限"), row.result.agency.name, due, url)


def early_warnings(*, user, filters: Filters, today: date | None = None) -> list[WarningGroup]:
    """Every source's warnings for the agencies of `filters` (its period is not used)."""
    today = today or timezone.localdate()
    horizon = warning_horizon(today)
    agencies = filters.agencies()
    sources = [
        (
            _Source("complaints", gettext_lazy("投诉举报期限"), "due_on"),
            complaints_visible_to(user).filter(agency_id__in=agencies).select_related("agency"),
            _complaint,
        ),
        (
            _Source("revision_tasks", gettext_lazy("清单调整任务"), "due_on"),
            RevisionTask.objects.filter(
                agency_id__in=agencies, status=RevisionTask.Status.OPEN
            ).select_related("agency", "item", "change__basis", "change__agency"),
            _task,
        ),
        (
            _Source("clues", gettext_lazy("问责线索"), "due_on"),
            Clue.objects.filter(agency_id__in=agencies)
            .exclude(status=Clue.Status.CLOSED)
            .select_related("agency"),
            _clue,
        ),
        (
            _Source("proceedings", gettext_lazy("问责案件环节"), "step_due_on"),
            Proceeding.objects.filter(agency_id__in=agencies)
            .exclude(step=Proceeding.Step.CLOSED)
            .select_related("agency"),
            _proceeding,
        ),
        (
            _Source("defences", gettext_lazy("陈述申辩"), "due_on"),
            Defence.objects.filter(
                accused__proceeding__agency_id__in=agencies,
                accused__proceeding__step=Proceeding.Step.NOTICE,
                submitted_at__isnull=True,
                waived=False,
            ).select_related("accused__officer", "accused__agency", "accused__proceeding__agency"),
            _defence,
        ),
        (
            _Source("rectification", gettext_lazy("整改通知"), "due"),
            RectificationOrder.objects.filter(result__agency_id__in=agencies)
            .exclude(status=RectificationOrder.Status.CLOSED)
            .select_related("result__agency", "result__cycle"),
            _order,
        ),
    ]
    return [
        source.group(rows, today=today, horizon=horizon, present=present)
        for source, rows, present in sources
    ]
