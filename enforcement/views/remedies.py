"""Closing a case (结案), reconsideration and litigation outcomes (R13) with their accountability
screening, and case-file review (案卷评查, R20, R21).

On the case page, after the decision and payments: staff close the case in its archiving stage;
once the decision is issued, staff of the agency or a supervisor over it record the outcomes of
reconsideration and litigation, and a supervisor screens each unfavourable one; once the case is
closed, a supervisor scores its file against the checklist. Supervisors find the reviews of their
region, and the closed cases still unreviewed, at /cases/file-reviews/. Every write goes through
a service; its refusal is shown in Chinese on the case page and nothing changes.
"""

import datetime
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.pagination import CappedPaginator, capped_count
from portal.roles import Role, role_of, role_required
from portal.scoping import can_act_for, get_scoped_or_404, visible_agencies
from portal.service_forms import refused_status, through

from ..forms import remedies as forms
from ..forms.cases import ActionForm
from ..models import Case, RemedyOutcome, Stage
from ..selectors import remedies as selectors
from ..services.cases import case_close
from ..services.file_reviews import case_file_review_record, checklist_for
from ..services.remedies import may_record_outcome, remedy_outcome_record, remedy_screen, supervises
from .case_page import refused

PAGE_SIZE = 50
UNREVIEWED_SHOWN = 50
RECORDERS = (Role.AGENCY_STAFF, Role.LEGAL_OFFICE, Role.SUPERVISOR)


def _case(request: HttpRequest, pk: int) -> Case:
    return get_scoped_or_404(Case.objects.select_related("agency__region"), request.user, pk=pk)


@role_required(Role.AGENCY_STAFF, Role.LEGAL_OFFICE)
@require_POST
def case_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the case in its archiving stage (结案)."""
    case = _case(request, pk)
    if not can_act_for(request.user, case.agency):
        raise PermissionDenied(_("只有本单位的执法人员可以办理本单位的案件。"))
    form = ActionForm(request.POST)
    if through(form, case_close, case=case, actor=request.user):
        messages.success(request, _("已结案：%(case)s。") % {"case": case})
        return redirect(f"{case.get_absolute_url()}#closing")
    return refused(request, pk, "close", form, _("结案"))


@role_required(*RECORDERS)
@require_POST
def remedy_add(request: HttpRequest, pk: int) -> HttpResponse:
    """R13: record the outcome of a reconsideration or litigation of the case's decision."""
    case = _case(request, pk)
    if not may_record_outcome(request.user, case.agency):
        raise PermissionDenied(
            _("只有本单位的执法人员或管辖该单位的政府法制监督人员可以录入复议、诉讼结果。")
        )
    form = forms.RemedyOutcomeForm(request.POST)
    if form.is_valid():
        outcome = through(
            form, remedy_outcome_record, case=case, actor=request.user, **form.cleaned_data
        )
        if outcome is not None:
            if outcome.needs_screening:
                messages.warning(
                    request,
                    _("已录入%(kind)s结果“%(outcome)s”，已列入问责筛查（R13）。")
                    % {
                        "kind": outcome.get_kind_display(),
                        "outcome": outcome.get_outcome_display(),
                    },
                )
            else:
                messages.success(
                    request,
                    _("已录入%(case)s的%(kind)s结果：%(outcome)s。")
                    % {
                        "case": case,
                        "kind": outcome.get_kind_display(),
                        "outcome": outcome.get_outcome_display(),
                    },
                )
            return redirect(f"{case.get_absolute_url()}#remedies")
    return refused(request, pk, "remedy", form, _("复议、诉讼结果"))


@role_required(Role.SUPERVISOR)
@require_POST
def remedy_screen_view(request: HttpRequest, pk: int) -> HttpResponse:
    """R13: a supervisor over the agency screens a flagged outcome for accountability."""
    outcome = get_scoped_or_404(
        RemedyOutcome.objects.select_related("case__agency__region"),
        request.user,
        agency_field="case__agency",
        pk=pk,
    )
    form = forms.ScreeningForm(request.POST, outcome=outcome)
    if form.is_valid():
        screened = through(
            form, remedy_screen, outcome=outcome, actor=request.user, **form.cleaned_data
        )
        if screened is not None:
            messages.success(request, _("已记录%(case)s的问责筛查意见。") % {"case": outcome.case})
            return redirect(f"{outcome.case.get_absolute_url()}#remedies")
    return refused(request, outcome.case_id, f"screen-{outcome.pk}", form, _("问责筛查"))


def _completeness_help(counts: dict[str, int]) -> str:
    parts = [f"{Stage(stage).label} {count}" for stage, count in counts.items()]
    return _("各阶段现有记录（件）：%(counts)s") % {"counts": "，".join(parts)}


@role_required(Role.SUPERVISOR)
@require_http_methods(["GET", "POST"])
def file_review(request: HttpRequest, pk: int) -> HttpResponse:
    """案卷评查: score a closed case's file against the checklist, with findings."""

    case = _case(request, pk)
    if not supervises(request.user, case.agency):
        raise PermissionDenied(_("只有管辖该单位的政府法制监督人员可以进行案卷评查。"))
    counts = selectors.current_records_by_stage(case=case)
    checklist = checklist_for(case.agency)
    form = forms.FileReviewForm(
        request.POST or None,
        completeness_help=_completeness_help(counts),
        weights=checklist.weights(),
    )
    if request.method == "POST":
        if form.is_valid():
            # Bound beforehand: the checklist's "service" would clash with `_through`'s argument.
            record = partial(
                case_file_review_record, case=case, actor=request.user, **form.cleaned_data
            )
            review = through(form, record)
            if review is not None:
                messages.success(
                    request, _("已记录案卷评查，总分 %(total)s。") % {"total": review.total}
                )
                return redirect(f"{case.get_absolute_url()}#file-reviews")
        messages.error(request, _("未保存，请查看下方的提示。"))
    context = {
        "case": case,
        "form": form,
        "counts": [(Stage(stage).label, count) for stage, count in counts.items()],
        "reviews": selectors.file_reviews_of(case=case),
        "checklist": checklist,
    }
    status = refused_status(form) if request.method == "POST" else 200
    return render(request, "enforcement/remedies/file_review.html", context, status=status)


def _year(value) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(value)
    except (TypeError, ValueError):
        return this_year
    return year if datetime.MINYEAR < year <= this_year else this_year


@role_required(Role.SUPERVISOR, Role.SYSADMIN)
@require_GET
def file_review_list(request: HttpRequest) -> HttpResponse:
    """案卷评查: the reviews in the user's scope, newest first; each agency's count and average
    total for a year; and the closed cases nobody has reviewed yet."""
    user = request.user
    year = _year(request.GET.get("year"))
    page = CappedPaginator(selectors.file_reviews_for(user=user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    unreviewed = selectors.unreviewed_closed_cases(user=user)
    unreviewed_count, unreviewed_capped = capped_count(unreviewed)
    context = {
        "page": page,
        "year": year,
        "previous_year": year - 1,
        "next_year": year + 1 if year < timezone.localdate().year else None,
        "scores": list(selectors.file_review_scores(agencies=visible_agencies(user), year=year)),
        "unreviewed": list(unreviewed[:UNREVIEWED_SHOWN]),
        "unreviewed_count": unreviewed_count,
        "unreviewed_capped": unreviewed_capped,
        "may_review": role_of(user) == Role.SUPERVISOR,
    }
    return render(request, "enforcement/remedies/file_reviews.html", context)
