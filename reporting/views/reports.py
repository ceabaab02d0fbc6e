"""R31: the annual implementation report: the list and opening a region's year, the report's
page (figures, charts, narratives), editing a narrative, and the three downloads (Word, PDF,
Excel annex), each recorded on the report's timeline."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from enforcement.models import Region
from portal.roles import Role, role_of, role_required
from portal.service_forms import attempt
from portal.spreadsheets import XLSX, dated_name

from ..documents.annex import report_xlsx
from ..documents.charts import bar_chart_svg
from ..documents.pdf import report_pdf
from ..documents.word import report_docx
from ..forms.reports import NarrativeForm, ReportOpenForm
from ..models import ReportEvent, Section
from ..selectors import reports as selectors
from ..services.permissions import report_may_edit
from ..services.reports import narrative_save, report_download_record, report_open
from .common import PAGE_SIZE, REPORT_READERS

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _regions(user):
    if role_of(user) != Role.SUPERVISOR or not user.region_id:
        return Region.objects.none()
    return Region.objects.filter(path__startswith=user.region.path).order_by("path")


@role_required(*REPORT_READERS)
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    """R31: the reports in the user's scope, and (for a supervisor) the form that opens the
    report of a region and a year."""
    status = 200
    editor = role_of(request.user) == Role.SUPERVISOR
    if request.method == "POST":
        if not editor:
            raise PermissionDenied(_("只有政府法制监督人员可以生成年度报告。"))
        form = ReportOpenForm(request.POST, regions=_regions(request.user))
        status = 400
        if form.is_valid():
            report, status = attempt(form, report_open, actor=request.user, **form.cleaned_data)
            if report is not None:
                return redirect(report)
    else:
        form = ReportOpenForm(
            regions=_regions(request.user),
            initial={"region": request.user.region_id, "year": localdate().year},
        )
    page = Paginator(selectors.reports_visible(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"form": form if editor else None, "page_obj": page, "rows": page.object_list}
    return render(request, "reporting/reports/list.html", context, status=status)


@role_required(*REPORT_READERS)
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for(user=request.user, pk=pk)
    content = selectors.report_content(report, user=request.user)
    for section in content.sections:
        section.svgs = [bar_chart_svg(chart) for chart in section.charts]
    context = {
        "report": report,
        "content": content,
        "editor": report_may_edit(request.user, report.region),
        "timeline": list(report.timeline.select_related("actor")[:50]),
    }
    return render(request, "reporting/reports/detail.html", context)


@role_required(*REPORT_READERS)
@require_http_methods(["GET", "POST"])
def narrative_edit(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """R31: a new version of a section's narrative; the older versions are listed below."""
    report = selectors.report_for(user=request.user, pk=pk)
    if section not in Section.values:
        raise Http404(_("报告没有该章节。"))
    if not report_may_edit(request.user, report.region):
        raise PermissionDenied(_("只有本地区或上级政府法制监督人员可以编辑报告。"))
    versions = list(
        report.narratives.filter(section=section).select_related("written_by").order_by("-version")
    )
    status = 200
    if request.method == "POST":
        form = NarrativeForm(request.POST)
        status = 400
        if form.is_valid():
            saved, status = attempt(
                form,
                narrative_save,
                report=report,
                section=section,
                text=form.cleaned_data["text"],
                actor=request.user,
            )
            if status == 200:
                if saved is None:
                    messages.info(request, _("文字说明没有改动，未生成新版本。"))
                else:
                    messages.success(
                        request,
                        _("已保存“%(section)s”的文字说明（第 %(version)s 版）。")
                        % {"section": Section(section).label, "version": saved.version},
                    )
                return redirect(f"{report.get_absolute_url()}#section-{section}")
    else:
        form = NarrativeForm(initial={"text": versions[0].text if versions else ""})
    context = {
        "report": report,
        "section": Section(section),
        "form": form,
        "versions": versions,
    }
    return render(request, "reporting/reports/narrative.html", context, status=status)


def _download(request, pk, kind):
    report = selectors.report_for(user=request.user, pk=pk)
    content = selectors.report_content(report, user=request.user)
    report_download_record(report=report, kind=kind, actor=request.user)
    return report, content


@role_required(*REPORT_READERS)
@require_GET
def report_word(request: HttpRequest, pk: int) -> HttpResponse:
    report, content = _download(request, pk, ReportEvent.Kind.WORD)
    response = HttpResponse(report_docx(content), content_type=DOCX)
    return _attachment(response, dated_name(str(report), "docx"))


@role_required(*REPORT_READERS)
@require_GET
def report_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    report, content = _download(request, pk, ReportEvent.Kind.PDF)
    response = HttpResponse(report_pdf(content), content_type="application/pdf")
    return _attachment(response, dated_name(str(report), "pdf"))


@role_required(*REPORT_READERS)
@require_GET
def report_annex(request: HttpRequest, pk: int) -> FileResponse:
    report, content = _download(request, pk, ReportEvent.Kind.ANNEX)
    title = _("%(title)s附表") % {"title": report}
    return FileResponse(
        report_xlsx(content),
        as_attachment=True,
        filename=dated_name(title, "xlsx"),
        content_type=XLSX,
    )


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response["Content-Disposition"] = (
        f"attachment; filename=\"report\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
