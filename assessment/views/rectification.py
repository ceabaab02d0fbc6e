"""Rectification of an unqualified department (R23): the order, its page, its closing with the
department's evidence and the evidence's download (checked, through storage)."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.service_forms import refused_status, through

from ..forms.rectification import RectificationCloseForm, RectificationOrderForm
from ..models import RectificationOrder
from ..selectors import results as selectors
from ..services.permissions import cycle_can_manage
from ..services.rectification import rectification_close, rectification_order


@login_required
@require_http_methods(["GET", "POST"])
def order(request: HttpRequest, pk: int) -> HttpResponse:
    """R23: order the unqualified department `pk` (its result) to rectify by a deadline."""
    result = selectors.result_for(user=request.user, pk=pk)
    if not cycle_can_manage(request.user, result.cycle):
        raise PermissionDenied(_("只有本地区的政府法制监督人员可以责令整改。"))
    existing = RectificationOrder.objects.filter(result=result).first()
    form = RectificationOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = through(
            form, rectification_order, result=result, actor=request.user, **form.cleaned_data
        )
        if made is not None:
            messages.success(
                request, _("已向%(agency)s下达整改通知。") % {"agency": result.agency.name}
            )
            return redirect("assessment:rectification", pk=made.pk)
    status = refused_status(form) if request.method == "POST" else 200
    context = {"result": result, "form": form, "existing": existing}
    return render(request, "assessment/results/rectification_order.html", context, status=status)


def _detail(request, order, form, status=200):
    context = {
        "order": order,
        "form": form,
        "manager": cycle_can_manage(request.user, order.result.cycle),
    }
    return render(request, "assessment/results/rectification.html", context, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.rectification_for(user=request.user, pk=pk)
    return _detail(request, order, RectificationCloseForm())


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """R23: the supervisor closes the order with the department's evidence (note and file)."""
    order = selectors.rectification_for(user=request.user, pk=pk)
    if not cycle_can_manage(request.user, order.result.cycle):
        raise PermissionDenied(_("只有本地区的政府法制监督人员可以确认整改完成。"))
    form = RectificationCloseForm(request.POST, request.FILES)
    if form.is_valid():
        done = through(
            form,
            rectification_close,
            order=order,
            note=form.cleaned_data["note"],
            file=form.cleaned_data["file"],
            actor=request.user,
        )
        if done is not None:
            messages.success(
                request,
                _("已确认%(agency)s整改完成。") % {"agency": order.result.agency.name},
            )
            return redirect("assessment:rectification", pk=order.pk)
    return _detail(request, order, form, status=refused_status(form))


@login_required
@require_GET
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The closing evidence, for those who may see the order, always as a download."""
    order = selectors.rectification_for(user=request.user, pk=pk)
    if not order.closing_file:
        raise Http404(_("该整改通知没有证明材料。"))
    extension = os.path.splitext(order.closing_file.name)[1]
    return FileResponse(
        order.closing_file.open("rb"),
        as_attachment=True,
        filename=_("整改证明材料-%(agency)s%(ext)s")
        % {"agency": order.result.agency, "ext": extension},
    )
