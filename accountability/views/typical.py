"""R18, R32: typical cases for staff (the list, drafting one from a decided case, editing,
submitting, approving, circulating) and for the public (the published list and a case's page)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.public_cache import cached_for_the_public
from portal.roles import Role, role_required
from portal.service_forms import attempt

from ..forms.typical import (
    ActionForm,
    CirculateForm,
    ReturnForm,
    TypicalFilterForm,
    TypicalForm,
)
from ..models import TypicalCase
from ..selectors import typical as selectors
from ..services.typical import (
    TEXTS,
    anonymise,
    is_decided,
    may_circulate,
    may_draft,
    may_review,
    people_of,
    typical_approve,
    typical_circulate,
    typical_draft,
    typical_return,
    typical_submit,
    typical_update,
)

PAGE_SIZE = 50
READERS = (Role.SUPERVISOR, Role.SYSADMIN)
Status = TypicalCase.Status


# --- staff ---------------------------------------------------------------------------------------


@role_required(*READERS)
@require_GET
def typical_list(request: HttpRequest) -> HttpResponse:
    """R18: the typical cases of the units the reader supervises, newest draft first."""
    filters = TypicalFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.typical_list(user=request.user, status=chosen.get("status") or None)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page_obj": page, "rows": page.object_list}
    status = 400 if filters.is_bound and not filters.is_valid() else 200
    return render(request, "accountability/typical/list.html", context, status=status)


def _prefilled(proceeding) -> dict:
    """The case's investigation and decision reasons, already anonymised, as a starting point."""
    parties, officers = people_of(proceeding)
    decision = getattr(proceeding, "decision", None)
    return {
        "facts": anonymise(proceeding.investigation, parties=parties, officers=officers),
        "analysis": anonymise(
            decision.reasons if decision else "", parties=parties, officers=officers
        ),
    }


@role_required(Role.SUPERVISOR)
@require_http_methods(["GET", "POST"])
def typical_new(request: HttpRequest, pk: int) -> HttpResponse:
    """R18: a supervisor over the unit drafts a typical case from a decided proceeding."""
    proceeding = selectors.proceeding_for_typical(user=request.user, pk=pk)
    status = 200
    if request.method == "POST":
        form = TypicalForm(request.POST)
        status = 400
        if form.is_valid():
            typical, status = attempt(
                form,
                typical_draft,
                proceeding=proceeding,
                actor=request.user,
                **form.cleaned_data,
            )
            if typical is not None:
                messages.success(request, _("已创建典型案例：%(typical)s。") % {"typical": typical})
                return redirect("accountability:typical-detail", pk=typical.pk)
    else:
        form = TypicalForm(initial=_prefilled(proceeding))
    context = {
        "form": form,
        "proceeding": proceeding,
        "decided": is_decided(proceeding),
        "may_draft": may_draft(request.user, proceeding),
    }
    return render(request, "accountability/typical/new.html", context, status=status)


def _detail(request, typical, *, circulate=None, action_form=None, returning=None, status=200):
    user = request.user
    mine = typical.drafted_by_id == user.pk
    supervising = may_draft(user, typical.proceeding)
    reviewing = may_review(user, typical) and typical.status == Status.SUBMITTED
    returns = list(selectors.typical_returns(typical))
    context = {
        "typical": typical,
        "may_edit": mine and supervising and typical.status == Status.DRAFT,
        "may_submit": mine and supervising and typical.status == Status.DRAFT,
        "may_approve": reviewing,
        "may_return": reviewing,
        "return_form": returning or ReturnForm(),
        # R18: the latest return's reasons, while the drafter has the case back.
        "returned": returns[0] if returns and typical.status == Status.DRAFT else None,
        "returns": returns,
        "circulate_form": circulate
        or (
            CirculateForm()
            if typical.status == Status.PUBLISHED
            and typical.circulated_at is None
            and may_circulate(user, typical)
            else None
        ),
        "action_form": action_form,
    }
    return render(request, "accountability/typical/detail.html", context, status=status)


@role_required(*READERS)
@require_GET
def typical_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.typical_for(user=request.user, pk=pk))


@role_required(Role.SUPERVISOR)
@require_http_methods(["GET", "POST"])
def typical_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """R18: the drafter edits the draft; the text is anonymised and checked again."""
    typical = selectors.typical_for(user=request.user, pk=pk)
    status = 200
    if request.method == "POST":
        form = TypicalForm(request.POST)
        status = 400
        if form.is_valid():
            done, status = attempt(
                form, typical_update, typical=typical, actor=request.user, **form.cleaned_data
            )
            if done is not None:
                messages.success(
                    request, _("典型案例的修改已保存：%(typical)s。") % {"typical": typical}
                )
                return redirect("accountability:typical-detail", pk=typical.pk)
    else:
        form = TypicalForm(initial={field: getattr(typical, field) for field, *_r in TEXTS})
    context = {"form": form, "typical": typical, "proceeding": typical.proceeding}
    return render(request, "accountability/typical/edit.html", context, status=status)


# What the submit and approve actions did, named on the page they return to.
DONE = {
    "typical_submit": gettext_lazy("典型案例已提交审核：%(typical)s。"),
    "typical_approve": gettext_lazy("典型案例已审核通过：%(typical)s。"),
}


def _act(request, pk, service):
    typical = selectors.typical_for(user=request.user, pk=pk)
    form = ActionForm()
    done, status = attempt(form, service, typical=typical, actor=request.user)
    if done is not None:
        messages.success(request, DONE[service.__name__] % {"typical": typical})
        return redirect("accountability:typical-detail", pk=typical.pk)
    return _detail(request, typical, action_form=form, status=status)


@role_required(Role.SUPERVISOR)
@require_POST
def typical_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, typical_submit)


@role_required(Role.SUPERVISOR)
@require_POST
def typical_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    """R18: another supervisor over the unit approves; the case is published."""
    return _act(request, pk, typical_approve)


@role_required(Role.SUPERVISOR)
@require_POST
def typical_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    """R18: the reviewer sends the submitted case back to its drafter with written reasons. The
    service decides who may before it reads the reasons (permission before the body)."""
    typical = selectors.typical_for(user=request.user, pk=pk)
    form = ReturnForm(request.POST)
    form.is_valid()  # always: the service judges the reasons
    done, status = attempt(
        form,
        typical_return,
        typical=typical,
        actor=request.user,
        reasons=form.cleaned_data["reasons"],
    )
    if done is not None:
        messages.success(request, _("已退回典型案例：%(typical)s。") % {"typical": typical})
        return redirect("accountability:typical-detail", pk=typical.pk)
    return _detail(request, typical, returning=form, status=status)


@role_required(Role.SUPERVISOR)
@require_POST
def typical_circulate_view(request: HttpRequest, pk: int) -> HttpResponse:
    """R32: the notice (通报) to the region's agencies."""
    typical = selectors.typical_for(user=request.user, pk=pk)
    form = CirculateForm(request.POST)
    status = 400
    if form.is_valid():
        done, status = attempt(
            form,
            typical_circulate,
            typical=typical,
            actor=request.user,
            notice_number=form.cleaned_data["notice_number"],
        )
        if done is not None:
            messages.success(request, _("已通报典型案例：%(typical)s。") % {"typical": typical})
            return redirect("accountability:typical-detail", pk=typical.pk)
    return _detail(request, typical, circulate=form, status=status)


# --- the public ----------------------------------------------------------------------------------


@require_GET
@cached_for_the_public
def public_list(request: HttpRequest) -> HttpResponse:
    """R18: the published typical cases, newest first, a page at a time."""
    page = selectors.public_page(request.GET.get("page"))
    context = {"page_obj": page, "rows": page.object_list}
    return render(request, "accountability/typical/public_list.html", context)


@require_GET
@cached_for_the_public
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """R18: one published typical case with its analysis and lesson; unpublished is a 404."""
    context = {"typical": selectors.public_typical(pk)}
    return render(request, "accountability/typical/public_detail.html", context)
