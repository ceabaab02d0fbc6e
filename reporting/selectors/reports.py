"""R31: what the annual report shows, read for its page and each of its files: the figures of
the dashboard for the report's region and year (`report_figures`, the one place the report reads
them), the implementation plans' milestones (R33), and each section's current narrative.

The sections of the dashboard's figures are placed under the report's sections by their key
(`FIGURE_SECTIONS`); one the report does not know yet goes under the overview, so that nothing the
dashboard shows is left out of the report.
"""

from dataclasses import dataclass, field
from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _

from portal.roles import Role, role_of

from ..models import AnnualReport, Narrative, Section
from .figures import Figures, display, figures_for, filters_for
from .plans import plan_figures

FIGURE_SECTIONS = {
    Section.OVERVIEW: ("trend",),
    Section.LISTS: ("power_list",),
    Section.DISCLOSURE: ("disclosure",),
    Section.LEGAL_REVIEW: ("legal_reviews",),
    Section.FINES: ("fines",),
    Section.COMPLAINTS: ("complaints",),
    Section.EVALUATION: ("evaluation", "rectification"),
    Section.ACCOUNTABILITY: ("accountability",),
}


@dataclass(frozen=True)
class ReportTable:
    title: str
    headers: tuple
    rows: tuple  # of tuples of raw values (numbers, None, text)

    def shown(self) -> list[list[str]]:
        """The rows as every document prints them (thousands separators, "—" for none)."""
        return [[display(v) if not isinstance(v, str) else v for v in row] for row in self.rows]


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple  # (label, value)


@dataclass
class ReportSection:
    key: str
    title: str
    narrative: Narrative | None = None
    tables: list = field(default_factory=list)
    charts: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.narrative.text if self.narrative else ""


@dataclass
class ReportContent:
    report: AnnualReport
    title: str
    figures: Figures
    sections: list


def reports_visible(user):
    rows = AnnualReport.objects.select_related("region", "created_by")
    role = role_of(user)
    if role == Role.SYSADMIN:
        return rows
    if role == Role.SUPERVISOR and user.region_id:
        return rows.filter(region__path__startswith=user.region.path)
    return rows.none()


def report_for(*, user, pk: int) -> AnnualReport:
    try:
        return reports_visible(user).get(pk=pk)
    except AnnualReport.DoesNotExist:
        raise Http404(_("没有找到该报告。")) from None


def current_narratives(report: AnnualReport) -> dict[str, Narrative]:
    """Each section's latest version (one query)."""
    found: dict[str, Narrative] = {}
    for narrative in report.narratives.select_related("written_by").order_by("section", "-version"):
        found.setdefault(narrative.section, narrative)
    return found


def report_figures(report: AnnualReport, *, user, today: date | None = None) -> Figures:
    """The dashboard's figures for the report's region and year: the same `filters_for` and
    `figures_for`, so that the report equals the dashboard for the same filters."""
    filters = filters_for(
        user=user,
        region=report.region,
        start=date(report.year, 1, 1),
        end=date(report.year, 12, 31),
    )
    return figures_for(filters=filters, today=today)


def _table(section) -> ReportTable:
    table = section.table()
    return ReportTable(title=str(section.title), headers=table.headers, rows=table.rows)


def _charts(section) -> list[Chart]:
    """The distributions worth a picture, drawn as bars."""
    key = getattr(section, "key", "")
    if key == "trend":
        months = getattr(section, "months", ())
        return [
            Chart(_("每月收到投诉（件）"), tuple((f"{m:%m}月", c) for m, c, _k in months)),
            Chart(_("每月立案（件）"), tuple((f"{m:%m}月", k) for m, _c, k in months)),
        ]
    counted = {"complaints": "by_status", "evaluation": "grades", "accountability": "steps"}
    if key in counted:
        bars = tuple((label, n) for _code, label, n in getattr(section, counted[key], ()))
        return [Chart(str(section.title), bars)]
    if key == "power_list":
        return [
            Chart(
                _("清单调整任务完成情况（件）"),
                (
                    (_("按期完成"), section.done_on_time),
                    (_("逾期完成"), section.done_late),
                    (_("逾期未完成"), section.overdue),
                    (_("尚未到期"), section.not_yet_due),
                ),
            )
        ]
    return []


def _plan_section(report: AnnualReport, today: date | None) -> tuple[ReportTable, Chart]:
    got = plan_figures(
        region=report.region,
        start=date(report.year, 1, 1),
        end=date(report.year, 12, 31),
        today=today,
    )
    rows = (
        (_("实施方案（个）"), got["plans"]),
        (_("本年度到期任务（项）"), got["total"]),
        (_("已完成（项）"), got["done"]),
        (_("其中：按期完成（项）"), got["on_time"]),
        (_("逾期未完成（项）"), got["overdue"]),
        (_("报告问题（个）"), got["reported"]),
        (_("其中：已答复（个）"), got["answered"]),
    )
    table = ReportTable(_("实施方案任务"), (_("项目"), _("数值")), rows)
    still_open = got["total"] - got["done"] - got["overdue"]
    chart = Chart(
        _("实施方案任务完成情况（项）"),
        ((_("已完成"), got["done"]), (_("逾期未完成"), got["overdue"]), (_("推进中"), still_open)),
    )
    return table, chart


def report_content(report: AnnualReport, *, user, today: date | None = None) -> ReportContent:
    """Everything the report prints, section by section, in order."""
    figures = report_figures(report, user=user, today=today)
    narratives = current_narratives(report)
    sections = {
        value: ReportSection(key=value, title=str(label), narrative=narratives.get(value))
        for value, label in Section.choices
    }
    placed = {key: s for s, keys in FIGURE_SECTIONS.items() for key in keys}
    for figure_section in figures.sections():
        target = sections[placed.get(getattr(figure_section, "key", ""), Section.OVERVIEW)]
        target.tables.append(_table(figure_section))
        target.charts.extend(_charts(figure_section))
    table, chart = _plan_section(report, today)
    sections[Section.PLAN].tables.append(table)
    sections[Section.PLAN].charts.append(chart)
    return ReportContent(
        report=report, title=str(report), figures=figures, sections=list(sections.values())
    )
