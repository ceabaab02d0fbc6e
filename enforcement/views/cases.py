"""Staff pages of enforcement cases (R6): the list, opening a case, one case with its stages,
records and timeline, and the writes on it (add a record, correct one, advance the stage).

Agency staff and the legal office read and act for their own agencies; supervisors read their
region and below; administrators read everything. Every write goes through a service in
`enforcement.services.cases`; its refusal is shown and nothing changes. Files are served
through storage to those who may read the case, never from a public URL.

In the review-and-decision stage the page carries the case's decision (R5, R7): staff draft and
revise it, submit a major one to the legal office and issue it; the legal office reviews it from
its queue (/cases/reviews/). The review form is shown, and its post accepted, only to those who
review for the case's agency; it carries the draft version the reviewer read. Staff or the legal
office mark a decision major with a reason; only the legal office takes the mark off. Every
review stays on the page, those that disagreed included, with the draft it was of.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.pagination import CappedPaginator
from portal.params import is_object_id
from portal.roles import Role, role_required
from portal.scoping import can_act_for, can_review_for
from portal.service_forms import refused_status, through

from ..forms import cases as forms
from ..models import Case, Decision
from ..selectors import cases as selectors
from ..selectors.staff import acting_agencies
from ..services.cases import case_advance, case_open, case_record_add, case_record_correct
from ..services.decisions import (
    criteria_for,
    decision_issue,
    decision_mark_major,
    decision_save,
    decision_submit,
    decision_unmark_major,
    legal_review_record,
)
from .case_page import case_page, refused

PAGE_SIZE = 50
READERS = (Role.AGENCY_STAFF, Role.LEGAL_OFFICE, Role.SUPERVISOR, Role.SYSADMIN)
ACTORS = (Role.AGENCY_STAFF, Role.LEGAL_OFFICE)


@role_required(*READERS)
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases the user may read, newest first, searched by stage, agency, party and number."""
    search = forms.CaseFilter(
        request.GET or None, user=request.user, queryset=selectors.cases_for(user=request.user)
    )
    page = CappedPaginator(search.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enforcement/cases/list.html",
        {
            "form": search.form,
            "page": page,
            "may_open": acting_agencies(request.user).exists(),
            "searched": bool(request.GET.get("party") or request.GET.get("number")),
        },
    )


@role_required(*ACTORS)
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    """R6, stage 1 (立案): a case under one of the user's agency's published items."""
    agencies = acting_agencies(request.user).order_by("name")
    wanted = (request.POST or request.GET).get("agency")
    if wanted and not agencies.filter(pk=wanted if is_object_id(wanted) else 0).exists():
        raise PermissionDenied(_("只有本单位的执法人员可以办理本单位的案件。"))
    if not agencies.exists():
        raise PermissionDenied(_("您的账号没有可办理案件的单位。"))
    form = forms.CaseOpenForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        case = through(form, case_open, actor=request.user, **form.service_kwargs())
        if case is not None:
            messages.success(request, _("已立案：%(case)s。") % {"case": case})
            return redirect(case)
    status = refused_status(form) if request.method == "POST" else 200
    return render(request, "enforcement/cases/new.html", {"form": form}, status=status)


@role_required(*READERS)
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One case: its stages, facts, parties, officers, records and timeline."""
    return case_page(request, selectors.case_for(user=request.user, pk=pk))


def _actable(request: HttpRequest, pk: int) -> Case:
    """The case, if the user may read it (404 otherwise) and act for its agency (403)."""
    case = selectors.case_for(user=request.user, pk=pk)
    if not can_act_for(request.user, case.agency):
        raise PermissionDenied(_("只有本单位的执法人员可以办理本单位的案件。"))
    return case


@role_required(*ACTORS)
@require_POST
def record_add(request: HttpRequest, pk: int) -> HttpResponse:
    """R6: a record of the case's current stage, its file checked by content."""
    case = _actable(request, pk)
    form = forms.RecordAddForm(request.POST, request.FILES, case=case, prefix="add")
    if form.is_valid():
        record = through(form, case_record_add, case=case, actor=request.user, **form.cleaned_data)
        if record is not None:
            messages.success(request, _("已添加记录“%(title)s”。") % {"title": record.title})
            return redirect(case)
    return refused(request, pk, "add", form, _("添加记录"))


@role_required(*ACTORS)
@require_POST
def record_correct(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    """R6: a new version of a record, with its reason; the old version stays visible."""
    case = _actable(request, pk)
    record = selectors.record_for(user=request.user, case_pk=case.pk, pk=rid)
    form = forms.RecordCorrectForm(request.POST, request.FILES, record=record)
    if form.is_valid():
        correction = through(
            form, case_record_correct, record=record, actor=request.user, **form.cleaned_data
        )
        if correction is not None:
            messages.success(
                request,
                _("已更正为第 %(version)s 版。") % {"version": correction.version},
            )
            return redirect(case)
    return refused(request, pk, f"correct-{record.pk}", form, _("更正"))


@role_required(*ACTORS)
@require_POST
def advance(request: HttpRequest, pk: int) -> HttpResponse:
    """R6: on to the next stage, once the current one holds a record."""
    case = _actable(request, pk)
    form = forms.AdvanceForm(request.POST, prefix="advance")
    if form.is_valid():
        moved = through(form, case_advance, case=case, actor=request.user, **form.cleaned_data)
        if moved is not None:
            messages.success(
                request, _("已进入“%(stage)s”阶段。") % {"stage": moved.get_stage_display()}
            )
            return redirect(case)
    return refused(request, pk, "advance", form, _("进入下一阶段"))


@role_required(*READERS)
@require_GET
def record_file(request: HttpRequest, pk: int, rid: int) -> FileResponse:
    """A record's file, through storage, always as a download, to those who may read the case."""
    record = selectors.record_for(user=request.user, case_pk=pk, pk=rid)
    return FileResponse(
        record.file.open("rb"),
        as_attachment=True,
        filename=record.original_name,
        content_type=record.content_type,
    )


# --- the decision (R5, R7) ----------------------------------------------------------------------


def _decision(case: Case) -> Decision:
    decision = Decision.objects.filter(case=case).first()
    if decision is None:
        raise Http404(_("本案尚未拟定执法决定。"))
    return decision


@role_required(*ACTORS)
@require_POST
def decision_save_view(request: HttpRequest, pk: int) -> HttpResponse:
    """R7: draft or revise the decision, naming the discretion tier it applies; R5: tick the
    catalogue's grounds, with a reason, to mark it major."""
    case = _actable(request, pk)
    form = forms.DecisionForm(
        request.POST,
        case=case,
        decision=Decision.objects.filter(case=case).first(),
        grounds=criteria_for(case).ground_choices(),
    )
    if form.is_valid():
        saved = through(form, decision_save, case=case, actor=request.user, **form.cleaned_data)
        if saved is not None:
            if saved.is_major:
                messages.warning(
                    request,
                    _(
                        "已保存%(case)s的执法决定（第 %(version)s 稿）。"
                        "该决定属于重大执法决定（%(reasons)s），须提交法制审核。"
                    )
                    % {
                        "case": case,
                        "version": saved.draft_version,
                        "reasons": "；".join(saved.major_reasons),
                    },
                )
            else:
                messages.success(
                    request,
                    _("已保存%(case)s的执法决定（第 %(version)s 稿）。")
                    % {"case": case, "version": saved.draft_version},
                )
            return redirect(f"{case.get_absolute_url()}#decision")
    return refused(request, pk, "decision", form, _("执法决定"))


@role_required(*ACTORS)
@require_POST
def decision_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """R5: a major decision goes to the agency's legal office."""
    case = _actable(request, pk)
    form = forms.ActionForm(request.POST)
    if through(form, decision_submit, decision=_decision(case), actor=request.user):
        messages.success(request, _("已提交法制审核：%(case)s的执法决定。") % {"case": case})
        return redirect(f"{case.get_absolute_url()}#decision")
    return refused(request, pk, "submit", form, _("执法决定"))


@role_required(*ACTORS)
@require_POST
def decision_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    """R5: issue the decision; a major one only after the latest legal review agreed."""
    case = _actable(request, pk)
    form = forms.ActionForm(request.POST)
    if through(form, decision_issue, decision=_decision(case), actor=request.user):
        messages.success(request, _("已作出执法决定：%(case)s。") % {"case": case})
        return redirect(f"{case.get_absolute_url()}#decision")
    return refused(request, pk, "issue", form, _("执法决定"))


@role_required(*ACTORS)
@require_POST
def decision_mark_view(request: HttpRequest, pk: int) -> HttpResponse:
    """R5: staff or the legal office mark the decision major, with a reason."""
    case = selectors.case_for(user=request.user, pk=pk)
    if not (can_act_for(request.user, case.agency) or can_review_for(request.user, case.agency)):
        raise PermissionDenied(_("只有本单位的执法人员或法制审核机构可以认定重大执法决定。"))
    decision = _decision(case)
    form = forms.MarkMajorForm(request.POST, grounds=criteria_for(case).ground_choices())
    if form.is_valid():
        marked = through(
            form, decision_mark_major, decision=decision, actor=request.user, **form.cleaned_data
        )
        if marked is not None:
            messages.warning(
                request, _("已认定为重大执法决定，须提交法制审核，经审核同意后才能作出。")
            )
            return redirect(f"{case.get_absolute_url()}#decision")
    return refused(request, pk, "mark", form, _("认定为重大执法决定"))


@role_required(*ACTORS)
@require_POST
def decision_unmark_view(request: HttpRequest, pk: int) -> HttpResponse:
    """R5: only the legal office takes the mark off, with a reason."""
    case = selectors.case_for(user=request.user, pk=pk)
    if not can_review_for(request.user, case.agency):
        raise PermissionDenied(_("只有本单位的法制审核机构可以取消重大执法决定的认定（R5）。"))
    decision = _decision(case)
    form = forms.UnmarkMajorForm(request.POST)
    if form.is_valid():
        unmarked = through(
            form, decision_unmark_major, decision=decision, actor=request.user, **form.cleaned_data
        )
        if unmarked is not None:
            if unmarked.is_major:
                messages.warning(
                    request,
                    _("已取消人工认定；该决定仍属重大执法决定（%(reasons)s）。")
                    % {"reasons": "；".join(unmarked.major_reasons)},
                )
            else:
                messages.success(request, _("已取消人工认定，该决定不属于重大执法决定。"))
            return redirect(f"{case.get_absolute_url()}#decision")
    return refused(request, pk, "unmark", form, _("取消认定"))


@role_required(*READERS)
@require_POST
def review_record(request: HttpRequest, pk: int) -> HttpResponse:
    """R5: the legal office's review: five checks, a conclusion and its reasons."""
    case = selectors.case_for(user=request.user, pk=pk)
    if not can_review_for(request.user, case.agency):
        raise PermissionDenied(_("只有本单位的法制审核机构可以审核。"))
    decision = _decision(case)
    form = forms.LegalReviewForm(request.POST)
    if form.is_valid():
        review = through(
            form, legal_review_record, decision=decision, actor=request.user, **form.cleaned_data
        )
        if review is not None:
            messages.success(
                request,
                _("已记录法制审核意见：%(conclusion)s。")
                % {"conclusion": review.get_conclusion_display()},
            )
            return redirect(reverse("cases:reviews"))
    return refused(request, pk, "review", form, _("法制审核"))


@role_required(Role.LEGAL_OFFICE)
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    """R5: the decisions awaiting the user's legal review, oldest submission first."""
    rows = selectors.decisions_awaiting_review(user=request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "enforcement/cases/reviews.html", {"page": page})
