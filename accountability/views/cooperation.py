"""R12: referrals to and from supervision and audit bodies (list, send, receive, a referral's page
with its receipt and outcome forms), notices, and the shared-information exports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.roles import Role, role_of, role_required
from portal.scoping import visible_agencies
from portal.service_forms import attempt

from ..forms.cooperation import (
    ExportForm,
    NoticeForm,
    OutcomeForm,
    ReceiptForm,
    ReferralFilterForm,
    ReferralReceiveForm,
    ReferralSendForm,
)
from ..selectors import clues as clue_selectors
from ..selectors import cooperation as selectors
from ..services.clues import supervises
from ..services.cooperation import (
    cooperation_export,
    notice_circulate,
    referral_receive,
    referral_record_outcome,
    referral_record_receipt,
    referral_send,
)

PAGE_SIZE = 50
READERS = (Role.SUPERVISOR, Role.SYSADMIN)


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


@role_required(*READERS)
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    """R12: referrals of the reader's region and below, both ways, filtered."""
    filters = ReferralFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.referrals_list(
        user=request.user,
        direction=chosen.get("direction") or None,
        body_kind=chosen.get("body_kind") or None,
        status=chosen.get("status") or None,
    )
    page = _page(request, rows)
    context = {
        "filters": filters,
        "page_obj": page,
        "rows": page.object_list,
        "may_record": role_of(request.user) == Role.SUPERVISOR,
    }
    status = 400 if filters.is_bound and not filters.is_valid() else 200
    return render(request, "accountability/cooperation/referrals.html", context, status=status)


def _agencies(request):
    return visible_agencies(request.user).order_by("name")


@role_required(Role.SUPERVISOR)
@require_http_methods(["GET", "POST"])
def referral_send_view(request: HttpRequest) -> HttpResponse:
    """R12: a supervisor refers a matter (from a clue, `?clue=`, or standalone)."""
    clues = clue_selectors.clues_visible(request.user)
    status = 200
    if request.method == "POST":
        form = ReferralSendForm(request.POST, agencies=_agencies(request), clues=clues)
        status = 400
        if form.is_valid():
            referral, status = attempt(form, referral_send, actor=request.user, **form.cleaned_data)
            if referral is not None:
                messages.success(request, _("已移送：%(referral)s。") % {"referral": referral})
                return redirect("accountability:referral-detail", pk=referral.pk)
    else:
        key = request.GET.get("clue", "")
        clue = clues.filter(pk=key).first() if key.isdigit() else None
        initial = (
            {"clue": clue.pk, "agency": clue.agency_id, "summary": clue.summary} if clue else {}
        )
        form = ReferralSendForm(initial=initial, agencies=_agencies(request), clues=clues)
    context = {"form": form, "outgoing": True}
    return render(request, "accountability/cooperation/referral_new.html", context, status=status)


@role_required(Role.SUPERVISOR)
@require_http_methods(["GET", "POST"])
def referral_receive_view(request: HttpRequest) -> HttpResponse:
    """R12: a matter referred by the commission or audit body, registered as a clue."""
    status = 200
    if request.method == "POST":
        form = ReferralReceiveForm(request.POST, agencies=_agencies(request))
        status = 400
        if form.is_valid():
            referral, status = attempt(
                form, referral_receive, actor=request.user, **form.cleaned_data
            )
            if referral is not None:
                messages.success(
                    request, _("已登记收到的移送事项：%(referral)s。") % {"referral": referral}
                )
                return redirect("accountability:referral-detail", pk=referral.pk)
    else:
        form = ReferralReceiveForm(agencies=_agencies(request))
    context = {"form": form, "outgoing": False}
    return render(request, "accountability/cooperation/referral_new.html", context, status=status)


def _detail(request, referral, *, receipt=None, outcome=None, status=200):
    acting = supervises(request.user, referral.agency) and role_of(request.user) == Role.SUPERVISOR
    outgoing = referral.direction == referral.Direction.OUTGOING
    context = {
        "referral": referral,
        "timeline": referral.timeline.select_related("actor"),
        "receipt_form": receipt
        or (ReceiptForm() if acting and outgoing and not referral.receipt_on else None),
        "outcome_form": outcome
        or (
            OutcomeForm()
            if acting and not referral.outcome_on and (referral.receipt_on or not outgoing)
            else None
        ),
    }
    return render(
        request, "accountability/cooperation/referral_detail.html", context, status=status
    )


@role_required(*READERS)
@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.referral_for(user=request.user, pk=pk))


@role_required(Role.SUPERVISOR)
@require_POST
def referral_receipt_view(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_for(user=request.user, pk=pk)
    form = ReceiptForm(request.POST)
    status = 400
    if form.is_valid():
        done, status = attempt(
            form,
            referral_record_receipt,
            referral=referral,
            actor=request.user,
            **form.cleaned_data,
        )
        if done is not None:
            messages.success(request, _("已记录对方的接收回执。"))
            return redirect("accountability:referral-detail", pk=referral.pk)
    return _detail(request, referral, receipt=form, status=status)


@role_required(Role.SUPERVISOR)
@require_POST
def referral_outcome_view(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_for(user=request.user, pk=pk)
    form = OutcomeForm(request.POST)
    status = 400
    if form.is_valid():
        done, status = attempt(
            form,
            referral_record_outcome,
            referral=referral,
            actor=request.user,
            **form.cleaned_data,
        )
        if done is not None:
            messages.success(request, _("已记录对方的处理结果。"))
            return redirect("accountability:referral-detail", pk=referral.pk)
    return _detail(request, referral, outcome=form, status=status)


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def notice_list(request: HttpRequest) -> HttpResponse:
    """R12: notices circulated to the bodies; a supervisor circulates a new one here."""
    may_circulate = role_of(request.user) == Role.SUPERVISOR
    form, status = (NoticeForm() if may_circulate else None), 200
    if request.method == "POST":
        if not may_circulate:
            raise PermissionDenied
        form = NoticeForm(request.POST)
        status = 400
        if form.is_valid():
            done, status = attempt(form, notice_circulate, actor=request.user, **form.cleaned_data)
            if done is not None:
                messages.success(request, _("通报已发出。"))
                return redirect("accountability:notice-list")
    page = _page(request, selectors.notices_list(user=request.user))
    context = {"form": form, "page_obj": page, "rows": page.object_list}
    return render(request, "accountability/cooperation/notices.html", context, status=status)


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def export_list(request: HttpRequest) -> HttpResponse:
    """R12: the shared-information exports of the reader's region and below; a supervisor makes
    one for their region and a chosen period."""
    may_export = role_of(request.user) == Role.SUPERVISOR and bool(request.user.region_id)
    form, status = (ExportForm() if may_export else None), 200
    if request.method == "POST":
        if not may_export:
            raise PermissionDenied
        form = ExportForm(request.POST)
        status = 400
        if form.is_valid():
            done, status = attempt(
                form,
                cooperation_export,
                region=request.user.region,
                actor=request.user,
                **form.cleaned_data,
            )
            if done is not None:
                messages.success(request, _("已生成共享信息导出文件，可在列表中下载。"))
                return redirect("accountability:export-list")
    page = _page(request, selectors.exports_list(user=request.user))
    context = {"form": form, "page_obj": page, "rows": page.object_list}
    return render(request, "accountability/cooperation/exports.html", context, status=status)


@role_required(*READERS)
@require_GET
def export_download(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    """One export's file, only for a reader of its region (others get 404)."""
    export = selectors.export_for(user=request.user, pk=pk)
    field = {"json": export.json_file, "csv": export.csv_file}.get(kind)
    if field is None:
        raise Http404
    name = field.name.rsplit("/", 1)[-1]
    return FileResponse(field.open("rb"), as_attachment=True, filename=name)
