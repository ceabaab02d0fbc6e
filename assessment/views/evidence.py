"""R20: pages of a cycle's inspections and unannounced visits. Supervisors record and read their
region's; an inspected agency's staff read their own agency's. Photos are served only through
`inspection_photo`, which checks who asks."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.roles import Role, role_of, role_required

from ..forms.evidence import InspectionFilterForm, InspectionForm
from ..selectors import evidence as selectors
from ..services.evidence import inspection_record

PAGE_SIZE = 50
READERS = (Role.SUPERVISOR, Role.SYSADMIN, Role.AGENCY_STAFF, Role.LEGAL_OFFICE)
RECORDERS = (Role.SUPERVISOR,)


@role_required(*READERS)
@require_GET
def inspection_list(request: HttpRequest, pk: int) -> HttpResponse:
    """R20: a cycle's inspections, filtered by agency and kind."""
    cycle = selectors.cycle_readable(user=request.user, pk=pk)
    agencies = selectors.evaluated_agencies(user=request.user, cycle=cycle)
    filters = InspectionFilterForm(request.GET or None, agencies=agencies)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    agency = chosen.get("agency")
    rows = selectors.inspections_for(
        user=request.user,
        cycle=cycle,
        agency_id=agency.pk if agency else None,
        kind=chosen.get("kind") or None,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "cycle": cycle,
        "filters": filters,
        "page_obj": page,
        "rows": page.object_list,
        "may_record": role_of(request.user) in RECORDERS and cycle.status == cycle.Status.OPEN,
    }
    status = 400 if filters.is_bound and not filters.is_valid() else 200
    return render(request, "assessment/evidence/list.html", context, status=status)


@role_required(*RECORDERS)
@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest, pk: int) -> HttpResponse:
    """R20: a supervisor records an inspection or unannounced visit with its photos."""
    cycle = selectors.cycle_readable(user=request.user, pk=pk)
    agencies = selectors.evaluated_agencies(user=request.user, cycle=cycle)
    form = InspectionForm(request.POST or None, request.FILES or None, agencies=agencies)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                inspection = inspection_record(cycle=cycle, actor=request.user, **form.cleaned_data)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or _("您无权进行此项操作。"))
                status = 403
            except ValidationError as exc:
                _put_errors(form, exc)
            else:
                return redirect("assessment:inspection-detail", pk=inspection.pk)
    context = {"cycle": cycle, "form": form}
    return render(request, "assessment/evidence/new.html", context, status=status)


def _put_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@role_required(*READERS)
@require_GET
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_for(user=request.user, pk=pk)
    context = {
        "inspection": inspection,
        "photos": list(inspection.photos.all()),
        # R26: what the inspection found may be a clue of accountability.
        "may_register_clue": role_of(request.user) in RECORDERS,
    }
    return render(request, "assessment/evidence/detail.html", context)


@role_required(*READERS)
@require_GET
def inspection_photo(request: HttpRequest, pk: int, photo: int) -> FileResponse:
    """A photo of an inspection the reader may see, read through storage. Only checked image
    types are ever stored, so it is shown inline (the thumbnails of the detail page)."""
    inspection = selectors.inspection_for(user=request.user, pk=pk)
    item = get_object_or_404(inspection.photos, pk=photo)
    response = FileResponse(
        item.file.open("rb"), filename=item.name, content_type=item.content_type
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response
