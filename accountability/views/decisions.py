"""R24, R28, R29: sending the notices, and the decision page: each person's and unit's defence
beside the report's findings and the proposed band, the decision form, the decision with any
outside-band justification, and the reviews asked for."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.roles import Role, role_required

from ..forms.decisions import DecisionForm, NoticeForm, ReviewDecideForm
from ..models import Proceeding
from ..selectors import decisions as selectors
from ..services.decisions import decision_make, may_decide
from ..services.defences import notice_send
from .forms_errors import through

READERS = (Role.SUPERVISOR, Role.SYSADMIN)


def _accused(proceeding):
    return list(
        proceeding.accused.select_related(
            "officer", "agency", "defence", "proposal", "sanction__review__decided_by"
        ).order_by("pk")
    )


def _reviews(request, proceeding, accused, decision, forms) -> list[dict]:
    """The reviews asked for, each with its form for a supervisor who may review it."""
    may_review = (
        decision is not None
        and decision.decided_by_id != request.user.pk
        and may_decide(request.user, proceeding.agency)
    )
    rows = []
    for one in accused:
        review = getattr(getattr(one, "sanction", None), "review", None)
        if review is None:
            continue
        form = forms.get(review.pk) or (
            ReviewDecideForm() if may_review and not review.outcome else None
        )
        rows.append({"accused": one, "review": review, "form": form})
    return rows


def _page(request, proceeding, *, form=None, notice_form=None, review_forms=None, status=200):
    accused = _accused(proceeding)
    deciding = proceeding.step == Proceeding.Step.DECISION and may_decide(
        request.user, proceeding.agency
    )
    decision = getattr(proceeding, "decision", None)
    context = {
        "proceeding": proceeding,
        "report": getattr(proceeding, "report", None),
        "accused": accused,
        "decision": decision,
        "form": form or (DecisionForm(accused=accused) if deciding and not decision else None),
        "notice_form": notice_form
        or (
            NoticeForm()
            if proceeding.step == Proceeding.Step.NOTICE
            and proceeding.handler_id == request.user.pk
            else None
        ),
        "reviews": _reviews(request, proceeding, accused, decision, review_forms or {}),
    }
    return render(request, "accountability/decisions/detail.html", context, status=status)


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def decision_page(request: HttpRequest, pk: int) -> HttpResponse:
    """R24, R29: the decision page; POST makes the decision."""
    proceeding = selectors.proceeding_for(user=request.user, pk=pk)
    if request.method == "GET":
        return _page(request, proceeding)
    if not may_decide(request.user, proceeding.agency):  # permission before the body
        raise PermissionDenied(
            _("只有管辖被追究单位、且与其无利害关系的政府法制监督人员可以作出决定。")
        )
    form = DecisionForm(request.POST, accused=_accused(proceeding))
    status = 400
    if form.is_valid():
        done, status = through(
            form,
            decision_make,
            proceeding=proceeding,
            reasons=form.cleaned_data["reasons"],
            transfer_needed=form.cleaned_data["transfer_needed"],
            sanctions=form.sanctions(),
            actor=request.user,
        )
        if done is not None:
            messages.success(request, _("已作出问责决定。"))
            return redirect("accountability:decision", pk=proceeding.pk)
    return _page(request, proceeding, form=form, status=status)


@role_required(Role.SUPERVISOR)
@require_POST
def notice_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    """R29: the handler sends the notices to every person and unit concerned."""
    proceeding = selectors.proceeding_for(user=request.user, pk=pk)
    if proceeding.handler_id != request.user.pk:
        raise PermissionDenied(_("只有本案承办人可以告知当事人。"))
    form = NoticeForm(request.POST)
    status = 400
    if form.is_valid():
        done, status = through(
            form, notice_send, proceeding=proceeding, actor=request.user, **form.cleaned_data
        )
        if done is not None:
            messages.success(request, _("告知书已发给被追究的人员和单位，等待陈述申辩。"))
            return redirect("accountability:decision", pk=proceeding.pk)
    return _page(request, proceeding, notice_form=form, status=status)
