"""R26: the register of clues, the new clue form, a clue's page with its timeline, assigning a
handler and closing with a finding, and the handler's queue."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment.models import Inspection
from enforcement.models import CaseFileReview
from portal.pagination import KeysFirstPaginator
from portal.roles import Role, role_of, role_required
from portal.scoping import scope, visible_agencies
from portal.service_forms import attempt

from ..forms.clues import AssignForm, CloseForm, ClueFilterForm, ClueForm
from ..selectors import clues as selectors
from ..services.clues import clue_assign, clue_close, clue_register, may_handle, supervises

PAGE_SIZE = 50
READERS = (Role.SUPERVISOR, Role.SYSADMIN)


def _page(request, rows):
    return KeysFirstPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


@role_required(*READERS)
@require_GET
def clue_list(request: HttpRequest) -> HttpResponse:
    """R26: the clues of the reader's region and below, filtered."""
    agencies = visible_agencies(request.user).order_by("name")
    filters = ClueFilterForm(request.GET or None, agencies=agencies)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    agency = chosen.get("agency")
    rows = selectors.clues_list(
        user=request.user,
        status=chosen.get("status") or None,
        source=chosen.get("source") or None,
        agency_id=agency.pk if agency else None,
        overdue=bool(chosen.get("overdue")),
    )
    page = _page(request, rows)
    context = {
        "filters": filters,
        "page_obj": page,
        "rows": page.object_list,
        "today": localdate(),
        "may_register": role_of(request.user) == Role.SUPERVISOR,
        "title": None,
    }
    status = 400 if filters.is_bound and not filters.is_valid() else 200
    return render(request, "accountability/clues/list.html", context, status=status)


@role_required(Role.SUPERVISOR)
@require_GET
def clue_queue(request: HttpRequest) -> HttpResponse:
    """R26: 我办理的线索, the handler's open clues, nearest deadline first."""
    rows = (
        selectors.clues_list(user=request.user, handler=request.user)
        .exclude(status="closed")
        .order_by("due_on", "pk")
    )
    page = _page(request, rows)
    context = {"page_obj": page, "rows": page.object_list, "today": localdate(), "queue": True}
    return render(request, "accountability/clues/list.html", context)


def _form(request, data=None):
    user = request.user
    return ClueForm(
        data,
        initial=request.GET.dict() if data is None else None,
        agencies=visible_agencies(user).order_by("name"),
        inspections=scope(Inspection.objects.all(), user),
        file_reviews=scope(CaseFileReview.objects.all(), user, agency_field="case__agency"),
    )


def _prefill(form) -> None:
    """The source named in the link (an inspection's or a file review's page) sets the agency
    and the source; a forged or foreign id is simply not found in the scoped choices."""
    for name, source in (("inspection", "inspection"), ("file_review", "file_review")):
        key = form.initial.get(name)
        if not key:
            continue
        obj = form.fields[name].queryset.filter(pk=key if str(key).isdigit() else None).first()
        if obj is None:
            form.initial.pop(name)
            continue
        form.initial["source"] = source
        form.initial["agency"] = obj.agency_id if name == "inspection" else obj.case.agency_id
        form.initial["summary"] = obj.findings


@role_required(Role.SUPERVISOR)
@require_http_methods(["GET", "POST"])
def clue_new(request: HttpRequest) -> HttpResponse:
    """R26: a supervisor registers a clue (inspection, file review, or an outside source)."""
    status = 200
    if request.method == "POST":
        form = _form(request, request.POST)
        status = 400
        if form.is_valid():
            clue, status = attempt(
                form,
                clue_register,
                region=request.user.region,
                actor=request.user,
                **form.cleaned_data,
            )
            if clue is not None:
                messages.success(request, _("已登记问责线索 %(clue)s。") % {"clue": clue})
                return redirect("accountability:clue-detail", pk=clue.pk)
    else:
        form = _form(request)
        _prefill(form)
    return render(request, "accountability/clues/new.html", {"form": form}, status=status)


def _detail(request, clue, *, assign=None, close=None, status=200):
    user = request.user
    open_ = clue.status != clue.Status.CLOSED
    context = {
        "clue": clue,
        "timeline": clue.timeline.select_related("actor"),
        "officers": list(clue.officers.all()),
        "traces": list(clue.traces.select_related("agency", "traced_person", "supervising_office")),
        "may_trace": clue.complaint_id is not None and supervises(user, clue.agency),
        "assign_form": assign
        or (
            AssignForm(candidates=selectors.handler_candidates(clue=clue))
            if open_ and supervises(user, clue.agency)
            else None
        ),
        "close_form": close or (CloseForm() if open_ and may_handle(user, clue) else None),
        "today": localdate(),
    }
    return render(request, "accountability/clues/detail.html", context, status=status)


@role_required(*READERS)
@require_GET
def clue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.clue_for(user=request.user, pk=pk))


@role_required(Role.SUPERVISOR)
@require_POST
def clue_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    clue = selectors.clue_for(user=request.user, pk=pk)
    form = AssignForm(request.POST, candidates=selectors.handler_candidates(clue=clue))
    status = 400
    if form.is_valid():
        done, status = attempt(
            form, clue_assign, clue=clue, handler=form.cleaned_data["handler"], actor=request.user
        )
        if done is not None:
            messages.success(
                request,
                _("已指定 %(handler)s 承办线索 %(clue)s，并已通知承办人。")
                % {"handler": form.cleaned_data["handler"], "clue": clue},
            )
            return redirect("accountability:clue-detail", pk=clue.pk)
    return _detail(request, clue, assign=form, status=status)


@role_required(Role.SUPERVISOR)
@require_POST
def clue_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    clue = selectors.clue_for(user=request.user, pk=pk)
    form = CloseForm(request.POST)
    status = 400
    if form.is_valid():
        done, status = attempt(form, clue_close, clue=clue, actor=request.user, **form.cleaned_data)
        if done is not None:
            messages.success(request, _("线索 %(clue)s 已办结。") % {"clue": clue})
            return redirect("accountability:clue-detail", pk=clue.pk)
    return _detail(request, clue, close=form, status=status)
