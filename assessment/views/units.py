"""Pages of a department's evaluation of its internal units (R19): the units of one agency in a
cycle, each with its form for the department's own staff."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.roles import Role, role_required
from portal.scoping import can_act_for
from portal.service_forms import run_service

from ..forms.units import UnitEvaluateForm
from ..models import Cycle
from ..selectors import cycles as cycle_selectors
from ..selectors import units as selectors
from ..services.units import unit_check_evaluator, unit_evaluate

READERS = (Role.AGENCY_STAFF, Role.LEGAL_OFFICE, Role.SUPERVISOR, Role.SYSADMIN)


def _page(request, cycle, agency, *, bound=None, status=200) -> HttpResponse:
    may_evaluate = cycle.status == Cycle.Status.OPEN and can_act_for(request.user, agency)
    rows = list(selectors.units_of(cycle=cycle, agency=agency))
    for row in rows:
        if bound is not None and bound[0] == row.pk:
            row.form = bound[1]
        elif may_evaluate:
            row.form = UnitEvaluateForm(
                prefix=f"u{row.pk}",
                initial={"points": row.points, "comment": row.comment},
            )
    context = {"cycle": cycle, "agency": agency, "rows": rows, "may_evaluate": may_evaluate}
    return render(request, "assessment/units/list.html", context, status=status)


@role_required(*READERS)
@require_GET
def unit_list(request: HttpRequest, pk: int, agency: int) -> HttpResponse:
    cycle = cycle_selectors.cycle_for(user=request.user, pk=pk)
    return _page(request, cycle, selectors.agency_for(user=request.user, pk=agency))


@role_required(*READERS)
@require_POST
def unit_evaluate_view(request: HttpRequest, pk: int, uid: int) -> HttpResponse:
    """R19: the department's points for one unit; the grade is computed."""
    cycle = cycle_selectors.cycle_for(user=request.user, pk=pk)
    row = selectors.unit_evaluation_for(user=request.user, cycle=cycle, pk=uid)
    unit_check_evaluator(unit_evaluation=row, actor=request.user)
    form = UnitEvaluateForm(request.POST, prefix=f"u{row.pk}")
    if form.is_valid():
        done = run_service(
            form, unit_evaluate, unit_evaluation=row, actor=request.user, **form.cleaned_data
        )
        if done:
            messages.success(request, _("已保存 %(unit)s 的考核结果。") % {"unit": row.unit})
            return redirect(reverse("assessment:unit-list", args=[cycle.pk, row.agency_id]))
    return _page(request, cycle, row.agency, bound=(row.pk, form), status=400)
