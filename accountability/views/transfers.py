"""R24: recording a transfer (移送), its receipt, and closing the transferred case once every
transfer has its receipt."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.roles import Role, role_required

from ..forms.transfers import ReceiptForm, TransferForm
from ..models import Proceeding
from ..selectors import decisions as selectors
from ..services.transfers import may_transfer, transfer_close, transfer_receipt, transfer_send
from .forms_errors import through

DENIED = _("只有本案承办人或有权作出决定的监督人员可以办理移送。")


def _page(request, proceeding, *, form=None, receipt_forms=None, close_form=None, status=200):
    open_ = proceeding.step == Proceeding.Step.TRANSFER and may_transfer(request.user, proceeding)
    transfers = list(proceeding.transfers.select_related("sent_by", "receipt_by"))
    context = {
        "proceeding": proceeding,
        "transfers": transfers,
        "form": form or (TransferForm() if open_ else None),
        "receipt_forms": receipt_forms or {},
        "may_act": open_,
        "close_form": close_form,
    }
    return render(request, "accountability/transfers/page.html", context, status=status)


@role_required(Role.SUPERVISOR, Role.SYSADMIN)
@require_http_methods(["GET", "POST"])
def transfers_page(request: HttpRequest, pk: int) -> HttpResponse:
    """R24: the case's transfers; POST records one."""
    proceeding = selectors.proceeding_for(user=request.user, pk=pk)
    if request.method == "GET":
        return _page(request, proceeding)
    if not may_transfer(request.user, proceeding):
        raise PermissionDenied(DENIED)
    form = TransferForm(request.POST)
    status = 400
    if form.is_valid():
        done, status = through(
            form, transfer_send, proceeding=proceeding, actor=request.user, **form.cleaned_data
        )
        if done is not None:
            messages.success(request, _("已登记移送。"))
            return redirect("accountability:transfers", pk=proceeding.pk)
    return _page(request, proceeding, form=form, status=status)


@role_required(Role.SUPERVISOR)
@require_POST
def transfer_receipt_view(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = selectors.transfer_for(user=request.user, pk=pk)
    proceeding = selectors.proceeding_for(user=request.user, pk=transfer.proceeding_id)
    if not may_transfer(request.user, proceeding):
        raise PermissionDenied(DENIED)
    form = ReceiptForm(request.POST)
    status = 400
    if form.is_valid():
        done, status = through(
            form, transfer_receipt, transfer=transfer, actor=request.user, **form.cleaned_data
        )
        if done is not None:
            messages.success(request, _("已登记接收回执。"))
            return redirect("accountability:transfers", pk=proceeding.pk)
    return _page(request, proceeding, receipt_forms={transfer.pk: form}, status=status)


@role_required(Role.SUPERVISOR)
@require_POST
def transfer_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    """R24: close the case; refused while a transfer has no receipt."""
    from django import forms

    proceeding = selectors.proceeding_for(user=request.user, pk=pk)
    if not may_transfer(request.user, proceeding):
        raise PermissionDenied(DENIED)
    form = forms.Form(request.POST)
    done, status = through(form, transfer_close, proceeding=proceeding, actor=request.user)
    if done is not None:
        messages.success(request, _("移送已办结。"))
        return redirect("accountability:transfers", pk=proceeding.pk)
    return _page(request, proceeding, close_form=form, status=status)
