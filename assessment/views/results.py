"""The departments' results (R23): the cycle's results page for staff (compute, disclose, award
quotas), a printable sheet per department, and the public pages of disclosed results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.roles import Role, role_of
from portal.service_forms import refused_status, through

from ..forms.results import AwardQuotaForm, DiscloseForm
from ..models import CycleEvent
from ..selectors import results as selectors
from ..services.permissions import cycle_can_manage
from ..services.results import award_quotas_allocate, results_compute, results_disclose

PAGE_SIZE = 100


def _page(request, cycle, *, disclose=None, quotas=None, status=200):
    rows = selectors.results_visible(user=request.user, cycle=cycle)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    manager = cycle_can_manage(request.user, cycle)
    context = {
        "cycle": cycle,
        "page": page,
        "manager": manager,
        "may_export": manager or role_of(request.user) == Role.SYSADMIN,
        "disclose_form": disclose or DiscloseForm(),
        "quota_form": quotas or AwardQuotaForm(),
        "events": (
            cycle.events.filter(
                kind__in=[
                    CycleEvent.Kind.RESULTS_COMPUTED,
                    CycleEvent.Kind.RESULTS_DISCLOSED,
                    CycleEvent.Kind.AWARDS_ALLOCATED,
                ]
            ).select_related("actor")[:20]
            if manager
            else []
        ),
    }
    return render(request, "assessment/results/cycle.html", context, status=status)


@login_required
@require_GET
def cycle_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The cycle's results as far as the reader may see them (R23 disclosure scopes)."""
    return _page(request, selectors.cycle_for(user=request.user, pk=pk))


def _managed(request, pk):
    cycle = selectors.cycle_for(user=request.user, pk=pk)
    if not cycle_can_manage(request.user, cycle):
        raise PermissionDenied(_("只有本地区的政府法制监督人员可以办理考核结果。"))
    return cycle


@login_required
@require_POST
def compute(request: HttpRequest, pk: int) -> HttpResponse:
    """R23: compute the results from the scores; anything typed in the request is ignored."""
    cycle = _managed(request, pk)
    try:
        outcome = results_compute(cycle=cycle, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _page(request, cycle, status=400)
    messages.success(
        request, _("已计算 %(count)s 个单位的考核结果。") % {"count": len(outcome.results)}
    )
    if outcome.incomplete:
        messages.warning(request, outcome.incomplete_message)
    return redirect("assessment:cycle-results", pk=cycle.pk)


@login_required
@require_POST
def disclose(request: HttpRequest, pk: int) -> HttpResponse:
    """R23: disclose the results within the chosen scope."""
    cycle = _managed(request, pk)
    form = DiscloseForm(request.POST)
    if form.is_valid():
        done = through(
            form,
            results_disclose,
            cycle=cycle,
            scope=form.cleaned_data["scope"],
            actor=request.user,
        )
        if done is not None:
            messages.success(
                request, _("已设置 %(count)s 个单位考核结果的公开范围。") % {"count": done}
            )
            return redirect("assessment:cycle-results", pk=cycle.pk)
    return _page(request, cycle, disclose=form, status=refused_status(form))


@login_required
@require_POST
def awards(request: HttpRequest, pk: int) -> HttpResponse:
    """R23: share the region's award quotas among the excellent departments by rank."""
    cycle = _managed(request, pk)
    form = AwardQuotaForm(request.POST)
    if form.is_valid():
        shared = through(
            form, award_quotas_allocate, cycle=cycle, actor=request.user, **form.cleaned_data
        )
        if shared is not None:
            messages.success(
                request, _("已分配评优名额（%(count)s 个单位获得名额）。") % {"count": len(shared)}
            )
            return redirect("assessment:cycle-results", pk=cycle.pk)
    return _page(request, cycle, quotas=form, status=refused_status(form))


@login_required
@require_GET
def result_print(request: HttpRequest, pk: int) -> HttpResponse:
    """A department's result sheet, laid out for A4 paper."""
    result = selectors.result_for(user=request.user, pk=pk)
    context = {"result": result, **selectors.result_sheet(result)}
    return render(request, "assessment/results/print.html", context)


@require_GET
def public_index(request: HttpRequest) -> HttpResponse:
    """R23: the cycles whose results were disclosed to the public."""
    page = Paginator(selectors.public_cycles(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assessment/results/public_index.html", {"page": page})


@require_GET
def public_cycle(request: HttpRequest, pk: int) -> HttpResponse:
    """R23: one cycle's publicly disclosed results: each department's total and grade."""
    cycle = selectors.public_cycle(pk)
    rows = selectors.public_results(cycle_id=cycle.pk)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assessment/results/public_cycle.html", {"cycle": cycle, "page": page})
