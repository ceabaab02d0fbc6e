"""The case page (R6), put together from its sections: the stages, records and timeline; the
decision (R5, R7); payments (R30); closing, remedies (R13) and file reviews. The case views
(`cases`, `fines`, `remedies`) render it, and re-render it when a service refuses one of their
forms, the refused form in its place with its reasons.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.scoping import can_act_for, can_review_for
from portal.service_forms import refused_status

from ..forms import cases as case_forms
from ..forms import remedies as remedy_forms
from ..forms.fines import PaymentForm
from ..models import Case, CaseEvent, Decision, Stage
from ..selectors import cases as case_selectors
from ..selectors import fines as fine_selectors
from ..selectors import remedies as remedy_selectors
from ..services.decisions import criteria_for
from ..services.fines import PAYABLE_STAGES, may_record_payment
from ..services.remedies import supervises


def case_page(request: HttpRequest, case: Case, *, bound: dict | None = None, status: int = 200):
    """The whole page; `bound` holds the refused forms by key, each shown in its place."""
    bound = dict(bound or {})
    # A closed case's file is sealed: no more records, corrections or stages.
    may_act = can_act_for(request.user, case.agency) and case.closed_at is None
    stages = case_selectors.stages_of(case=case)
    context = {"case": case, "stages": stages, "may_act": may_act}
    context.update(decision_context(request, case, bound, may_act=may_act))
    # The sections after the decision: payments (R30); closing, remedies (R13), file reviews.
    context.update(payments_context(request, case, bound))
    context.update(closing_context(request, case, bound))
    if may_act:
        context["add_form"] = bound.get("add") or case_forms.RecordAddForm(case=case, prefix="add")
        context["advance_form"] = bound.get("advance") or case_forms.AdvanceForm(prefix="advance")
        for stage in stages:
            for record in stage["records"]:
                if record.is_current:
                    key = f"correct-{record.pk}"
                    record.correct_form = bound.pop(key, None) or case_forms.RecordCorrectForm(
                        record=record
                    )
        for form in (f for key, f in bound.items() if key.startswith("correct-")):
            # A correction of a version already corrected has no form on the page: say why here.
            for error in form.non_field_errors():
                messages.error(request, error)
    return render(request, "enforcement/cases/detail.html", context, status=status)


def refused(request: HttpRequest, pk: int, key: str, form, title) -> HttpResponse:
    # The form sits low on a long page: the top says where to look, the form says what is wrong.
    messages.error(request, _("未保存，请查看下方“%(action)s”中的提示。") % {"action": title})
    case = case_selectors.case_for(user=request.user, pk=pk)  # as it is, unchanged
    return case_page(request, case, bound={key: form}, status=refused_status(form))


def decision_context(request: HttpRequest, case: Case, bound: dict, *, may_act: bool) -> dict:
    """R5, R7: the decision section, shown in the decision stage and once a decision exists."""
    decision = case_selectors.decision_of(case=case)
    if decision is None and case.stage != Stage.DECISION:
        return {}
    in_stage = case.stage == Stage.DECISION
    editable = decision is None or decision.status in Decision.EDITABLE
    open_decision = decision is not None and decision.status != Decision.Status.ISSUED
    may_review_for = can_review_for(request.user, case.agency)
    may_review = (
        decision is not None and decision.status == Decision.Status.IN_REVIEW and may_review_for
    )
    context = {
        "show_decision": True,
        "decision": decision,
        "reviews": list(decision.reviews.all()) if decision else [],
    }
    grounds = criteria_for(case).ground_choices() if in_stage else []
    if may_act and in_stage and editable:
        context["decision_form"] = bound.get("decision") or case_forms.DecisionForm(
            case=case, decision=decision, grounds=grounds
        )
        context["may_submit"] = decision is not None and decision.is_major
    if may_act and in_stage and open_decision:
        context["may_issue"] = True
    if (
        in_stage
        and open_decision
        and not decision.marked_major
        and case.closed_at is None
        and (may_act or may_review_for)
    ):
        context["mark_form"] = bound.get("mark") or case_forms.MarkMajorForm(grounds=grounds)
    if in_stage and open_decision and decision.marked_major and may_review_for:
        context["unmark_form"] = bound.get("unmark") or case_forms.UnmarkMajorForm()
    if may_review:
        context["review_form"] = bound.get("review") or case_forms.LegalReviewForm(
            initial={"draft_version": decision.draft_version}
        )
    # A refusal whose form is not on the page (a button, or a form the new status hides).
    shown = {
        "decision": "decision_form",
        "review": "review_form",
        "mark": "mark_form",
        "unmark": "unmark_form",
    }
    context["action_errors"] = [
        error
        for key, form in bound.items()
        if key in ("submit", "issue", *shown) and shown.get(key) not in context
        for errors in form.errors.values()
        for error in errors
    ]
    return context


# --- payments (R30) -------------------------------------------------------------------------------


def _payment_blocked(case: Case, outstanding) -> str:
    """Why no payment can be entered now ("" when one can)."""
    if case.closed_at is not None:
        return _("案件已结案，不能再录入缴款。")
    if case.stage not in PAYABLE_STAGES:
        return _("案件进入“送达执行”阶段后才能录入缴款。")
    if outstanding <= 0:
        return _("罚款已全部缴清。")
    return ""


def _fine_issued(case: Case) -> bool:
    # Every issue of a decision is a step of the timeline, which the case page has already
    # fetched: a case whose decision is not issued costs the page no query here.
    return any(event.kind == CaseEvent.Kind.DECISION_ISSUED for event in case.timeline.all())


def payments_context(request: HttpRequest, case: Case, bound: dict) -> dict:
    """R30: the case page's payments section, shown once the case's fine is issued."""
    if not _fine_issued(case):
        return {}
    decision = fine_selectors.issued_fine_of(case=case)
    if decision is None:
        return {}
    payments = list(fine_selectors.payments_of(decision=decision))
    paid = sum((p.amount for p in payments), fine_selectors.ZERO)
    outstanding = max(decision.fine_amount - paid, fine_selectors.ZERO)
    section = {"decision": decision, "payments": payments, "paid": paid, "outstanding": outstanding}
    form = bound.get("payment")
    if may_record_payment(request.user, case.agency):
        section["blocked"] = _payment_blocked(case, outstanding)
        if not section["blocked"]:
            section["form"] = form or PaymentForm(initial={"paid_on": timezone.localdate()})
    if form is not None and "form" not in section:
        # A refusal whose form the page no longer shows (the fine was paid off meanwhile).
        section["errors"] = [error for errors in form.errors.values() for error in errors]
    return {"fine_payments": section}


# --- closing, remedies (R13), file reviews --------------------------------------------------------


def _decision_issued(case: Case) -> bool:
    # A case leaves review-and-decision only with its decision issued; within that stage the
    # timeline (prefetched with the case) says whether it was: no query either way.
    if case.stage in (Stage.SERVICE, Stage.ARCHIVING):
        return True
    if case.stage != Stage.DECISION:
        return False
    return any(event.kind == CaseEvent.Kind.DECISION_ISSUED for event in case.timeline.all())


def _screen_forms(remedies: list, bound: dict) -> None:
    for outcome in remedies:
        if outcome.needs_screening and outcome.screened_at is None:
            key = f"screen-{outcome.pk}"
            outcome.screen_form = bound.get(key) or remedy_forms.ScreeningForm(outcome=outcome)


def _mine(key: str) -> bool:
    return key in ("close", "remedy") or key.startswith("screen-")


def _unshown_errors(bound: dict, shown: set[str]) -> list:
    """A refusal of a button (close), or of a form not on the page, is said at the section's top."""
    return [
        error
        for key, form in bound.items()
        if _mine(key) and key not in shown
        for errors in form.errors.values()
        for error in errors
    ]


def closing_context(request: HttpRequest, case: Case, bound: dict) -> dict:
    """The case page's closing, remedies (R13) and file-review sections, shown once the
    decision is issued."""
    if not _decision_issued(case):
        return {"closing_errors": _unshown_errors(bound, set())}
    user = request.user
    closed = case.closed_at is not None
    supervisor = supervises(user, case.agency)
    may_act = can_act_for(user, case.agency)
    context = {
        "show_closing": True,
        "may_close": may_act and case.stage == Stage.ARCHIVING and not closed,
        "remedies": remedy_selectors.outcomes_of(case=case),
        "file_reviews": remedy_selectors.file_reviews_of(case=case) if closed else [],
        "may_review_file": supervisor and closed,
    }
    shown = set()
    if may_act or supervisor:
        context["remedy_form"] = bound.get("remedy") or remedy_forms.RemedyOutcomeForm()
        shown.add("remedy")
    if supervisor:
        _screen_forms(context["remedies"], bound)
        shown |= {f"screen-{o.pk}" for o in context["remedies"] if hasattr(o, "screen_form")}
    context["closing_errors"] = _unshown_errors(bound, shown)
    return context
