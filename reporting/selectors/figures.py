"""The supervisors' figures (R11, R31): one computation read by the dashboard, its Excel export and
the yearly implementation report, so that the three show the same numbers for the same filters.

`filters_for` turns what a supervisor asks for (region, agency, period) into `Filters`, refusing
anything outside the region they supervise; `figures_for` computes every section for them. Each
section is a frozen dataclass with a Chinese `title`, `rows()` — (label, value) pairs, the label
carrying the unit (个, 件, 元, %) — and `table()` — headers and rows — which every presentation
(HTML table, Excel, Word) prints as they are. A value of None means "nothing to count" (a rate
over zero) and is shown as "—".

Conventions every section follows:

- scope: rows of the agencies of the filter's region and of every region below it (or of the one
  agency filtered), by the agency the row belongs to, as `portal.scoping` scopes them;
- period: whole months, the first day of `start`'s month to the last of `end`'s; an instant
  counts in its month in Asia/Shanghai, a date field in its own month;
- "today" (overdue, not yet due) is the local date when computed; a state figure (what is open
  now, the list's coverage) is as of today, whatever the period.

The number of queries is fixed (see `QUERIES`), and so is the work, whatever the history: what
grows with it (complaints, cases, decisions, fines, legal reviews) is read from the monthly
tallies (`reporting.models.tallies`, one row per agency and month, kept by the services), the
rest from sets that do not grow with the years (what is open now, the lists, the evaluations,
accountability), each over an index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accountability.models import Clue, Proceeding, Transfer, TypicalCase
from accountability.models import Decision as AccountabilityDecision
from assessment.models import (
    AgencyResult,
    Assignment,
    Cycle,
    Grade,
    Indicator,
    RectificationOrder,
    Score,
)
from complaints.models import Complaint
from enforcement.models import (
    Agency,
    Decision,
    Region,
    RevisionTask,
)
from portal.roles import Role, role_of

from ..models import AgencyTally, MonthTally
from ..services.tallies import TZ, on_or_before
from ..services.tallies import columns as tally_columns

ZERO = Decimal("0.00")
# The longest period one computation covers (the monthly trend has a column per month).
MAX_PERIOD_DAYS = 366 * 5
# The queries `figures_for` runs, whatever the data (pinned in tests/reporting/test_figures.py).
QUERIES = 15

Value = int | Decimal | None
Row = tuple[str, Value]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple, ...]


def rate(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal (as the evaluation's figures); None with nothing to count."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def money(value) -> Decimal:
    """An amount in yuan with its two decimals (SQLite's sums lose the column's scale)."""
    return (value or ZERO).quantize(Decimal("0.01"))


def display(value: Value) -> str:
    """How a value reads in a table or a document: thousands separators, "—" for none."""
    if value is None:
        return "—"
    return f"{value:,}"


# --- filters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the figures cover: a region and everything below it (or one agency of it), and an
    inclusive period of dates."""

    region: Region
    agency: Agency | None
    start: date
    end: date

    def agencies(self) -> QuerySet[Agency]:
        """The agencies in scope, as a subquery of ids (one query wherever it is used)."""
        rows = Agency.objects.filter(region__path__startswith=self.region.path)
        if self.agency is not None:
            rows = rows.filter(pk=self.agency.pk)
        return rows.order_by().values("pk")

    @property
    def since(self) -> datetime:
        """The period's first instant (Asia/Shanghai)."""
        return datetime.combine(self.start, time.min, tzinfo=TZ)

    @property
    def until(self) -> datetime:
        """The instant after the period (half-open)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=TZ)

    def months(self) -> list[date]:
        """The first day of every month the period touches, in order."""
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return months

    def describe(self) -> str:
        """The filters in words, for a page's heading, a workbook or a document."""
        where = self.agency.name if self.agency is not None else self.region.name
        return _("%(where)s，%(start)s 至 %(end)s") % {
            "where": where,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def _pk(value):
    return getattr(value, "pk", value)


def supervised_region(user) -> Region:
    """The region `user` supervises: a supervisor's own, the administrator's the top one.
    Anyone else is refused."""
    role = role_of(user)
    if role == Role.SUPERVISOR and user.region_id:
        return user.region
    if role == Role.SYSADMIN:
        top = Region.objects.filter(parent__isnull=True).order_by("path").first()
        if top is not None:
            return top
        raise PermissionDenied(_("尚未设置任何行政区划。"))
    raise PermissionDenied(_("只有政府法制监督人员和系统管理员可以查看统计数据。"))


def filters_for(*, user, region=None, agency=None, start=None, end=None) -> Filters:
    """The filters `user` may ask for: `region` (a Region or its pk; default the region they
    supervise) must be that region or one below it, `agency` (an Agency or its pk) an agency of
    the chosen region; outside their region: PermissionDenied; an agency outside the chosen
    region, a period ending before it starts or longer than five years: ValidationError. The
    period defaults to the current year (1 January to 31 December); one date alone keeps its
    year's other end."""
    home = supervised_region(user)
    chosen = home
    if region not in (None, ""):
        chosen = Region.objects.filter(pk=_pk(region)).first()
        if chosen is None or not chosen.is_within(home):
            raise PermissionDenied(_("所选区划不在您的监督范围内。"))
    picked = None
    if agency not in (None, ""):
        picked = Agency.objects.select_related("region").filter(pk=_pk(agency)).first()
        if picked is None or not picked.region.is_within(home):
            raise PermissionDenied(_("所选单位不在您的监督范围内。"))
        if not picked.region.is_within(chosen):
            raise ValidationError({"agency": _("所选单位不在所选区划内。")})
    start, end = _period(start, end)
    return Filters(region=chosen, agency=picked, start=start, end=end)


def _period(start: date | None, end: date | None) -> tuple[date, date]:
    """Whole months (the figures are kept per month): the first day of the first month, the last
    day of the last."""
    if start is None and end is None:
        year = timezone.localdate().year
        return date(year, 1, 1), date(year, 12, 31)
    start = start or date(end.year, 1, 1)
    end = end or date(start.year, 12, 31)
    start, end = start.replace(day=1), _month_end(end)
    if end < start:
        raise ValidationError({"end": _("截止月份不能早于起始月份。")})
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise ValidationError({"end": _("统计期间最长为五年。")})
    return start, end


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


# --- sections -----------------------------------------------------------------------------------


class Section:
    title: ClassVar = ""
    key: ClassVar[str] = ""

    def rows(self) -> list[Row]:  # pragma: no cover - every section overrides it
        raise NotImplementedError

    def table(self) -> Table:
        """The section as a two-column table (the trend has its own columns)."""
        return Table(
            headers=(_("项目"), _("数值")),
            rows=tuple((label, value) for label, value in self.rows()),
        )


Counted = tuple[tuple[str, str, int], ...]  # (code, label, count), in the choices' order


@dataclass(frozen=True)
class ComplaintFigures(Section):
    """R15–R17, complaints against the agencies in scope.

    received          registered in the period (by the instant of registration)
    by_status         of those received, how many are in each status now
    accepted          of those received, accepted for handling (a handling start date), whatever
                      became of them since
    substantiated     of those received, found substantiated or partly substantiated
    ack_due           complaints whose acknowledgement deadline (R16, 5 working days) falls in the
                      period and is met or past: decided (accepted, refused, transferred) or still
                      undecided after the deadline. One whose deadline is still ahead is not yet
                      due. The same definition as the evaluation's figures (R20)
    ack_on_time       of those, decided on or before the deadline (by the local date)
    ack_late          ack_due − ack_on_time: decided late, and OPEN OVERDUE ones (undecided past
                      the deadline), which count as late
    open_overdue      of the late ones, those still undecided
    on_time_rate      ack_on_time / ack_due, in %
    """

    title: ClassVar = gettext_lazy("投诉举报")
    key: ClassVar[str] = "complaints"

    received: int
    by_status: Counted
    accepted: int
    substantiated: int
    ack_due: int
    ack_on_time: int
    open_overdue: int

    @property
    def ack_late(self) -> int:
        return self.ack_due - self.ack_on_time

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.ack_on_time, self.ack_due)

    def rows(self) -> list[Row]:
        return [
            (_("收到投诉（件）"), self.received),
            *(
                (_("其中：%(status)s（件）") % {"status": label}, n)
                for _c, label, n in self.by_status
            ),
            (_("受理（件）"), self.accepted),
            (_("应告知受理情况（件）"), self.ack_due),
            (_("按时告知（件）"), self.ack_on_time),
            (_("逾期告知（件，含逾期未告知）"), self.ack_late),
            (_("其中：逾期仍未告知（件）"), self.open_overdue),
            (_("按时告知率（%）"), self.on_time_rate),
            (_("核查属实或部分属实（件）"), self.substantiated),
        ]


@dataclass(frozen=True)
class PowerListFigures(Section):
    """R1–R3, the power-and-responsibility lists of the agencies in scope.

    subjects          enforcement subjects in scope (delegated organisations left out: their items
                      are on their delegating agency's list, R4), as of today
    with_list         of those, with at least one published item, as of today
    coverage          with_list / subjects, in %
    items_published   published items of the agencies in scope, as of today
    tasks_due         revision tasks (R2, one month after a law change) whose due date falls in
                      the period
    done_on_time      of those, closed on or before the due date (local date)
    done_late         of those, closed after it
    overdue           of those, still open and past the due date
    not_yet_due       of those, open with the due date today or later
    on_time_rate      done_on_time / (tasks done or past due), in % (as the evaluation's figures)
    """

    title: ClassVar = gettext_lazy("权责清单")
    key: ClassVar[str] = "power_list"

    subjects: int
    with_list: int
    items_published: int
    tasks_due: int
    done_on_time: int
    done_late: int
    overdue: int

    @property
    def coverage(self) -> Decimal | None:
        return rate(self.with_list, self.subjects)

    @property
    def not_yet_due(self) -> int:
        return self.tasks_due - self.done_on_time - self.done_late - self.overdue

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.done_on_time, self.done_on_time + self.done_late + self.overdue)

    def rows(self) -> list[Row]:
        return [
            (_("执法主体（个）"), self.subjects),
            (_("已公布权责清单的执法主体（个）"), self.with_list),
            (_("清单覆盖率（%）"), self.coverage),
            (_("已公布事项（项）"), self.items_published),
            (_("期限在本期的清单调整任务（件）"), self.tasks_due),
            (_("按期完成调整（件）"), self.done_on_time),
            (_("逾期完成调整（件）"), self.done_late),
            (_("逾期未完成调整（件）"), self.overdue),
            (_("尚未到期（件）"), self.not_yet_due),
            (_("按期调整率（%）"), self.on_time_rate),
        ]


@dataclass(frozen=True)
class LegalReviewFigures(Section):
    """R5, legal review (法制审核) of major decisions of the agencies' cases.

    awaiting          decisions in legal review now (submitted, not yet concluded), as of today
    reviews           legal reviews written in the period
    passed            of those, concluded "agree"
    failed            of those, every other conclusion (disagree; revise and resubmit): the
                      decision may not issue as reviewed
    """

    title: ClassVar = gettext_lazy("重大执法决定法制审核")
    key: ClassVar[str] = "legal_reviews"

    awaiting: int
    reviews: int
    passed: int
    failed: int

    def rows(self) -> list[Row]:
        return [
            (_("待法制审核的决定（件）"), self.awaiting),
            (_("本期作出的法制审核（件）"), self.reviews),
            (_("审核通过（件）"), self.passed),
            (_("审核未通过（不同意或修改后重新提交，件）"), self.failed),
            (_("审核未通过率（%）"), rate(self.failed, self.reviews)),
        ]


@dataclass(frozen=True)
class DisclosureFigures(Section):
    """R9, disclosure of enforcement decisions.

    required          decisions issued in the period: every issued decision is disclosed (R9,
                      public by default, at once)
    disclosed         of those, with their public disclosure
    rate              disclosed / required, in %
    """

    title: ClassVar = gettext_lazy("执法决定公示")
    key: ClassVar[str] = "disclosure"

    required: int
    disclosed: int

    @property
    def rate(self) -> Decimal | None:
        return rate(self.disclosed, self.required)

    def rows(self) -> list[Row]:
        return [
            (_("本期作出的执法决定（件）"), self.required),
            (_("已公示（件）"), self.disclosed),
            (_("公示率（%）"), self.rate),
        ]


@dataclass(frozen=True)
class FineFigures(Section):
    """R30, fines decided against collected (as the fine report).

    decisions         fines issued in the period
    decided           their amounts, in yuan
    collected         what the collecting banks have received on those fines, whenever paid
    outstanding       decided − collected (never below zero)
    collection_rate   collected / decided, in %
    """

    title: ClassVar = gettext_lazy("罚没款收缴")
    key: ClassVar[str] = "fines"

    decisions: int
    decided: Decimal
    collected: Decimal

    @property
    def outstanding(self) -> Decimal:
        return max(self.decided - self.collected, ZERO)

    @property
    def collection_rate(self) -> Decimal | None:
        if not self.decided:
            return None
        return (self.collected * 100 / self.decided).quantize(Decimal("0.1"))

    def rows(self) -> list[Row]:
        return [
            (_("罚款决定（件）"), self.decisions),
            (_("决定罚款金额（元）"), self.decided),
            (_("已收缴金额（元）"), self.collected),
            (_("未收缴金额（元）"), self.outstanding),
            (_("收缴率（%）"), self.collection_rate),
        ]


@dataclass(frozen=True)
class EvaluationFigures(Section):
    """R19–R23, the evaluations (评议考核) of the years the period touches.

    cycles / open     evaluation cycles of those years evaluating an agency in scope; still open
    assignments       evaluations to make (evaluator → agency in scope) in those cycles
    scored            of those, with every indicator of the cycle scored
    progress          scored / assignments, in %
    results           agencies in scope with a computed result
    grades            those results by grade (优秀, 合格, 不合格)
    """

    title: ClassVar = gettext_lazy("评议考核")
    key: ClassVar[str] = "evaluation"

    cycles: int
    open_cycles: int
    assignments: int
    scored: int
    grades: Counted

    @property
    def progress(self) -> Decimal | None:
        return rate(self.scored, self.assignments)

    @property
    def results(self) -> int:
        return sum(n for _c, _l, n in self.grades)

    def rows(self) -> list[Row]:
        return [
            (_("考核周期（个）"), self.cycles),
            (_("其中：评议中（个）"), self.open_cycles),
            (_("应评议（项）"), self.assignments),
            (_("已完成评分（项）"), self.scored),
            (_("评议进度（%）"), self.progress),
            (_("已有考核结果的单位（个）"), self.results),
            *((_("等次：%(grade)s（个）") % {"grade": label}, n) for _c, label, n in self.grades),
        ]


@dataclass(frozen=True)
class AccountabilityFigures(Section):
    """R24–R29, R18, accountability for the agencies in scope.

    clues             clues registered in the period (by the instant of registration)
    steps             of those, where each stands now: the clue's own status until a case is
                      opened from it, then the case's step (承办调查 → 告知与陈述申辩 → 作出决定
                      → 移送 → 已办结)
    decisions         accountability decisions dated in the period
    sanctioned        persons and units they hold responsible (not revoked on review)
    transfers         transfers (移送) sent in the period; receipted: with the receiving body's
                      receipt
    typical_cases     typical cases published in the period
    """

    title: ClassVar = gettext_lazy("责任追究")
    key: ClassVar[str] = "accountability"

    clues: int
    steps: Counted
    decisions: int
    sanctioned: int
    transfers: int
    receipted: int
    typical_cases: int

    def rows(self) -> list[Row]:
        return [
            (_("登记问责线索（条）"), self.clues),
            *((_("其中：%(step)s（条）") % {"step": label}, n) for _c, label, n in self.steps),
            (_("作出问责决定（件）"), self.decisions),
            (_("被追究责任的人员和单位（个）"), self.sanctioned),
            (_("移送（件）"), self.transfers),
            (_("其中：已取得回执（件）"), self.receipted),
            (_("发布典型案例（件）"), self.typical_cases),
        ]


@dataclass(frozen=True)
class RectificationFigures(Section):
    """R23, rectification orders (整改通知) to unqualified agencies in scope.

    open              not closed, deadline today or later, as of today
    overdue           not closed, deadline passed (marked overdue or not yet swept), as of today
    ordered           ordered in the period
    closed            closed (rectified, with evidence) in the period
    """

    title: ClassVar = gettext_lazy("整改")
    key: ClassVar[str] = "rectification"

    open: int
    overdue: int
    ordered: int
    closed: int

    def rows(self) -> list[Row]:
        return [
            (_("整改中（件）"), self.open),
            (_("逾期未整改（件）"), self.overdue),
            (_("本期下达整改通知（件）"), self.ordered),
            (_("本期完成整改（件）"), self.closed),
        ]


@dataclass(frozen=True)
class TrendFigures(Section):
    """The monthly trend: per month of the period (the first and last month possibly partial),
    complaints received (registered) and enforcement cases opened against / by the agencies in
    scope."""

    title: ClassVar = gettext_lazy("月度趋势")
    key: ClassVar[str] = "trend"

    months: tuple[tuple[date, int, int], ...]  # (first day of the month, complaints, cases)

    @staticmethod
    def month_label(month: date) -> str:
        return f"{month:%Y-%m}"

    def rows(self) -> list[Row]:
        rows: list[Row] = []
        for month, complaints, cases in self.months:
            label = self.month_label(month)
            rows.append((_("%(month)s 收到投诉（件）") % {"month": label}, complaints))
            rows.append((_("%(month)s 立案（件）") % {"month": label}, cases))
        return rows

    def table(self) -> Table:
        return Table(
            headers=(_("月份"), _("收到投诉（件）"), _("立案（件）")),
            rows=tuple((self.month_label(m), c, k) for m, c, k in self.months),
        )


@dataclass(frozen=True)
class Figures:
    filters: Filters
    today: date
    complaints: ComplaintFigures
    power_list: PowerListFigures
    legal_reviews: LegalReviewFigures
    disclosure: DisclosureFigures
    fines: FineFigures
    evaluation: EvaluationFigures
    accountability: AccountabilityFigures
    rectification: RectificationFigures
    trend: TrendFigures
    computed_at: datetime = field(default_factory=timezone.now)

    def sections(self) -> tuple[Section, ...]:
        """Every section, in the order the pages and documents print them."""
        return (
            self.complaints,
            self.power_list,
            self.legal_reviews,
            self.disclosure,
            self.fines,
            self.evaluation,
            self.accountability,
            self.rectification,
            self.trend,
        )


# --- the computation ----------------------------------------------------------------------------


def _counted(choices, found: dict) -> Counted:
    return tuple((value, str(label), found.get(value, 0)) for value, label in choices)


def _tallied(f: Filters, today: date) -> dict:
    """The period's monthly tallies summed (one query over agencies × months, whatever the
    rows counted), with the undecided acknowledgements of the months before this one apart."""
    this_month = today.replace(day=1)
    # Aliased apart from the columns: an aggregate may not share a column's name when another
    # aggregate reads that column.
    sums = {f"sum_{name}": Sum(name, default=0) for name in tally_columns()}
    sums["sum_ack_undecided_past"] = Sum("ack_undecided", filter=Q(month__lt=this_month), default=0)
    return {name[4:]: value for name, value in _tallies(f).aggregate(**sums).items()}


def _tallies(f: Filters) -> QuerySet[MonthTally]:
    return MonthTally.objects.filter(
        agency_id__in=f.agencies(), month__gte=f.start, month__lte=f.end
    )


def _complaints(f: Filters, today: date, t: dict) -> ComplaintFigures:
    # A deadline of an earlier month is past: its undecided complaints are overdue (tallied).
    # This month's deadlines before today are counted from the undecided complaints themselves,
    # a small set whatever the history (index complaint_undecided_ack).
    this_month = today.replace(day=1)
    overdue_now = Complaint.objects.filter(
        agency_id__in=f.agencies(),
        decided_at__isnull=True,
        acknowledge_by__gte=max(f.start, this_month),
        acknowledge_by__lte=f.end,
        acknowledge_by__lt=today,
    ).count()
    open_overdue = t["ack_undecided_past"] + overdue_now
    return ComplaintFigures(
        received=t["complaints_received"],
        by_status=_counted(
            Complaint.Status.choices, {v: t[f"status_{v}"] for v in Complaint.Status.values}
        ),
        accepted=t["complaints_accepted"],
        substantiated=t["complaints_substantiated"],
        ack_due=t["ack_on_time"] + t["ack_late"] + open_overdue,
        ack_on_time=t["ack_on_time"],
        open_overdue=open_overdue,
    )


def _power_list(f: Filters, today: date) -> PowerListFigures:
    listed = AgencyTally.objects.filter(agency=OuterRef("pk"), published_items__gt=0)
    subjects = (
        Agency.objects.filter(pk__in=f.agencies())
        .exclude(kind=Agency.Kind.DELEGATED)
        .annotate(listed=Exists(listed))
        .aggregate(subjects=Count("pk"), with_list=Count("pk", filter=Q(listed=True)))
    )
    items = AgencyTally.objects.filter(agency_id__in=f.agencies()).aggregate(
        n=Sum("published_items", default=0)
    )["n"]
    closed = Q(status=RevisionTask.Status.CLOSED)
    tasks = RevisionTask.objects.filter(
        agency_id__in=f.agencies(), due_on__gte=f.start, due_on__lte=f.end
    ).aggregate(
        due=Count("pk"),
        on_time=Count("pk", filter=closed & on_or_before("closed_at", "due_on")),
        closed=Count("pk", filter=closed),
        overdue=Count("pk", filter=~closed & Q(due_on__lt=today)),
    )
    return PowerListFigures(
        subjects=subjects["subjects"],
        with_list=subjects["with_list"],
        items_published=items,
        tasks_due=tasks["due"],
        done_on_time=tasks["on_time"],
        done_late=tasks["closed"] - tasks["on_time"],
        overdue=tasks["overdue"],
    )


def _legal_reviews(f: Filters, t: dict) -> LegalReviewFigures:
    awaiting = Decision.objects.filter(
        case__agency_id__in=f.agencies(), status=Decision.Status.IN_REVIEW
    ).count()
    return LegalReviewFigures(
        awaiting=awaiting,
        reviews=t["reviews"],
        passed=t["reviews_passed"],
        failed=t["reviews"] - t["reviews_passed"],
    )


def _disclosure(t: dict) -> DisclosureFigures:
    return DisclosureFigures(required=t["decisions_issued"], disclosed=t["decisions_disclosed"])


def _fines(t: dict) -> FineFigures:
    return FineFigures(
        decisions=t["fines_issued"],
        decided=money(t["fines_decided"]),
        collected=money(t["fines_collected"]),
    )


def _evaluation(f: Filters) -> EvaluationFigures:
    years = {"year__gte": f.start.year, "year__lte": f.end.year}
    in_scope = Assignment.objects.filter(agency_id__in=f.agencies())
    cycles = (
        Cycle.objects.filter(**years)
        .filter(Exists(in_scope.filter(cycle=OuterRef("pk"))))
        .aggregate(cycles=Count("pk"), open=Count("pk", filter=Q(status=Cycle.Status.OPEN)))
    )
    unscored = Indicator.objects.filter(cycle=OuterRef("cycle_id")).exclude(
        Exists(
            Score.objects.filter(assignment_id=OuterRef(OuterRef("pk")), indicator=OuterRef("pk"))
        )
    )
    assignments = (
        in_scope.filter(cycle__year__gte=f.start.year, cycle__year__lte=f.end.year)
        .annotate(
            complete=Exists(Indicator.objects.filter(cycle=OuterRef("cycle_id")))
            & ~Exists(unscored)
        )
        .aggregate(total=Count("pk"), scored=Count("pk", filter=Q(complete=True)))
    )
    grades = dict(
        AgencyResult.objects.filter(
            agency_id__in=f.agencies(),
            cycle__year__gte=f.start.year,
            cycle__year__lte=f.end.year,
        )
        .values("grade")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("grade", "n")
    )
    return EvaluationFigures(
        cycles=cycles["cycles"],
        open_cycles=cycles["open"],
        assignments=assignments["total"],
        scored=assignments["scored"],
        grades=_counted(Grade.choices, grades),
    )


CLUE_STEPS = (
    ("clue_registered", gettext_lazy("线索已登记")),
    ("clue_handling", gettext_lazy("线索办理中")),
    ("clue_closed", gettext_lazy("线索办结（未立案）")),
    *(
        (f"case_{value}", format_lazy("{}{}", gettext_lazy("问责案件："), label))
        for value, label in Proceeding.Step.choices
    ),
)


def _accountability(f: Filters) -> AccountabilityFigures:
    found: dict[str, int] = {}
    clues = (
        Clue.objects.filter(
            agency_id__in=f.agencies(), registered_at__gte=f.since, registered_at__lt=f.until
        )
        .values("status", "proceeding__step")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in clues:
        step = row["proceeding__step"]
        key = f"case_{step}" if step else f"clue_{row['status']}"
        found[key] = found.get(key, 0) + row["n"]
    decisions = AccountabilityDecision.objects.filter(
        proceeding__agency_id__in=f.agencies(), decided_on__gte=f.start, decided_on__lte=f.end
    ).aggregate(
        decisions=Count("pk", distinct=True),
        sanctioned=Count(
            "sanctions", filter=Q(sanctions__responsible=True, sanctions__revoked=False)
        ),
    )
    transfers = Transfer.objects.filter(
        proceeding__agency_id__in=f.agencies(), sent_on__gte=f.start, sent_on__lte=f.end
    ).aggregate(sent=Count("pk"), receipted=Count("pk", filter=Q(receipt_on__isnull=False)))
    typical = TypicalCase.objects.filter(
        proceeding__agency_id__in=f.agencies(),
        status=TypicalCase.Status.PUBLISHED,
        published_at__gte=f.since,
        published_at__lt=f.until,
    ).count()
    return AccountabilityFigures(
        clues=sum(found.values()),
        steps=tuple((key, str(label), found.get(key, 0)) for key, label in CLUE_STEPS),
        decisions=decisions["decisions"],
        sanctioned=decisions["sanctioned"],
        transfers=transfers["sent"],
        receipted=transfers["receipted"],
        typical_cases=typical,
    )


def _rectification(f: Filters, today: date) -> RectificationFigures:
    closed = Q(status=RectificationOrder.Status.CLOSED)
    got = RectificationOrder.objects.filter(result__agency_id__in=f.agencies()).aggregate(
        open=Count("pk", filter=~closed & Q(due__gte=today)),
        overdue=Count("pk", filter=~closed & Q(due__lt=today)),
        ordered=Count("pk", filter=Q(ordered_at__gte=f.since, ordered_at__lt=f.until)),
        closed=Count("pk", filter=closed & Q(closed_at__gte=f.since, closed_at__lt=f.until)),
    )
    return RectificationFigures(**got)


def _trend(f: Filters) -> TrendFigures:
    counted = {
        row["month"]: (row["complaints"], row["cases"])
        for row in _tallies(f)
        .values("month")
        .annotate(complaints=Sum("complaints_received"), cases=Sum("cases_opened"))
        .order_by()
    }
    return TrendFigures(months=tuple((m, *counted.get(m, (0, 0))) for m in f.months()))


def figures_for(*, filters: Filters, today: date | None = None) -> Figures:
    """Every figure for `filters` (already checked by `filters_for`), as of `today` (default the
    local date). A fixed number of queries (`QUERIES`)."""
    today = today or timezone.localdate()
    tallied = _tallied(filters, today)
    return Figures(
        filters=filters,
        today=today,
        complaints=_complaints(filters, today, tallied),
        power_list=_power_list(filters, today),
        legal_reviews=_legal_reviews(filters, tallied),
        disclosure=_disclosure(tallied),
        fines=_fines(tallied),
        evaluation=_evaluation(filters),
        accountability=_accountability(filters),
        rectification=_rectification(filters, today),
        trend=_trend(filters),
    )
