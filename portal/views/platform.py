"""R11, the supervision platform's data: the enforcement subjects, officers and cases of the
supervisor's region and below with their status, filtered (django-filter), paged and exported to
Excel. Supervisors and the administrator only; everyone else is refused (403)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from ..pagination import KeysFirstPaginator
from ..platform import filters, selectors
from ..roles import Role, role_required
from ..spreadsheets import dated_name, xlsx_response

PAGE_SIZE = 50
READERS = (Role.SUPERVISOR, Role.SYSADMIN)


def _filtered(request: HttpRequest, filter_class, rows):
    """The filter bound to the query string; a refused value shows the form's errors and no rows
    (status 400) rather than an unfiltered list."""
    found = filter_class(request.GET or None, queryset=rows, user=request.user)
    if found.is_bound and not found.is_valid():
        return found, rows.none(), 400
    return found, found.qs, 200


def _page(request: HttpRequest, template: str, filter_class, rows, **context) -> HttpResponse:
    found, rows, status = _filtered(request, filter_class, rows)
    page = KeysFirstPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    export = request.GET.copy()
    export.pop("page", None)
    context.update(filterset=found, page=page, export_query=export.urlencode())
    return render(request, template, context, status=status)


def _export(request: HttpRequest, filter_class, rows, *, template, header, row, title: str):
    """The filtered list as a write-only workbook, every cell text (`neutralise`d against
    formula injection), read in chunks: a province's cases never sit in memory at once."""
    found, rows, status = _filtered(request, filter_class, rows)
    if status != 200:  # the list page with the refusal, not a workbook of the unfiltered rows
        return _page(request, template, filter_class, rows)
    return xlsx_response(
        header=[str(label) for label in header],
        rows=(row(obj) for obj in rows.iterator(chunk_size=2000)),
        sheet=title,
        filename=dated_name(title, "xlsx"),
    )


@role_required(*READERS)
@require_GET
def agencies(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "portal/platform/agencies.html",
        filters.AgencyFilter,
        selectors.platform_agencies(request.user),
        current="agencies",
    )


@role_required(*READERS)
@require_GET
def officers(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "portal/platform/officers.html",
        filters.OfficerFilter,
        selectors.platform_officers(request.user),
        current="officers",
    )


@role_required(*READERS)
@require_GET
def cases(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "portal/platform/cases.html",
        filters.CaseFilter,
        selectors.platform_cases(request.user),
        current="cases",
    )


def _yes_no(value: bool) -> str:
    return _("已公布") if value else _("未公布")


def _when(value) -> str:
    return f"{localtime(value):%Y-%m-%d}" if value else ""


L = gettext_lazy
AGENCY_HEADER = (
    L("名称"),
    L("所属区划"),
    L("主体类型"),
    L("管理体制"),
    L("统一社会信用代码"),
    L("权责清单"),
    L("持有效执法证人员"),
    L("办理中案件"),
)
OFFICER_HEADER = (
    L("姓名"),
    L("执法证号"),
    L("所在单位"),
    L("所属区划"),
    L("证件状态"),
    L("状态变更日期"),
    L("状态变更原因"),
)
CASE_HEADER = (
    L("立案编号"),
    L("事项名称"),
    L("办案单位"),
    L("所属区划"),
    L("案件来源"),
    L("办理阶段"),
    L("立案时间"),
    L("办结情况"),
    L("结案时间"),
)


@role_required(*READERS)
@require_GET
def agencies_export(request: HttpRequest) -> HttpResponse:
    return _export(
        request,
        filters.AgencyFilter,
        selectors.platform_agencies(request.user),
        template="portal/platform/agencies.html",
        header=AGENCY_HEADER,
        row=lambda a: (
            a.name,
            a.region.name,
            a.get_kind_display(),
            a.get_management_display(),
            a.credit_code,
            _yes_no(a.has_list),
            a.valid_officers,
            a.open_cases,
        ),
        title=_("执法主体"),
    )


@role_required(*READERS)
@require_GET
def officers_export(request: HttpRequest) -> HttpResponse:
    return _export(
        request,
        filters.OfficerFilter,
        selectors.platform_officers(request.user),
        template="portal/platform/officers.html",
        header=OFFICER_HEADER,
        row=lambda o: (
            o.name,
            o.certificate_number,
            o.agency.name,
            o.agency.region.name,
            o.get_certificate_status_display(),
            f"{o.status_date:%Y-%m-%d}" if o.status_date else "",
            o.status_reason,
        ),
        title=_("执法人员"),
    )


@role_required(*READERS)
@require_GET
def cases_export(request: HttpRequest) -> HttpResponse:
    return _export(
        request,
        filters.CaseFilter,
        selectors.platform_cases(request.user),
        template="portal/platform/cases.html",
        header=CASE_HEADER,
        row=lambda c: (
            c.number,
            c.item_name,
            c.agency.name,
            c.agency.region.name,
            c.get_source_display(),
            c.get_stage_display(),
            _when(c.opened_at),
            _("已结案") if c.closed_at else _("办理中"),
            _when(c.closed_at),
        ),
        title=_("执法案件"),
    )
