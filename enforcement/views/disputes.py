"""Staff pages of jurisdiction disputes between agencies (R8, R10): the list, raising one, one
dispute with both statements, the establishment office's opinion, the decision and the timeline,
and the answer, opinion and decision forms.

Agency staff and the legal office raise disputes for their own agencies and answer those raised
against them; the staff of the establishment office (机构编制部门) of the government over both
agencies give its opinion; then a supervisor whose region covers both agencies records the
binding decision with its reasons. Everyone reads only the disputes of the agencies they act for
or supervise, and the establishment office those between agencies of its region (404
otherwise). Who may post is asked (`dispute_check_permission`) before the body is read. Every
write goes through `enforcement.services.disputes`; its refusal is shown in Chinese and nothing
changes.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.roles import Role, role_of, role_required
from portal.scoping import visible_agencies
from portal.service_forms import refused_status, through

from ..forms import disputes as forms
from ..models import Dispute
from ..selectors import cases as selectors
from ..selectors.staff import acting_agencies
from ..services.disputes import (
    dispute_answer,
    dispute_check_permission,
    dispute_decide,
    dispute_give_opinion,
    dispute_raise,
    establishment_office_for,
    may,
)
from .cases import ACTORS, PAGE_SIZE, READERS


@role_required(*READERS)
@require_GET
def dispute_list(request: HttpRequest) -> HttpResponse:
    """The disputes of the agencies the user acts for or supervises, newest first."""
    form = forms.DisputeFilterForm(request.GET or None)
    rows = selectors.disputes_for(user=request.user, **form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enforcement/disputes/list.html",
        {"form": form, "page": page, "may_raise": acting_agencies(request.user).exists()},
    )


@role_required(*ACTORS)
@require_http_methods(["GET", "POST"])
def dispute_new(request: HttpRequest) -> HttpResponse:
    """R8, R10: an agency raises a dispute with another over a matter."""
    agencies = acting_agencies(request.user).order_by("name")
    if not agencies.exists():
        raise PermissionDenied(_("您的账号没有可提出管辖争议的单位。"))
    form = forms.DisputeRaiseForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        dispute = through(form, dispute_raise, actor=request.user, **form.cleaned_data)
        if dispute is not None:
            messages.success(request, _("已提出管辖争议，等待对方单位陈述意见。"))
            return redirect(dispute)
    status = refused_status(form) if request.method == "POST" else 200
    return render(request, "enforcement/disputes/new.html", {"form": form}, status=status)


def _may_decide(user, dispute: Dispute) -> bool:
    return role_of(user) in (Role.SUPERVISOR, Role.SYSADMIN) and may(user, "decide", dispute)


def _detail(
    request: HttpRequest, pk: int, *, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    bound = bound or {}
    dispute = selectors.dispute_for(user=request.user, pk=pk)
    open_ = dispute.status != Dispute.Status.DECIDED
    context = {
        "dispute": dispute,
        "timeline": list(dispute.timeline.all()),
        # R8: who gives the opinion, named while it is awaited.
        "office": establishment_office_for(dispute) if open_ and not dispute.opinion else None,
    }
    if dispute.status == Dispute.Status.RAISED and may(request.user, "answer", dispute):
        context["answer_form"] = bound.get("answer") or forms.DisputeAnswerForm()
    if open_ and not dispute.opinion and may(request.user, "opinion", dispute):
        context["opinion_form"] = bound.get("opinion") or forms.DisputeOpinionForm()
    if open_ and _may_decide(request.user, dispute):
        # R8: the decision waits for the establishment office's opinion.
        context["awaiting_opinion"] = not dispute.opinion
        if dispute.opinion:
            context["decide_form"] = bound.get("decide") or forms.DisputeDecideForm(
                dispute=dispute, agencies=visible_agencies(request.user)
            )
    shown = {"answer": "answer_form", "opinion": "opinion_form", "decide": "decide_form"}
    context["action_errors"] = [
        error
        for key, form in bound.items()
        if shown.get(key) not in context
        for errors in form.errors.values()
        for error in errors
    ]
    return render(request, "enforcement/disputes/detail.html", context, status=status)


@role_required(*READERS)
@require_GET
def dispute_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One dispute: both statements, its status, the decision and the timeline."""
    return _detail(request, pk)


def _refused(request: HttpRequest, pk: int, key: str, form) -> HttpResponse:
    messages.error(request, _("未保存，请查看下方的提示。"))
    return _detail(request, pk, bound={key: form}, status=refused_status(form))


@role_required(*ACTORS)
@require_POST
def dispute_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The other agency states its view and grounds, once."""
    dispute = selectors.dispute_for(user=request.user, pk=pk)
    dispute_check_permission(actor=request.user, action="answer", dispute=dispute)
    form = forms.DisputeAnswerForm(request.POST)
    if form.is_valid():
        answered = through(
            form, dispute_answer, dispute=dispute, actor=request.user, **form.cleaned_data
        )
        if answered is not None:
            messages.success(request, _("已陈述意见，等待政府法制部门协调决定。"))
            return redirect(answered)
    return _refused(request, pk, "answer", form)


@role_required(*ACTORS)
@require_POST
def dispute_opinion_view(request: HttpRequest, pk: int) -> HttpResponse:
    """R8: the establishment office of the government over both agencies gives its opinion."""
    dispute = selectors.dispute_for(user=request.user, pk=pk)
    dispute_check_permission(actor=request.user, action="opinion", dispute=dispute)
    form = forms.DisputeOpinionForm(request.POST)
    if form.is_valid():
        given = through(
            form, dispute_give_opinion, dispute=dispute, actor=request.user, **form.cleaned_data
        )
        if given is not None:
            messages.success(request, _("已提出机构编制部门意见，等待政府法制部门协调决定。"))
            return redirect(given)
    return _refused(request, pk, "opinion", form)


@role_required(Role.SUPERVISOR, Role.SYSADMIN)
@require_POST
def dispute_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """R8, R10: the binding decision, by a supervisor over both agencies, with its reasons,
    once the establishment office has given its opinion."""
    dispute = selectors.dispute_for(user=request.user, pk=pk)
    dispute_check_permission(actor=request.user, action="decide", dispute=dispute)
    form = forms.DisputeDecideForm(
        request.POST, dispute=dispute, agencies=visible_agencies(request.user)
    )
    if form.is_valid():
        decided = through(
            form, dispute_decide, dispute=dispute, actor=request.user, **form.cleaned_data
        )
        if decided is not None:
            messages.success(
                request,
                _("已作出协调决定：由%(agency)s管辖。") % {"agency": decided.responsible.name},
            )
            return redirect(decided)
    return _refused(request, pk, "decide", form)
