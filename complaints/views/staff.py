"""Staff pages of complaints: the register (R15), decisions (R16, R17), handling, the agency's
written responses, early warnings and the register's export.

Supervisors read their region and below, handlers what they handle, administrators everything
with identities masked; agency staff see only the requests addressed to their agency. Every
write goes through a service in `complaints.services`; its refusal is shown and nothing changes.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.roles import Role, role_of, role_required
from portal.service_forms import refused_status, through

from .. import exports
from ..forms import staff as staff_forms
from ..models import Complaint
from ..privacy import (
    identity_of,
    log_identity_views,
    mask_name,
    masked_identity,
    may_see_identity,
)
from ..selectors import staff as selectors
from ..selectors.deadlines import deadline_counting
from ..services.deadlines import deadline_flag, warning_horizon
from ..services.decisions import complaint_accept, complaint_refuse, complaint_transfer
from ..services.handling import (
    agency_request_answer,
    complaint_ask_agency,
    complaint_assign,
    complaint_close,
    complaint_extend,
    complaint_record_step,
    complaint_refer,
    complaint_request_material,
)
from ..services.permissions import complaint_check_permission
from ..services.register import complaint_register
from ..services.steps import STEP_OF, complaint_steps

PAGE_SIZE = 50
REGISTER_READERS = (Role.SUPERVISOR, Role.SYSADMIN)
AGENCY_ROLES = (Role.AGENCY_STAFF, Role.LEGAL_OFFICE)
ACCESS_CODE_KEY = "complaints:new_access_code"


# --- the register ---------------------------------------------------------------------------


def _filtered(request: HttpRequest):
    form = staff_forms.RegisterFilterForm(request.GET or None, user=request.user)
    return form, selectors.register_rows(user=request.user, **form.filters())


@role_required(*REGISTER_READERS)
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """R15: the register, newest first; identities are masked on the list."""
    form, rows = _filtered(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = localdate()
    horizon = warning_horizon(today)
    for complaint in page.object_list:
        complaint.masked_name = (
            _("匿名") if complaint.anonymous else mask_name(complaint.complainant_name)
        )
        complaint.flag = deadline_flag(complaint.due_on, today=today, horizon=horizon)
    return render(
        request,
        "complaints/staff/register.html",
        {
            "form": form,
            "page": page,
            "may_register": role_of(request.user) == Role.SUPERVISOR,
            "query": request.GET.urlencode(),
        },
    )


@role_required(*REGISTER_READERS)
@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered register as a spreadsheet (identities masked unless allowed; logged)."""
    _form, rows = _filtered(request)
    if fmt == "csv":
        return exports.csv_response(rows, user=request.user)
    return exports.xlsx_response(rows, user=request.user)


@role_required(Role.SUPERVISOR)
@require_http_methods(["GET", "POST"])
def register_new(request: HttpRequest) -> HttpResponse:
    """R15: a complaint received by phone, letter, e-mail or in person, with its receipt date."""
    form = staff_forms.ComplaintRegisterForm(
        request.POST or None, request.FILES or None, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        receipt = through(form, complaint_register, actor=request.user, **form.cleaned_data)
        if receipt:
            # Shown once on the next page for the complainant; never in a URL, never stored.
            request.session[ACCESS_CODE_KEY] = {
                "pk": receipt.complaint.pk,
                "code": receipt.access_code,
            }
            messages.success(request, _("已登记，登记号 %(number)s。") % {"number": receipt.number})
            return redirect(receipt.complaint)
    status = refused_status(form) if request.method == "POST" else 200
    return render(request, "complaints/staff/register_new.html", {"form": form}, status=status)


# --- one complaint --------------------------------------------------------------------------

ACTIONS = {
    "accept": staff_forms.AcceptForm,
    "refuse": staff_forms.RefuseForm,
    "transfer": staff_forms.TransferForm,
    "assign": staff_forms.AssignForm,
    "ask": staff_forms.AskAgencyForm,
    "step": staff_forms.StepForm,
    "material": staff_forms.MaterialForm,
    "extend": staff_forms.ExtendForm,
    "close": staff_forms.CloseForm,
    "refer": staff_forms.ReferForm,
}
NEED_COMPLAINT = {"accept", "assign"}
TITLES = {
    "accept": gettext_lazy("受理"),
    "refuse": gettext_lazy("不予受理"),
    "transfer": gettext_lazy("转办"),
    "assign": gettext_lazy("指定承办人"),
    "ask": gettext_lazy("要求被投诉单位书面说明"),
    "step": gettext_lazy("记录办理情况"),
    "material": gettext_lazy("请投诉人补充材料"),
    "extend": gettext_lazy("延长办理期限（仅一次）"),
    "close": gettext_lazy("办结反馈"),
    "refer": gettext_lazy("移送责任追究"),
}


def _form(name: str, complaint: Complaint, data=None) -> forms.Form:
    kwargs = {"complaint": complaint} if name in NEED_COMPLAINT else {}
    return ACTIONS[name](data, prefix=name, **kwargs)


def _steps(user, complaint: Complaint, bound: dict) -> list[dict]:
    """The steps of R15–R17 with the forms of the actions possible now (the services' state
    rules, `complaint_steps`), a form re-shown after a refusal in place of a fresh one."""
    steps = complaint_steps(actor=user, complaint=complaint)
    by_key = {step.key: step for step in steps}
    for name in bound:  # re-shown even if the state moved on meanwhile: it says why
        key = STEP_OF[name]
        if name not in by_key[key].actions:
            by_key[key].actions.append(name)
    return [
        {
            "step": step,
            "forms": [
                (name, TITLES[name], bound.get(name) or _form(name, complaint))
                for name in step.actions
            ],
        }
        for step in steps
    ]


def _detail(request: HttpRequest, complaint: Complaint, *, bound=None, identity=None, status=200):
    access_code = None
    shown = request.session.get(ACCESS_CODE_KEY)
    if shown and shown.get("pk") == complaint.pk:
        access_code = request.session.pop(ACCESS_CODE_KEY)["code"]
    today = localdate()
    steps = _steps(request.user, complaint, bound or {})
    return render(
        request,
        "complaints/staff/detail.html",
        {
            "complaint": complaint,
            "identity": identity or masked_identity(complaint),
            "may_reveal": may_see_identity(request.user, complaint),
            "attachments": complaint.attachments.filter(event__isnull=True),
            "timeline": complaint.timeline.select_related("actor").prefetch_related("attachments"),
            "requests": complaint.requests.select_related("asked_by", "answered_by"),
            "steps": {entry["step"].key: entry for entry in steps},
            "step_list": [entry["step"] for entry in steps],
            "current_step": next((e["step"].key for e in steps if e["step"].current), ""),
            "access_code": access_code,
            "counting": deadline_counting(complaint),
            "flag": deadline_flag(complaint.due_on, today=today, horizon=warning_horizon(today)),
        },
        status=status,
    )


@role_required(*REGISTER_READERS)
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about one complaint; the identity is shown on request, to those allowed, and
    every such view is logged (POST with reveal)."""
    complaint = selectors.complaint_for(user=request.user, pk=pk)
    identity = None
    if request.method == "POST":
        if "reveal" not in request.POST or not may_see_identity(request.user, complaint):
            raise PermissionDenied(_("您无权查看投诉人信息。"))
        identity = identity_of(request.user, complaint, where="detail")
    return _detail(request, complaint, identity=identity)


@role_required(*REGISTER_READERS)
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """One decision or handling step through its service."""
    if name not in ACTIONS:
        raise Http404
    complaint = selectors.complaint_for(user=request.user, pk=pk)
    complaint_check_permission(actor=request.user, complaint=complaint, action=name)
    form = _form(name, complaint, request.POST)
    if form.is_valid():
        done = through(
            form, _SERVICES[name], complaint=complaint, actor=request.user, **form.cleaned_data
        )
        if done is not None:
            messages.success(request, _confirmation(name, done))
            return redirect(complaint)
    # The form sits low on a long page: the top says where to look, the form says what is wrong.
    messages.error(
        request, _("未保存，请查看下方“%(action)s”中的提示。") % {"action": TITLES[name]}
    )
    complaint = selectors.complaint_for(user=request.user, pk=pk)  # as it is, unchanged
    return _detail(request, complaint, bound={name: form}, status=refused_status(form))


def _confirmation(name: str, done) -> str:
    """What was done, named, for the message at the top of the page (not just "saved")."""
    if name == "ask":  # an AgencyRequest
        return _("已要求%(agency)s于 %(due)s 前作出书面说明，并已通知该单位。") % {
            "agency": done.agency,
            "due": f"{done.respond_by:%Y-%m-%d}",
        }
    if name == "step":  # a ComplaintEvent
        if done.public:
            return _("已记录办理进展，并告知投诉人。")
        return _("已记录调查核实情况（内部，投诉人不可见）。")
    complaint, number = done, done.number
    if name == "accept":
        told = _("已受理投诉 %(number)s，办理期限至 %(due)s，已告知投诉人。") % {
            "number": number,
            "due": f"{complaint.handling_due:%Y-%m-%d}",
        }
        if complaint.handler_id:
            told += _("承办人：%(handler)s。") % {"handler": complaint.handler}
        return told
    values = {
        "number": number,
        "handler": complaint.handler,
        "to": complaint.transferred_to,
        "due": f"{complaint.handling_due:%Y-%m-%d}" if complaint.handling_due else "",
        "result": complaint.get_result_display(),
    }
    return {
        "refuse": _("已决定对投诉 %(number)s 不予受理，理由已告知投诉人并记入登记簿。"),
        "transfer": _("投诉 %(number)s 已转%(to)s办理，已告知投诉人。"),
        "assign": _("已指定 %(handler)s 承办投诉 %(number)s，并已通知承办人。"),
        "material": _("已请投诉人补充材料，投诉人可在投诉查询页面提交。"),
        "extend": _("投诉 %(number)s 的办理期限已延长至 %(due)s，已告知投诉人。"),
        "close": _("投诉 %(number)s 已办结（%(result)s），反馈意见已告知投诉人。"),
        "refer": _("投诉 %(number)s 已移送责任追究。"),
    }[name] % values


_SERVICES = {
    "accept": complaint_accept,
    "refuse": complaint_refuse,
    "transfer": complaint_transfer,
    "assign": complaint_assign,
    "ask": complaint_ask_agency,
    "step": complaint_record_step,
    "material": complaint_request_material,
    "extend": complaint_extend,
    "close": complaint_close,
    "refer": complaint_refer,
}


@role_required(*REGISTER_READERS)
@require_GET
def attachment(request: HttpRequest, pk: int, aid: int) -> FileResponse:
    """A file of a complaint the reader may see, through storage, always as a download."""
    complaint = selectors.complaint_for(user=request.user, pk=pk)
    item = get_object_or_404(complaint.attachments, pk=aid)
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )


# --- early warnings -------------------------------------------------------------------------


@role_required(*REGISTER_READERS)
@require_GET
def warnings(request: HttpRequest) -> HttpResponse:
    """Overdue (red) and due within two working days (yellow), most urgent first."""
    today = localdate()
    rows = selectors.warning_rows(user=request.user, today=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    horizon = warning_horizon(today)
    page.object_list = [
        {
            "complaint": complaint,
            "overdue": deadline_flag(complaint.due_on, today=today, horizon=horizon) == "red",
            "days_overdue": max((today - complaint.due_on).days, 0),
            "what": _("受理告知") if complaint.status == Complaint.Status.REGISTERED else _("办理"),
        }
        for complaint in page.object_list
    ]
    counts = selectors.warning_counts(rows, today=today)
    return render(
        request,
        "complaints/staff/warnings.html",
        {"rows": page.object_list, "page": page, "counts": counts, "today": today},
    )


# --- the agency's written responses ---------------------------------------------------------


@role_required(*AGENCY_ROLES)
@require_GET
def requests_list(request: HttpRequest) -> HttpResponse:
    """The requests for a written response addressed to the user's agency, open ones first."""
    page = Paginator(selectors.requests_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "complaints/staff/requests.html", {"page": page, "today": localdate()})


@role_required(*AGENCY_ROLES)
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The question and the answer form; the complainant's identity only if it was shared."""
    item = selectors.request_for(user=request.user, pk=pk)
    form = staff_forms.AnswerForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and through(
            form, agency_request_answer, request=item, actor=request.user, **form.cleaned_data
        )
    ):
        messages.success(request, _("书面说明已提交。"))
        return redirect("complaints:staff-requests")
    complaint = item.complaint
    identity = None
    if item.share_identity and not complaint.anonymous:
        identity = {
            "name": complaint.complainant_name,
            "phone": complaint.phone,
            "email": complaint.email,
        }
        log_identity_views(request.user, [complaint], where="agency_request")
    return render(
        request,
        "complaints/staff/request_detail.html",
        {"item": item, "complaint": complaint, "identity": identity, "form": form},
        status=refused_status(form) if request.method == "POST" else 200,
    )
