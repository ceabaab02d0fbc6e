"""Pages of the cycles (R19, R20): the list, opening a cycle, a cycle with its local choices,
assignments, problems, scheme and timeline, the scheme's edits and versions, the local
government's opinion. Every write goes through `assessment.services.cycles`; every read through
`assessment.selectors.cycles`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.roles import Role, role_of, role_required
from portal.service_forms import run_service

from ..forms.cycles import CycleOpenForm, IndicatorForm, LocalOpinionForm
from ..models import Cycle
from ..selectors import cycles as selectors
from ..selectors.units import agencies_with_units
from ..services import cycles as services

PAGE_SIZE = 50
READERS = (Role.AGENCY_STAFF, Role.LEGAL_OFFICE, Role.SUPERVISOR, Role.SYSADMIN)


def _detail_url(cycle: Cycle) -> str:
    return reverse("assessment:cycle-detail", args=[cycle.pk])


@role_required(*READERS)
@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.cycles_visible_to(request.user).order_by("-year", "region__path")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessment/cycles/list.html",
        {"page": page, "may_open": role_of(request.user) == Role.SUPERVISOR},
    )


@role_required(Role.SUPERVISOR)
@require_http_methods(["GET", "POST"])
def cycle_open(request: HttpRequest) -> HttpResponse:
    """R19, R20: a region's yearly evaluation, with its local choices."""
    form = CycleOpenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        cycle = run_service(form, services.cycle_open, actor=request.user, **form.cleaned_data)
        if cycle:
            messages.success(request, _("评议考核已开启。"))
            return redirect(_detail_url(cycle))
    status = 400 if request.method == "POST" else 200
    return render(request, "assessment/cycles/open.html", {"form": form}, status=status)


@role_required(*READERS)
@require_GET
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_for(user=request.user, pk=pk)
    indicators, total = selectors.scheme_of(cycle)
    runner = services.may_run(request.user, cycle.region)
    assignments = list(selectors.assignments_for(user=request.user, cycle=cycle))
    # Every evaluated agency lies in the cycle's region: one answer serves every row.
    opinions = cycle.status == Cycle.Status.OPEN and services.may_give_local_opinion(
        request.user, cycle.region
    )
    for assignment in assignments:
        assignment.may_give_opinion = opinions and assignment.role == assignment.Role.VERTICAL
    return render(
        request,
        "assessment/cycles/detail.html",
        {
            "cycle": cycle,
            "groups": selectors.grouped_assignments(assignments),
            "problems": selectors.problems(cycle) if runner else [],
            "indicators": indicators,
            "total": total,
            "timeline": selectors.timeline(cycle),
            "unit_agencies": agencies_with_units(cycle, request.user),
            "may_run": runner and cycle.status == Cycle.Status.OPEN,
        },
    )


def _simple_action(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    cycle = selectors.cycle_for(user=request.user, pk=pk)
    services.cycle_check_runner(cycle=cycle, actor=request.user)
    try:
        service(cycle=cycle, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(_detail_url(cycle))


@role_required(*READERS)
@require_POST
def cycle_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    """R19: add the agencies and units registered since; existing scores are kept."""
    return _simple_action(request, pk, services.assignments_derive, _("评议关系已更新。"))


@role_required(*READERS)
@require_POST
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_action(request, pk, services.cycle_close, _("评议考核已结束。"))


# --- the indicator scheme (R20) -----------------------------------------------------------------


def _indicator_page(request, cycle, indicator=None) -> HttpResponse:
    services.cycle_check_runner(cycle=cycle, actor=request.user)
    initial = IndicatorForm.initial_from(indicator) if indicator else None
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            services.indicator_save,
            cycle=cycle,
            indicator=indicator,
            actor=request.user,
            **form.cleaned_data,
        )
        if saved:
            messages.success(request, _("已保存指标：%(indicator)s。") % {"indicator": saved})
            return redirect(_detail_url(cycle) + "#scheme")
    status = 400 if request.method == "POST" else 200
    context = {"cycle": cycle, "indicator": indicator, "form": form}
    return render(request, "assessment/cycles/indicator_form.html", context, status=status)


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def indicator_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _indicator_page(request, selectors.cycle_for(user=request.user, pk=pk))


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, pk: int, iid: int) -> HttpResponse:
    cycle = selectors.cycle_for(user=request.user, pk=pk)
    return _indicator_page(request, cycle, selectors.indicator_for(cycle=cycle, pk=iid))


@role_required(*READERS)
@require_POST
def indicator_remove(request: HttpRequest, pk: int, iid: int) -> HttpResponse:
    cycle = selectors.cycle_for(user=request.user, pk=pk)
    indicator = selectors.indicator_for(cycle=cycle, pk=iid)
    services.cycle_check_runner(cycle=cycle, actor=request.user)
    try:
        services.indicator_remove(indicator=indicator, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已删除指标：%(indicator)s。") % {"indicator": indicator})
    return redirect(_detail_url(cycle) + "#scheme")


@role_required(*READERS)
@require_GET
def indicator_versions(request: HttpRequest, pk: int) -> HttpResponse:
    """R20: every version of the scheme, who made it and when."""
    cycle = selectors.cycle_for(user=request.user, pk=pk)
    page = Paginator(selectors.indicator_versions(cycle), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "assessment/cycles/indicator_versions.html", {"cycle": cycle, "page": page}
    )


# --- the local government's opinion (R19) -------------------------------------------------------


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def assignment_opinion(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    cycle = selectors.cycle_for(user=request.user, pk=pk)
    assignment = selectors.assignment_for(user=request.user, cycle=cycle, pk=aid)
    services.assignment_check_opinion(assignment=assignment, actor=request.user)
    form = LocalOpinionForm(request.POST or None, initial={"opinion": assignment.local_opinion})
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            services.assignment_record_local_opinion,
            assignment=assignment,
            actor=request.user,
            **form.cleaned_data,
        )
        if saved:
            messages.success(
                request,
                _("已录入属地政府对%(agency)s的意见。") % {"agency": assignment.agency.name},
            )
            return redirect(_detail_url(cycle) + "#assignments")
    status = 400 if request.method == "POST" else 200
    context = {"cycle": cycle, "assignment": assignment, "form": form}
    return render(request, "assessment/cycles/opinion.html", context, status=status)
