"""Fines (R30) on the case page, and the supervisors' reports of fines and of discretion (R7).

罚缴分离: the party pays the bank the decision names; a supervisor whose region covers the
agency enters each payment from the bank's receipt, never the agency or its legal office. Those
who may read the case see the payments; outsiders get 404 as for the case page. The reports are
the supervisors' (their region and below) and the administrators': decided against collected
fines per agency, and how each item's discretion benchmark is applied. There is no fine quota or
target anywhere, by design (R30).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.pagination import CountedPaginator
from portal.roles import Role, role_required
from portal.service_forms import through

from ..forms.fines import PaymentForm, ReportFilterForm
from ..models import Decision
from ..selectors import cases as case_selectors
from ..selectors import fines as selectors
from ..services.fines import fine_payment_record, may_record_payment
from .case_page import refused
from .cases import READERS

REPORTERS = (Role.SUPERVISOR, Role.SYSADMIN)
PAGE_SIZE = 50


@role_required(*READERS)
@require_POST
def payment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """R30: a supervisor enters a payment from the collecting bank's receipt."""
    case = case_selectors.case_for(user=request.user, pk=pk)
    if not may_record_payment(request.user, case.agency):
        raise PermissionDenied(
            _("罚款缴纳由政府法制部门根据代收银行的缴款凭据录入，执法部门不能自行录入（R30）。")
        )
    decision = selectors.issued_fine_of(case=case)
    if decision is None:
        raise Http404(_("本案没有已作出的罚款决定。"))
    form = PaymentForm(request.POST)
    if form.is_valid():
        payment = through(
            form, fine_payment_record, decision=decision, actor=request.user, **form.cleaned_data
        )
        if payment is not None:
            messages.success(
                request,
                _("已录入缴款 %(amount)s 元（银行回执编号 %(receipt)s）。")
                % {"amount": payment.amount, "receipt": payment.receipt_number},
            )
            return redirect(f"{case.get_absolute_url()}#payments")
    return refused(request, pk, "payment", form, _("录入罚款缴纳"))


@role_required(*REPORTERS)
@require_GET
def fine_report(request: HttpRequest) -> HttpResponse:
    """R30: fines decided against fines collected, per agency, for one year of issue."""
    form = ReportFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    report = selectors.fine_report(user=request.user, **filters)
    return render(
        request,
        "enforcement/fines/report.html",
        {"form": form, "report": report, "year": filters["year"]},
    )


def _deviation(decision: Decision) -> str:
    if decision.tier is None:
        return _("未适用裁量基准")
    low = decision.tier.fine_min
    return _("低于幅度") if low is not None and decision.fine_amount < low else _("高于幅度")


@role_required(*REPORTERS)
@require_GET
def discretion_report(request: HttpRequest) -> HttpResponse:
    """R7: how the discretion benchmarks are applied, per agency and item, and the outliers."""
    form = ReportFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    report = selectors.discretion_report(user=request.user, **filters)
    outliers = selectors.discretion_outliers(user=request.user, **filters)
    # The tally knows how many outliers there are: the list reads its page only.
    paginator = CountedPaginator(outliers, PAGE_SIZE, count=report.outliers)
    page = paginator.get_page(request.GET.get("page"))
    for decision in page.object_list:
        decision.deviation = _deviation(decision)
    return render(
        request,
        "enforcement/fines/discretion.html",
        {"form": form, "rows": report.rows, "page": page, "year": filters["year"]},
    )
