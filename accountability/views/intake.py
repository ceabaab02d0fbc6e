"""R26, R13: one action from another record's page: a substantiated complaint referred and
registered as a clue; a flagged remedy outcome screened and registered as a clue."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from complaints.selectors.staff import complaint_for
from enforcement.models import RemedyOutcome
from portal.roles import Role, role_required
from portal.scoping import get_scoped_or_404
from portal.service_forms import attempt

from ..forms.clues import ReferForm
from ..services.intake import clue_from_complaint, clue_from_remedy


def _page(request, form, *, title, back, status):
    context = {"form": form, "title": title, "back": back}
    return render(request, "accountability/clues/intake.html", context, status=status)


@role_required(Role.SUPERVISOR)
@require_http_methods(["GET", "POST"])
def complaint_clue(request: HttpRequest, pk: int) -> HttpResponse:
    """R26: 移送责任追究并登记线索."""
    complaint = complaint_for(user=request.user, pk=pk)
    form = ReferForm(request.POST or None, prefix="refer")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            clue, status = attempt(
                form,
                clue_from_complaint,
                complaint=complaint,
                actor=request.user,
                note=form.cleaned_data["note"],
            )
            if clue is not None:
                messages.success(
                    request, _("已移送责任追究，并登记为线索 %(clue)s。") % {"clue": clue}
                )
                return redirect("accountability:clue-detail", pk=clue.pk)
    back = reverse("complaints:staff-detail", args=[complaint.pk])
    title = _("移送责任追究并登记线索：%(number)s") % {"number": complaint.number}
    return _page(request, form, title=title, back=back, status=status)


@role_required(Role.SUPERVISOR)
@require_http_methods(["GET", "POST"])
def remedy_clue(request: HttpRequest, pk: int) -> HttpResponse:
    """R13: 筛查并登记问责线索, in one action."""
    outcome = get_scoped_or_404(
        RemedyOutcome.objects.select_related("case__agency__region"),
        request.user,
        agency_field="case__agency",
        pk=pk,
    )
    form = ReferForm(request.POST or None, prefix=f"screen-{outcome.pk}")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            clue, status = attempt(
                form,
                clue_from_remedy,
                outcome=outcome,
                actor=request.user,
                note=form.cleaned_data["note"],
            )
            if clue is not None:
                messages.success(request, _("已登记问责线索 %(clue)s。") % {"clue": clue})
                return redirect("accountability:clue-detail", pk=clue.pk)
    back = f"{outcome.case.get_absolute_url()}#remedies"
    title = _("筛查并登记问责线索：%(ref)s") % {"ref": outcome.reference}
    return _page(request, form, title=title, back=back, status=status)
