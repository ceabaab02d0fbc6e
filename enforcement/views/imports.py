"""Agency staff's import of a power list: upload, dry-run report, import, progress, error report."""

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal import scoping
from portal.roles import Role
from portal.spreadsheets import dated_name

from ..importing.template import template_workbook
from ..models import ImportJob
from ..services.imports import MAX_UPLOAD_BYTES, import_job_create, import_job_start
from .supervision import role_required

STAFF = (Role.AGENCY_STAFF, Role.LEGAL_OFFICE)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    workbook = forms.FileField(
        label=gettext_lazy("Excel 工作簿（.xlsx）"),
        error_messages={"required": gettext_lazy("请选择要导入的文件。")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


def _job(request, pk: int) -> ImportJob:
    job = scoping.get_scoped_or_404(ImportJob.objects.select_related("agency"), request.user, pk=pk)
    if not scoping.can_act_for(request.user, job.agency):
        raise Http404
    return job


@role_required(*STAFF)
def import_list(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(upload=form.cleaned_data["workbook"], actor=request.user)
        except ValidationError as exc:
            form.add_error("workbook", exc)
        else:
            return redirect("enforcement:import_detail", pk=job.pk)
    jobs = scoping.scope(ImportJob.objects.all(), request.user).select_related("created_by")
    page = Paginator(jobs, 20).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "max_mb": MAX_UPLOAD_BYTES // 1024 // 1024}
    status = 400 if request.method == "POST" else 200
    return render(request, "enforcement/imports/list.html", context, status=status)


@role_required(*STAFF)
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    """The template workbook, with the user's agency in its example row (issue 14)."""
    agency = getattr(request.user, "agency", None)
    if agency is None or not scoping.can_act_for(request.user, agency):
        raise PermissionDenied(_("只有执法部门工作人员可以导入本单位的权责清单。"))
    response = HttpResponse(template_workbook(agency), content_type=XLSX)
    name = dated_name(_("权责清单导入模板"), "xlsx")
    response["Content-Disposition"] = (
        f"attachment; filename=\"power-list-template.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@role_required(*STAFF)
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "enforcement/imports/detail.html", {"job": _job(request, pk)})


@role_required(*STAFF)
@require_POST
def import_start(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        import_job_start(job=job, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("enforcement:import_detail", pk=job.pk)


@never_cache
@role_required(*STAFF)
@require_GET
def import_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Polled by the job's page while a phase runs."""
    job = _job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_display": job.get_status_display(),
            "running": job.running,
            "percent": job.percent,
            "processed": job.processed_rows,
            "total": job.total_rows,
            "valid": job.valid_rows,
            "invalid": job.invalid_rows,
            "created": job.created_items,
        }
    )


@role_required(*STAFF)
@require_GET
def import_report(request: HttpRequest, pk: int) -> FileResponse:
    job = _job(request, pk)
    if not job.error_report:
        raise Http404
    try:
        handle = default_storage.open(job.error_report, "rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=f"import-{job.pk}-problems.xlsx", content_type=XLSX
    )
