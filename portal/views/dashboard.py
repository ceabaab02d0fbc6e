"""The supervisors' dashboard (R11): every figure of their region and below for a period
(`reporting.selectors.figures`, the same computation as the yearly report), the early warnings
(`reporting.selectors.warnings`), the charts' data for `static/portal/dashboard.js`, and the
figures as an Excel workbook. Supervisors and the administrator only."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from reporting.forms.figures import FiguresFilterForm
from reporting.selectors.figures import Figures, display, figures_for
from reporting.selectors.warnings import early_warnings

from ..roles import Role, role_required
from ..spreadsheets import dated_name, xlsx_tables_response

SUPERVISING = (Role.SUPERVISOR, Role.SYSADMIN)


def _charts(figures: Figures) -> list[dict]:
    """The four charts: what `dashboard.js` draws (kind, labels, series) and the same numbers as
    the table shown in the chart's place for screen readers and without JavaScript."""
    trend, month = figures.trend, figures.trend.month_label
    charts = [
        {
            "key": "trend",
            "kind": "line",
            "title": _("月度趋势：收到投诉与立案"),
            "headers": (_("月份"), _("收到投诉（件）"), _("立案（件）")),
            "labels": [month(m) for m, _c, _k in trend.months],
            "series": [
                {"name": _("收到投诉"), "data": [c for _m, c, _k in trend.months]},
                {"name": _("立案"), "data": [k for _m, _c, k in trend.months]},
            ],
        },
        _distribution(
            "complaint_status", "bar", _("投诉按状态分布"), _("状态"), figures.complaints.by_status
        ),
        _distribution("grades", "pie", _("考核等次分布"), _("等次"), figures.evaluation.grades),
        _distribution(
            "clue_steps", "bar", _("问责线索所处环节"), _("环节"), figures.accountability.steps
        ),
    ]
    for chart in charts:
        chart["rows"] = [
            (label, *(series["data"][i] for series in chart["series"]))
            for i, label in enumerate(chart["labels"])
        ]
    return charts


def _distribution(key: str, kind: str, title: str, what: str, counted) -> dict:
    return {
        "key": key,
        "kind": kind,
        "title": title,
        "headers": (what, _("数量")),
        "labels": [label for _c, label, _n in counted],
        "series": [{"name": _("数量"), "data": [n for _c, _l, n in counted]}],
    }


def _chart_data(charts: list[dict]) -> dict:
    keep = ("kind", "title", "labels", "series")
    return {chart["key"]: {k: chart[k] for k in keep} for chart in charts}


def _rendered(section) -> dict:
    table = section.table()
    return {
        "key": section.key,
        "title": str(section.title),
        "headers": table.headers,
        "rows": [(row[0], [display(v) for v in row[1:]]) for row in table.rows],
    }


@role_required(*SUPERVISING)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The figures for the filters asked (default: the supervisor's region, the current year);
    a bad filter is a 400 with the form's Chinese messages and no figures."""
    form = FiguresFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "portal/dashboard/page.html", {"form": form}, status=400)
    filters = form.filters
    shown = FiguresFilterForm(
        initial={
            "region": filters.region.pk,
            "agency": filters.agency.pk if filters.agency else None,
            "start": filters.start,
            "end": filters.end,
        },
        user=request.user,
    )
    context: dict = {"form": shown}
    figures = figures_for(filters=filters)
    charts = _charts(figures)
    warnings = early_warnings(user=request.user, filters=filters)
    context.update(
        filters=filters,
        figures=figures,
        sections=[_rendered(section) for section in figures.sections()],
        charts=charts,
        chart_data=_chart_data(charts),
        warnings=warnings,
        warning_red=sum(group.red for group in warnings),
        warning_yellow=sum(group.yellow for group in warnings),
        query=form.query(),
    )
    return render(request, "portal/dashboard/page.html", context)


@role_required(*SUPERVISING)
@require_GET
def dashboard_export(request: HttpRequest) -> HttpResponse:
    """Every figure of the dashboard, for the same filters, as one Excel sheet."""
    form = FiguresFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "portal/dashboard/page.html", {"form": form}, status=400)
    figures = figures_for(filters=form.filters)
    tables = []
    for section in figures.sections():
        table = section.table()
        rows = [[row[0], *("—" if v is None else v for v in row[1:])] for row in table.rows]
        tables.append((str(section.title), table.headers, rows))
    computed = timezone.localtime(figures.computed_at)
    return xlsx_tables_response(
        title=_("行政执法监督统计"),
        subtitle=_("%(filters)s（%(at)s 统计）")
        % {"filters": form.filters.describe(), "at": f"{computed:%Y-%m-%d %H:%M}"},
        tables=tables,
        filename=dated_name(_("行政执法监督统计"), "xlsx"),
    )
