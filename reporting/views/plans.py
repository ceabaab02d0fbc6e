"""R33: the implementation plans: the list with their counts, making a plan, a plan's page
(items, problems, timeline) and its actions, the evidence's download, the overdue milestones."""

import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.roles import Role, role_of, role_required
from portal.scoping import can_act_for
from portal.service_forms import attempt

from ..forms.plans import DoneForm, ItemForm, PlanForm, ProblemForm
from ..selectors import plans as selectors
from ..services.permissions import plan_may_keep
from ..services.plans import (
    plan_create,
    plan_item_add,
    plan_item_complete,
    plan_problem_report,
)
from .common import KEEPERS, PAGE_SIZE, READERS


def _own_agency(user):
    """The department a staff member keeps a plan for (None for a supervisor: the government)."""
    if role_of(user) == Role.SUPERVISOR:
        return None
    agency = user.agency
    if agency is None or not can_act_for(user, agency):
        raise PermissionDenied(_("您的账号没有所在执法部门，不能制定实施方案。"))
    return agency


@role_required(*READERS)
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    """R33: the plans the user may read (its own, and for a supervisor those below), with the
    count of items, done, overdue and open problems."""
    rows = selectors.plan_rows(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "rows": page.object_list,
        "may_create": role_of(request.user) in KEEPERS,
    }
    return render(request, "reporting/plans/list.html", context)


@role_required(*KEEPERS)
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    agency = _own_agency(request.user)
    status = 200
    if request.method == "POST":
        form = PlanForm(request.POST)
        status = 400
        if form.is_valid():
            plan, status = attempt(
                form, plan_create, agency=agency, actor=request.user, **form.cleaned_data
            )
            if plan is not None:
                messages.success(request, _("已制定实施方案“%(title)s”。") % {"title": plan.title})
                return redirect(plan)
    else:
        form = PlanForm(initial={"year": localdate().year})
    owner = agency.name if agency else _("%(region)s人民政府") % {"region": request.user.region}
    context = {"form": form, "owner": owner}
    return render(request, "reporting/plans/new.html", context, status=status)


def _detail(request, plan, *, item_form=None, problem_form=None, status=200):
    keeper = plan_may_keep(request.user, plan)
    today = localdate()
    items = list(plan.items.select_related("done_by"))
    for item in items:
        item.overdue = item.is_overdue(today)
    context = {
        "plan": plan,
        "items": items,
        "problems": list(plan.problems.select_related("item", "reported_by", "answered_by")),
        "timeline": list(plan.timeline.select_related("actor")),
        "keeper": keeper,
        "item_form": item_form or (ItemForm() if keeper else None),
        "problem_form": problem_form or (ProblemForm(plan=plan) if keeper else None),
        "done_form": DoneForm() if keeper else None,
        "may_report": keeper and (bool(plan.agency_id) or plan.region.parent_id is not None),
    }
    return render(request, "reporting/plans/detail.html", context, status=status)


@role_required(*READERS)
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.plan_for(user=request.user, pk=pk))


def _kept(request, pk):
    plan = selectors.plan_for(user=request.user, pk=pk)
    if not plan_may_keep(request.user, plan):
        raise PermissionDenied(_("只有方案的制定单位可以办理。"))
    return plan


@role_required(*READERS)
@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _kept(request, pk)
    form = ItemForm(request.POST)
    status = 400
    if form.is_valid():
        item, status = attempt(
            form, plan_item_add, plan=plan, actor=request.user, **form.cleaned_data
        )
        if item is not None:
            messages.success(request, _("已添加任务“%(task)s”。") % {"task": item})
            return redirect(plan)
    return _detail(request, plan, item_form=form, status=status)


@role_required(*READERS)
@require_POST
def item_done(request: HttpRequest, pk: int) -> HttpResponse:
    """R33: the milestone done, with its evidence (a note, a checked file, or both)."""
    item = selectors.item_for(user=request.user, pk=pk)
    if not plan_may_keep(request.user, item.plan):
        raise PermissionDenied(_("只有方案的制定单位可以确认任务完成。"))
    form = DoneForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        done, status = attempt(
            form,
            plan_item_complete,
            item=item,
            note=form.cleaned_data["note"],
            file=form.cleaned_data["file"],
            actor=request.user,
        )
        if done is not None:
            messages.success(request, _("已确认任务“%(task)s”完成。") % {"task": done})
            return redirect(item.plan)
    context = {"item": item, "form": form}
    return render(request, "reporting/plans/done.html", context, status=status)


@role_required(*READERS)
@require_GET
def item_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The milestone's evidence file, for those who may read the plan, always as a download."""
    item = selectors.item_for(user=request.user, pk=pk)
    if not item.evidence_file:
        raise Http404(_("该任务没有佐证材料。"))
    extension = os.path.splitext(item.evidence_file.name)[1]
    return FileResponse(
        item.evidence_file.open("rb"),
        as_attachment=True,
        filename=_("佐证材料-%(plan)s-%(pk)s%(ext)s")
        % {"plan": item.plan.owner_name, "pk": item.pk, "ext": extension},
    )


@role_required(*READERS)
@require_POST
def problem_report(request: HttpRequest, pk: int) -> HttpResponse:
    """R33: a problem reported as it arises, to the supervisors above."""
    plan = _kept(request, pk)
    form = ProblemForm(request.POST, plan=plan)
    status = 400
    if form.is_valid():
        problem, status = attempt(
            form,
            plan_problem_report,
            plan=plan,
            description=form.cleaned_data["description"],
            item=form.cleaned_data["item"],
            actor=request.user,
        )
        if problem is not None:
            messages.success(request, _("已向上级政府法制监督机构报告问题。"))
            return redirect(plan)
    return _detail(request, plan, problem_form=form, status=status)


@role_required(*READERS)
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    """R33: the milestones past their due date, in the plans the user may read."""
    rows = selectors.overdue_items(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "rows": page.object_list, "today": localdate()}
    return render(request, "reporting/plans/overdue.html", context)
