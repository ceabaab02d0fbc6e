"""The evaluator's pages (R19, R20): the assignments to score and one scoring sheet each."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.service_forms import refused_status, through

from ..forms.scoring import ScoreForm
from ..selectors import scoring as selectors
from ..services.permissions import assignment_can_score
from ..services.scoring import score_save

PAGE_SIZE = 50


@login_required
@require_GET
def assignments(request: HttpRequest) -> HttpResponse:
    """R19: my assignments to score, across the open cycles."""
    rows = selectors.assignments_to_score(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assessment/results/assignments.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """R20: each indicator with its guidance, the evidence beside it, and the score form."""
    assignment = selectors.assignment_for(user=request.user, pk=pk)
    form = ScoreForm(request.POST or None, assignment=assignment)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            saved = through(
                form,
                score_save,
                assignment=assignment,
                indicator=data["indicator"],
                points=data["points"],
                evidence=data["evidence"],
                inspections=data["inspections"],
                actor=request.user,
            )
            if saved:
                messages.success(request, _("已保存“%(name)s”的评分。") % {"name": saved.indicator})
                return redirect("assessment:scoring-sheet", pk=assignment.pk)
        elif not assignment_can_score(request.user, assignment):
            form.denied = True
        status = refused_status(form)
    context = {
        "sheet": selectors.scoring_sheet(assignment),
        "form": form,
        "may_score": assignment_can_score(request.user, assignment),
    }
    return render(request, "assessment/results/sheet.html", context, status=status)
