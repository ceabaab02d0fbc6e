"""The cycle's results as an Excel workbook (R23): one sheet a table, every cell written as text
and neutralised against formula injection (portal.spreadsheets)."""

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.roles import Role, role_of
from portal.spreadsheets import XLSX, dated_name, neutralise

from ..models import AgencyResult, OfficerResult, Score, UnitEvaluation
from ..selectors import results as selectors
from ..services.permissions import cycle_can_manage


def _write(sheets) -> tempfile.SpooledTemporaryFile:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        worksheet = workbook.create_sheet(title)
        worksheet.append([str(h) for h in header])
        for values in rows:
            cells = []
            for value in values:
                cell = WriteOnlyCell(worksheet, value=neutralise(value))
                cell.data_type = "s"  # text, never a formula, whatever the value looks like
                cells.append(cell)
            worksheet.append(cells)
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    return spool


def _results(cycle):
    rows = AgencyResult.objects.filter(cycle=cycle).select_related("agency")
    for r in rows.order_by("-total", "agency__name").iterator(chunk_size=500):
        yield (
            r.agency.name,
            r.local_total,
            r.vertical_total,
            r.total,
            r.get_grade_display(),
            r.performance_score,
            r.award_share_rule_of_law,
            r.award_share_enforcement,
            r.get_disclosure_display(),
        )


def _scores(cycle):
    rows = Score.objects.filter(assignment__cycle=cycle).select_related(
        "assignment__agency", "assignment__evaluator", "indicator", "scored_by"
    )
    for s in rows.order_by("assignment__agency__name", "assignment__role", "indicator__order"):
        yield (
            s.assignment.agency.name,
            s.assignment.evaluator.name,
            s.assignment.get_role_display(),
            s.indicator.code,
            s.indicator.name,
            s.indicator.max_points,
            s.points,
            s.evidence,
            s.scored_by.name or s.scored_by.get_username(),
            f"{s.scored_at:%Y-%m-%d %H:%M}",
        )


def _officers(cycle):
    rows = OfficerResult.objects.filter(cycle=cycle).select_related("agency", "officer")
    for r in rows.order_by("agency__name", "-total").iterator(chunk_size=500):
        yield (
            r.agency.name,
            r.officer.name,
            r.everyday_score,
            r.special_score,
            r.total,
            r.get_grade_display(),
        )


def _units(cycle):
    rows = UnitEvaluation.objects.filter(cycle=cycle).select_related("agency")
    for u in rows.order_by("agency__name", "unit").iterator(chunk_size=500):
        yield (u.agency.name, u.unit, u.points, u.get_grade_display(), u.comment)


def _component(cycle):
    for values in _results(cycle):
        yield (values[0], values[3], values[4], _("评议考核结果作为依法行政考核的组成部分"))


@login_required
@require_GET
def results_workbook(request: HttpRequest, pk: int) -> FileResponse:
    """The cycle's results, scores, officers' and units' results (and, when the evaluation is
    merged with the rule-of-law assessment, the result as that assessment's component)."""
    cycle = selectors.cycle_for(user=request.user, pk=pk)
    if not (cycle_can_manage(request.user, cycle) or role_of(request.user) == Role.SYSADMIN):
        raise PermissionDenied(_("只有本地区的政府法制监督人员可以导出考核结果。"))
    sheets = [
        (
            _("单位考核结果"),
            [
                _("单位"),
                _("本级政府评分"),
                _("上级主管部门评分"),
                _("总分"),
                _("等次"),
                _("计入绩效考核分"),
                _("法治建设评优名额"),
                _("行政执法评优名额"),
                _("公开范围"),
            ],
            _results(cycle),
        ),
        (
            _("评分明细"),
            [
                _("被评议单位"),
                _("评议单位"),
                _("评议方式"),
                _("指标编号"),
                _("指标名称"),
                _("分值"),
                _("得分"),
                _("评分依据"),
                _("评分人"),
                _("评分时间"),
            ],
            _scores(cycle),
        ),
        (
            _("执法人员考核结果"),
            [
                _("所在单位"),
                _("执法人员"),
                _("日常考核得分"),
                _("专项考核得分"),
                _("总分"),
                _("等次"),
            ],
            _officers(cycle),
        ),
        (
            _("内设机构考核"),
            [_("部门"), _("内设机构"), _("得分"), _("等次"), _("评语")],
            _units(cycle),
        ),
    ]
    if cycle.merged_with_rule_of_law:
        sheets.append(
            (
                _("依法行政考核组成部分"),
                [_("单位"), _("评议考核总分"), _("等次"), _("说明")],
                _component(cycle),
            )
        )
    title = _("%(region)s%(year)s年度评议考核结果") % {
        "region": cycle.region.name,
        "year": cycle.year,
    }
    return FileResponse(
        _write(sheets), as_attachment=True, filename=dated_name(title, "xlsx"), content_type=XLSX
    )
