"""R20: the figures the portal computes for a cycle: the table, and a request to recompute."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.roles import Role, role_required

from ..selectors import figures as selectors
from ..services import figures as services

READERS = (Role.AGENCY_STAFF, Role.LEGAL_OFFICE, Role.SUPERVISOR, Role.SYSADMIN)
PAGE_SIZE = 100


@role_required(*READERS)
@require_GET
def figures(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.figures_cycle(user=request.user, pk=pk)
    rows = selectors.figures_rows(user=request.user, cycle=cycle)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_rates(page.object_list)
    return render(
        request,
        "assessment/figures/figures.html",
        {
            "cycle": cycle,
            "page": page,
            "computed_at": selectors.figures_computed_at(cycle=cycle),
            "may_compute": services.figures_may_compute(cycle=cycle, user=request.user)
            and cycle.status == cycle.Status.OPEN,
            "accountability_note": services.ACCOUNTABILITY_NOTE,
        },
    )


@role_required(*READERS)
@require_POST
def figures_compute(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.figures_cycle(user=request.user, pk=pk)
    try:
        services.figures_compute_request(cycle=cycle, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已提交重新计算，完成后本页显示新的计算时间。"))
    return redirect("assessment:cycle-figures", pk=cycle.pk)
