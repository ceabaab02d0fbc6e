"""Pages of the officers' evaluation (R21, R22): a cycle's results per agency, an officer's
records, a result with its composition and consequences, its printable sheet, the officer's own
results with the objection form, the supervisors' queue, objection and repeat decisions.

Reads go through `assessment.selectors.officers` (out of scope: 404); writes through the
services, whose refusals are shown in Chinese and change nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.params import optional_int
from portal.roles import role_required
from portal.service_forms import refused_status, through

from ..forms import officers as officer_forms
from ..models import Grade
from ..selectors import officers as selectors
from ..services.consequences import (
    KEEPER_REFUSAL,
    REPEAT_REFUSAL,
    may_decide_repeat,
    measure_complete,
    measure_order,
    repeat_decision_decide,
    result_use_record,
)
from ..services.objections import (
    DECIDE_REFUSAL,
    may_decide_objection,
    objection_decide,
    objection_file,
)
from ..services.officers import (
    china_today,
    keeps_records_for,
    officer_formula,
    officer_record_add,
    officer_results_compute,
    officer_results_publish,
    supervises_cycle,
)

PAGE_SIZE = 100


def _readers_only(user) -> None:
    if not selectors.reads_results(user):
        raise PermissionDenied(_("只有政府法制监督人员和本单位法制机构可以查看执法人员考核结果。"))


def _keeper_only(user, agency) -> None:
    """Permission before the body: who may not act is refused whatever they sent."""
    if not keeps_records_for(user, agency):
        raise PermissionDenied(KEEPER_REFUSAL)


# --- a cycle's results ---------------------------------------------------------------------------


@login_required
@require_GET
def results(request: HttpRequest, pk: int):
    _readers_only(request.user)
    cycle = selectors.cycle_for(user=request.user, pk=pk)
    try:
        agency_id = optional_int(request.GET.get("agency"), label=_("单位"))
    except ValidationError:
        agency_id = None
    rows = selectors.officer_results(user=request.user, cycle=cycle, agency_id=agency_id)
    page = Paginator(rows.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.in_order(list(page.object_list))
    return render(
        request,
        "assessment/officers/results.html",
        {
            "cycle": cycle,
            "page": page,
            "supervises": supervises_cycle(request.user, cycle),
            "formula": officer_formula(),
        },
    )


def _cycle_action(request, pk, service, done):
    cycle = selectors.cycle_for(user=request.user, pk=pk)
    try:
        outcome = service(cycle=cycle, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done(outcome))
    return redirect("assessment:officer-results", pk=cycle.pk)


@role_required(*selectors.DECIDERS)
@require_POST
def compute(request: HttpRequest, pk: int):
    return _cycle_action(
        request,
        pk,
        officer_results_compute,
        lambda count: _("已计算 %(count)s 名执法人员的考核结果。") % {"count": count},
    )


@role_required(*selectors.DECIDERS)
@require_POST
def publish(request: HttpRequest, pk: int):
    return _cycle_action(
        request,
        pk,
        officer_results_publish,
        lambda due: _("考核结果已公布，异议截止 %(due)s。") % {"due": due.isoformat()},
    )


# --- one result ----------------------------------------------------------------------------------


def _result_page(request, result, *, status=200, **forms):
    context = {
        "result": result,
        "formula": officer_formula(),
        "measures": result.measures.select_related("ordered_by", "completed_by"),
        "uses": result.uses.select_related("recorded_by"),
        "objection": getattr(result, "objection", None),
        "unqualified": result.grade == Grade.UNQUALIFIED,
        "measure_form": forms.get("measure_form") or officer_forms.MeasureForm(),
        "use_form": forms.get("use_form") or officer_forms.ResultUseForm(),
        "complete_form": forms.get("complete_form") or officer_forms.MeasureCompleteForm(),
        "complete_pk": forms.get("complete_pk"),
    }
    return render(request, "assessment/officers/result.html", context, status=status)


@login_required
@require_GET
def result_detail(request: HttpRequest, pk: int):
    _readers_only(request.user)
    return _result_page(request, selectors.officer_result_for(user=request.user, pk=pk))


@login_required
@require_GET
def result_sheet(request: HttpRequest, pk: int):
    """The printable result sheet (the officer's own, or a reader's in scope)."""
    result = selectors.officer_result_for(user=request.user, pk=pk)
    return render(
        request,
        "assessment/officers/sheet.html",
        {
            "result": result,
            "formula": officer_formula(),
            "objection": getattr(result, "objection", None),
        },
    )


@login_required
@require_POST
def measure_create(request: HttpRequest, pk: int):
    _readers_only(request.user)
    result = selectors.officer_result_for(user=request.user, pk=pk)
    _keeper_only(request.user, result.agency)
    form = officer_forms.MeasureForm(request.POST)
    if form.is_valid() and through(
        form, measure_order, result=result, actor=request.user, **form.cleaned_data
    ):
        messages.success(request, _("已对%(officer)s作出处理措施。") % {"officer": result.officer})
        return redirect("assessment:officer-result", pk=result.pk)
    return _result_page(request, result, status=refused_status(form), measure_form=form)


@login_required
@require_POST
def measure_done(request: HttpRequest, pk: int):
    _readers_only(request.user)
    measure = selectors.measure_for(user=request.user, pk=pk)
    _keeper_only(request.user, measure.result.agency)
    form = officer_forms.MeasureCompleteForm(request.POST)
    if form.is_valid() and through(
        form,
        measure_complete,
        measure=measure,
        completed_on=form.cleaned_data["completed_on"],
        note=form.cleaned_data["note"],
        actor=request.user,
    ):
        messages.success(request, _("已确认处理措施完成：%(measure)s。") % {"measure": measure})
        return redirect("assessment:officer-result", pk=measure.result_id)
    result = selectors.officer_result_for(user=request.user, pk=measure.result_id)
    return _result_page(
        request, result, status=refused_status(form), complete_form=form, complete_pk=measure.pk
    )


@login_required
@require_POST
def use_create(request: HttpRequest, pk: int):
    _readers_only(request.user)
    result = selectors.officer_result_for(user=request.user, pk=pk)
    _keeper_only(request.user, result.agency)
    form = officer_forms.ResultUseForm(request.POST)
    if form.is_valid() and through(
        form, result_use_record, result=result, actor=request.user, **form.cleaned_data
    ):
        messages.success(
            request, _("已记录%(officer)s考核结果的运用。") % {"officer": result.officer}
        )
        return redirect("assessment:officer-result", pk=result.pk)
    return _result_page(request, result, status=refused_status(form), use_form=form)


# --- an officer's records ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def records(request: HttpRequest, pk: int):
    _readers_only(request.user)
    officer = selectors.officer_for(user=request.user, pk=pk)
    form = officer_forms.RecordForm(
        request.POST or None, initial={"year": timezone.localdate().year}
    )
    status = 200
    if request.method == "POST":
        _keeper_only(request.user, officer.agency)
        if form.is_valid() and through(
            form, officer_record_add, officer=officer, actor=request.user, **form.cleaned_data
        ):
            messages.success(request, _("已录入%(officer)s的考核记录。") % {"officer": officer})
            return redirect("assessment:officer-records", pk=officer.pk)
        status = refused_status(form)
    page = Paginator(selectors.records_of(officer), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessment/officers/records.html",
        {"officer": officer, "page": page, "form": form},
        status=status,
    )


# --- the officer's own results -------------------------------------------------------------------


def _mine_page(request, *, form=None, form_pk=None, status=200):
    rows = list(selectors.my_results(user=request.user)[:20])
    today = china_today()
    for row in rows:
        row.may_object = (
            not hasattr(row, "objection") and row.final_at is None and today <= row.objection_due
        )
    return render(
        request,
        "assessment/officers/mine.html",
        {
            "rows": rows,
            "linked": hasattr(request.user, "officer"),
            "form": form,
            "blank_form": officer_forms.ObjectionForm(),
            "form_pk": form_pk,
            "formula": officer_formula(),
        },
        status=status,
    )


@login_required
@require_GET
def mine(request: HttpRequest):
    return _mine_page(request)


@login_required
@require_POST
def objection_create(request: HttpRequest, pk: int):
    result = selectors.my_result_for(user=request.user, pk=pk)
    form = officer_forms.ObjectionForm(request.POST)
    if form.is_valid() and through(
        form, objection_file, result=result, reason=form.cleaned_data["reason"], actor=request.user
    ):
        messages.success(request, _("异议已提交，处理结果将在本页显示。"))
        return redirect("assessment:my-officer-results")
    return _mine_page(request, form=form, form_pk=result.pk, status=refused_status(form))


# --- the supervisors' queue and decisions --------------------------------------------------------


@role_required(*selectors.DECIDERS)
@require_GET
def queue(request: HttpRequest):
    found = selectors.queue(user=request.user)
    return render(
        request,
        "assessment/officers/queue.html",
        {
            "objections": list(found["objections"][:PAGE_SIZE]),
            "open_decisions": list(found["open_decisions"][:PAGE_SIZE]),
            "decided": list(found["decided"]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def objection(request: HttpRequest, pk: int):
    _readers_only(request.user)
    found = selectors.objection_for(user=request.user, pk=pk)
    form = officer_forms.ObjectionDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not may_decide_objection(request.user, found):
            raise PermissionDenied(DECIDE_REFUSAL)
        if form.is_valid() and through(
            form, objection_decide, objection=found, actor=request.user, **form.cleaned_data
        ):
            messages.success(request, _("异议已处理。"))
            return redirect("assessment:objection", pk=found.pk)
        status = refused_status(form)
    return render(
        request,
        "assessment/officers/objection.html",
        {"objection": found, "result": found.result, "form": form, "formula": officer_formula()},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def repeat_decision(request: HttpRequest, pk: int):
    _readers_only(request.user)
    decision = selectors.repeat_decision_for(user=request.user, pk=pk)
    form = officer_forms.RepeatDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not may_decide_repeat(request.user, decision):
            raise PermissionDenied(REPEAT_REFUSAL)
        if form.is_valid() and through(
            form, repeat_decision_decide, decision=decision, actor=request.user, **form.cleaned_data
        ):
            messages.success(request, _("已作出处理决定。"))
            return redirect("assessment:repeat-decision", pk=decision.pk)
        status = refused_status(form)
    return render(
        request,
        "assessment/officers/repeat_decision.html",
        {"decision": decision, "form": form},
        status=status,
    )
