"""R29: 我的问责告知: the accused's notices, and a notice's page: the facts the report found and
the proposal concerning them, the written defence or waiver, and, once decided, the decision
and the request for its review."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.roles import Role, role_required

from ..forms.defences import DefenceForm, ReviewRequestForm
from ..models import Proceeding
from ..selectors import decisions as selectors
from ..services.defences import defence_submit, defence_waive, speaks_for
from ..services.reviews import review_request, review_request_by
from .forms_errors import through

ACCUSED = (Role.AGENCY_STAFF, Role.LEGAL_OFFICE)
PAGE_SIZE = 50


@role_required(*ACCUSED)
@require_GET
def defence_list(request: HttpRequest) -> HttpResponse:
    """R29: the notices addressed to the user (their officer record, or their unit)."""
    page = Paginator(selectors.defences_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page_obj": page, "rows": page.object_list, "today": localdate()}
    return render(request, "accountability/defences/list.html", context)


def _detail(request, defence, *, form=None, review_form=None, status=200):
    accused = defence.accused
    proceeding = accused.proceeding
    own = speaks_for(request.user, accused)
    open_ = (
        own
        and not defence.answered
        and defence.due_on >= localdate()
        and proceeding.step == Proceeding.Step.DECISION
    )
    sanction = getattr(accused, "sanction", None)
    review = getattr(sanction, "review", None) if sanction else None
    may_review = own and sanction is not None and sanction.responsible and review is None
    context = {
        "defence": defence,
        "accused": accused,
        "proceeding": proceeding,
        "report": getattr(proceeding, "report", None),
        "proposal": getattr(accused, "proposal", None),
        "sanction": sanction,
        "review": review,
        "review_by": review_request_by(sanction).deadline if may_review else None,
        "form": form or (DefenceForm() if open_ else None),
        "review_form": review_form or (ReviewRequestForm() if may_review else None),
    }
    return render(request, "accountability/defences/detail.html", context, status=status)


@role_required(*ACCUSED, Role.SUPERVISOR, Role.SYSADMIN)
@require_http_methods(["GET", "POST"])
def defence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    defence = selectors.defence_for(user=request.user, pk=pk)
    if request.method == "GET":
        return _detail(request, defence)
    if not speaks_for(request.user, defence.accused):  # permission before the body
        raise PermissionDenied(_("只有被追究的本人（单位为其工作人员）可以陈述申辩。"))
    form = DefenceForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        if data["action"] == "submit":
            done, status = through(
                form,
                defence_submit,
                defence=defence,
                statement=data["statement"],
                actor=request.user,
            )
        else:
            done, status = through(
                form, defence_waive, defence=defence, waiver=data["waiver"], actor=request.user
            )
        if done is not None:
            messages.success(
                request,
                _("陈述申辩已提交。") if data["action"] == "submit" else _("已记录放弃陈述申辩。"),
            )
            return redirect("accountability:defence-detail", pk=defence.pk)
    return _detail(request, defence, form=form, status=status)


@role_required(*ACCUSED)
@require_POST
def review_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    """R29: the sanctioned officer (or unit) asks for a review of the decision."""
    sanction = selectors.sanction_for_accused(user=request.user, pk=pk)
    defence = selectors.defence_for(user=request.user, pk=sanction.accused.defence.pk)
    form = ReviewRequestForm(request.POST)
    status = 400
    if form.is_valid():
        done, status = through(
            form, review_request, sanction=sanction, actor=request.user, **form.cleaned_data
        )
        if done is not None:
            messages.success(request, _("复核申请已提交。"))
            return redirect("accountability:defence-detail", pk=defence.pk)
    return _detail(request, defence, review_form=form, status=status)
