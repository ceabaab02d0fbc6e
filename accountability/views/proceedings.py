"""R24, R25, R28: the accountability cases: the register, the handler's queue, opening a case
from a clue, a case's page (facts, persons concerned, investigation, evidence, the shares of
responsibility, the report, then the notices, decision and transfers), and the handler's forms.

Who reads a case: the supervisors over the unit concerned, its handler and the administrator
(read-only); the unit's own staff do not read the file of the case against them."""

import os

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enforcement.models import Case
from portal.pagination import KeysFirstPaginator
from portal.roles import Role, role_required
from portal.scoping import visible_agencies
from portal.service_forms import refused_status, through

from ..forms.proceedings import (
    CaseFilterForm,
    EvidenceForm,
    InvestigateForm,
    OpenForm,
    ReportForm,
    SharesForm,
)
from ..models import Consequence, Fault, Proceeding
from ..selectors import clues as clue_selectors
from ..selectors import proceedings as selectors
from ..services.clues import supervises
from ..services.proceedings import evidence_add, proceeding_investigate, proceeding_open
from ..services.proportionality import region_table
from ..services.reports import report_submit
from ..services.responsibility import shares_confirm

PAGE_SIZE = 50
READERS = (Role.SUPERVISOR, Role.SYSADMIN)
Step = Proceeding.Step


def _page(request, rows):
    return KeysFirstPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


@role_required(*READERS)
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """R24: the cases of the reader's region and below, filtered by step and unit."""
    agencies = visible_agencies(request.user).order_by("name")
    filters = CaseFilterForm(request.GET or None, agencies=agencies)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    agency = chosen.get("agency")
    rows = selectors.proceedings_list(
        user=request.user, step=chosen.get("step") or None, agency_id=agency.pk if agency else None
    )
    page = _page(request, rows)
    context = {"filters": filters, "page_obj": page, "rows": page.object_list, "today": localdate()}
    status = 400 if filters.is_bound and not filters.is_valid() else 200
    return render(request, "accountability/cases/list.html", context, status=status)


@role_required(Role.SUPERVISOR)
@require_GET
def case_queue(request: HttpRequest) -> HttpResponse:
    """R24: 我承办的问责案件, the handler's open cases, nearest limit first."""
    page = _page(request, selectors.proceedings_queue(user=request.user))
    context = {"page_obj": page, "rows": page.object_list, "today": localdate(), "queue": True}
    return render(request, "accountability/cases/list.html", context)


def _open_form(clue, data=None):
    return OpenForm(
        data,
        officers=clue.agency.officers.order_by("name"),
        cases=Case.objects.filter(agency=clue.agency),
        initial={"officers": list(clue.officers.all()), "include_unit": True},
    )


@role_required(Role.SUPERVISOR)
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest, pk: int) -> HttpResponse:
    """R24: a supervisor over the unit opens the case of a clue in handling."""
    clue = clue_selectors.clue_for(user=request.user, pk=pk)
    opened = Proceeding.objects.filter(clue=clue).first()
    if opened is not None:
        return redirect(opened)
    status = 200
    if request.method == "POST":
        form = _open_form(clue, request.POST)
        status = 400
        if form.is_valid():
            proceeding = through(
                form, proceeding_open, clue=clue, actor=request.user, **form.cleaned_data
            )
            if proceeding is not None:
                messages.success(request, _("已立案：%(case)s。") % {"case": proceeding})
                return redirect(proceeding)
            status = refused_status(form)
    else:
        form = _open_form(clue)
    context = {"clue": clue, "form": form, "may_open": supervises(request.user, clue.agency)}
    return render(request, "accountability/cases/open.html", context, status=status)


def _detail(request, proceeding, *, forms=None, status=200):
    """The case's page; `forms` are the handler's forms re-shown with their errors."""
    forms = forms or {}
    handling = proceeding.step == Step.HANDLING
    acting = handling and proceeding.handler_id == request.user.pk
    shares = list(proceeding.shares.all())
    context = {
        "proceeding": proceeding,
        "clue": proceeding.clue,
        "accused": list(proceeding.accused.all()),
        "shares": shares,
        "shares_total": sum(s.percent for s in shares if s.percent is not None),
        "shares_confirmed": bool(shares) and all(s.percent is not None for s in shares),
        "report": getattr(proceeding, "report", None),
        "evidence": list(proceeding.evidence.select_related("uploaded_by")),
        "timeline": proceeding.timeline.select_related("actor"),
        "acting": acting,
        "investigate_form": forms.get("investigate")
        or (
            InvestigateForm(initial={"investigation": proceeding.investigation}) if acting else None
        ),
        "evidence_form": forms.get("evidence") or (EvidenceForm() if acting else None),
        "shares_form": forms.get("shares")
        or (SharesForm(shares=shares) if acting and shares else None),
        "today": localdate(),
    }
    return render(request, "accountability/cases/detail.html", context, status=status)


@role_required(*READERS)
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.proceeding_for(user=request.user, pk=pk))


@role_required(Role.SUPERVISOR)
@require_POST
def case_investigate(request: HttpRequest, pk: int) -> HttpResponse:
    proceeding = selectors.proceeding_for(user=request.user, pk=pk)
    form = InvestigateForm(request.POST)
    if form.is_valid():
        done = through(
            form,
            proceeding_investigate,
            proceeding=proceeding,
            actor=request.user,
            **form.cleaned_data,
        )
        if done is not None:
            messages.success(request, _("已记录调查情况。"))
            return redirect(proceeding)
    return _detail(request, proceeding, forms={"investigate": form}, status=refused_status(form))


@role_required(Role.SUPERVISOR)
@require_POST
def case_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    proceeding = selectors.proceeding_for(user=request.user, pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        done = through(
            form, evidence_add, proceeding=proceeding, actor=request.user, **form.cleaned_data
        )
        if done is not None:
            messages.success(request, _("证据已添加。"))
            return redirect(f"{proceeding.get_absolute_url()}#evidence")
    return _detail(request, proceeding, forms={"evidence": form}, status=refused_status(form))


@role_required(*READERS)
@require_GET
def case_evidence_download(request: HttpRequest, pk: int, eid: int) -> FileResponse:
    """Evidence, for those who may read the case, always as a download."""
    proceeding = selectors.proceeding_for(user=request.user, pk=pk)
    evidence = selectors.evidence_for(proceeding=proceeding, pk=eid)
    extension = os.path.splitext(evidence.file.name)[1]
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=_("证据材料-%(number)s-%(pk)s%(ext)s")
        % {"number": proceeding.number, "pk": evidence.pk, "ext": extension},
    )


@role_required(Role.SUPERVISOR)
@require_POST
def case_shares(request: HttpRequest, pk: int) -> HttpResponse:
    """R25: the handler confirms or changes the proposed shares."""
    proceeding = selectors.proceeding_for(user=request.user, pk=pk)
    form = SharesForm(request.POST, shares=proceeding.shares.all())
    if form.is_valid():
        done = through(
            form,
            shares_confirm,
            proceeding=proceeding,
            actor=request.user,
            **form.service_arguments(),
        )
        if done is not None:
            messages.success(request, _("责任划分已确认。"))
            return redirect(f"{proceeding.get_absolute_url()}#shares")
    return _detail(request, proceeding, forms={"shares": form}, status=refused_status(form))


def _bands(proceeding) -> list[dict]:
    """R28: the region's table (before the circumstances move a band), beside the report form."""
    table = region_table(proceeding.agency.region)
    return [
        {"fault": Fault(f).label, "consequence": Consequence(c).label, "band": band}
        for (f, c), band in table.items()
    ]


@role_required(Role.SUPERVISOR)
@require_http_methods(["GET", "POST"])
def case_report(request: HttpRequest, pk: int) -> HttpResponse:
    """R24, R28: the handler's report, each proposal checked against the band."""
    proceeding = selectors.proceeding_for(user=request.user, pk=pk)
    accused = list(proceeding.accused.all())
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST, accused=accused)
        status = 400
        if form.is_valid():
            done = through(
                form,
                report_submit,
                proceeding=proceeding,
                actor=request.user,
                **form.service_arguments(),
            )
            if done is not None:
                messages.success(request, _("调查报告已提交。"))
                return redirect(proceeding)
            status = refused_status(form)
    else:
        form = ReportForm(accused=accused)
    context = {
        "proceeding": proceeding,
        "form": form,
        "acting": proceeding.step == Step.HANDLING and proceeding.handler_id == request.user.pk,
        "bands": _bands(proceeding),
    }
    return render(request, "accountability/cases/report.html", context, status=status)
