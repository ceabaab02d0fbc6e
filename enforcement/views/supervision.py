"""Supervisors' pages: the legal-basis register, changes and revision tasks (R2), delegations (R4),
and the enforcement subjects that have no published list yet (R1).

Agency staff and the legal office see their own agency's open revision tasks on the task list.
"""

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from portal import scoping
from portal.roles import Role, role_of, role_required
from portal.service_forms import run_service

from ..models import (
    Agency,
    BasisChange,
    Delegation,
    EnforcementDomain,
    LegalBasis,
    PowerItem,
    RevisionTask,
)
from ..selectors.coverage import subjects_without_list
from ..services.bases import (
    BASIS_FIELDS,
    basis_change_record,
    check_basis_dates,
    legal_basis_create,
    legal_basis_update,
)
from ..services.delegations import delegation_clear, delegation_create
from ..services.revisions import REVISION_MONTHS, revision_task_close

PAGE_SIZE = 50
SUPERVISING = (Role.SUPERVISOR, Role.SYSADMIN)
TASK_READERS = (*SUPERVISING, Role.AGENCY_STAFF, Role.LEGAL_OFFICE)


class DateInput(forms.DateInput):
    input_type = "date"


class LegalBasisForm(forms.ModelForm):
    domains = forms.ModelMultipleChoiceField(
        label=gettext_lazy("执法领域"),
        queryset=EnforcementDomain.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("登记新制定的依据后，这些领域的执法主体将收到清单调整任务。"),
    )

    class Meta:
        model = LegalBasis
        fields = (*BASIS_FIELDS, "domains")
        widgets = {"published_on": DateInput, "effective_on": DateInput}

    def clean(self):
        # Before the model's constraint check, so that the message is the register's own.
        data = super().clean()
        try:
            check_basis_dates(data.get("published_on"), data.get("effective_on"))
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(field, errors)
        return data


class BasisChangeForm(forms.ModelForm):
    class Meta:
        model = BasisChange
        fields = ("kind", "basis", "agency", "published_on", "summary")
        widgets = {"published_on": DateInput, "summary": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "agency": gettext_lazy("仅“机构职能调整”须选择单位。"),
            "published_on": gettext_lazy(
                "不能早于该依据的公布日期，也不能晚于今天；登记“制定”时可不填，即该依据的公布日期。"
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = scoping.visible_agencies(user).select_related("region")
        # An enactment is dated by its basis: the service fills an empty date and refuses others.
        self.fields["published_on"].required = False

    def clean(self):
        # The service says which of the two is missing, in words, before the model's constraint.
        data = super().clean()
        if data.get("kind") == BasisChange.Kind.FUNCTIONS_CHANGED:
            if not data.get("agency") and "agency" not in self.errors:
                self.add_error("agency", _("机构职能调整须指明涉及的单位。"))
        elif data.get("kind") and not data.get("basis") and "basis" not in self.errors:
            self.add_error("basis", _("请选择发生变化的执法依据。"))
        if (
            data.get("kind")
            and data.get("kind") != BasisChange.Kind.ENACTED
            and not data.get("published_on")
            and "published_on" not in self.errors
        ):
            self.add_error("published_on", _("请填写变化的公布日期。"))
        return data


class DelegationForm(forms.Form):
    delegating_agency = forms.ModelChoiceField(label=gettext_lazy("委托机关"), queryset=None)
    delegated_organisation = forms.ModelChoiceField(label=gettext_lazy("受委托组织"), queryset=None)
    basis = forms.CharField(label=gettext_lazy("委托依据"), max_length=300)
    starts_on = forms.DateField(label=gettext_lazy("委托起始日期"), widget=DateInput)
    ends_on = forms.DateField(label=gettext_lazy("委托终止日期"), widget=DateInput, required=False)
    item_codes = forms.CharField(
        label=gettext_lazy("委托的事项编码"),
        help_text=gettext_lazy("委托机关的事项编码，多个以逗号、空格或换行分隔。"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = scoping.visible_agencies(user)
        self.fields["delegating_agency"].queryset = agencies.exclude(kind=Agency.Kind.DELEGATED)
        self.fields["delegated_organisation"].queryset = agencies.filter(kind=Agency.Kind.DELEGATED)

    def clean(self):
        data = super().clean()
        agency = data.get("delegating_agency")
        codes = set(re.split(r"[\s,，、；;]+", data.get("item_codes", "").strip())) - {""}
        items = []
        if agency and codes:
            items = list(
                PowerItem.objects.filter(agency=agency, code__in=codes).exclude(
                    status=PowerItem.Status.WITHDRAWN
                )
            )
            missing = sorted(codes - {item.code for item in items})
            if missing:
                self.add_error(
                    "item_codes",
                    _("委托机关没有这些事项：%(codes)s") % {"codes": "、".join(missing)},
                )
        data["items"] = items
        return data


class CloseTaskForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("关闭理由"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("关闭任务时必须写明理由。")},
    )


class ClearForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("清理原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("请填写清理原因。")},
    )


@role_required(*SUPERVISING)
def basis_list(request: HttpRequest) -> HttpResponse:
    bases = LegalBasis.objects.prefetch_related("domains")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        bases = bases.filter(
            Q(title__icontains=query) | Q(issuer__icontains=query) | Q(document_number=query)
        )
    page = Paginator(bases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "enforcement/supervision/basis_list.html", {"page": page, "q": query})


@role_required(*SUPERVISING)
def basis_create(request: HttpRequest) -> HttpResponse:
    form = LegalBasisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        basis = run_service(form, legal_basis_create, actor=request.user, **form.cleaned_data)
        if basis:
            messages.success(request, _("已登记执法依据%(basis)s。") % {"basis": basis})
            return redirect("enforcement:basis_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "enforcement/supervision/basis_form.html", {"form": form}, status=status)


@role_required(*SUPERVISING)
def basis_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # The register is shared by every region (laws are not owned by an agency).
    basis = get_object_or_404(LegalBasis, pk=pk)
    form = LegalBasisForm(request.POST or None, instance=basis)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form, legal_basis_update, basis=basis, actor=request.user, **form.cleaned_data
        )
        if saved:
            messages.success(request, _("已保存执法依据%(basis)s。") % {"basis": saved})
            return redirect("enforcement:basis_list")
    return render(
        request,
        "enforcement/supervision/basis_form.html",
        {"form": form, "basis": basis},
        status=400 if request.method == "POST" else 200,
    )


@role_required(*SUPERVISING)
def change_record(request: HttpRequest) -> HttpResponse:
    initial = {"basis": request.GET.get("basis")} if request.GET.get("basis") else None
    form = BasisChangeForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        change = run_service(form, basis_change_record, actor=request.user, **form.cleaned_data)
        if change:
            count = change.revision_tasks.count()
            messages.success(
                request,
                _("已登记%(change)s，并生成 %(count)s 项清单调整任务。")
                % {"change": change, "count": count},
            )
            return redirect("enforcement:revision_task_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "enforcement/supervision/change_form.html", {"form": form}, status=status
    )


@role_required(*TASK_READERS)
def revision_task_list(request: HttpRequest) -> HttpResponse:
    """Supervisors: the tasks of their region (open, or all). Staff: their agency's open tasks."""
    supervising = role_of(request.user) in SUPERVISING
    tasks = scoping.scope(RevisionTask.objects.all(), request.user)
    show_all = supervising and request.GET.get("status") == "all"
    if not show_all:
        tasks = tasks.filter(status=RevisionTask.Status.OPEN)
    tasks = tasks.select_related("item", "agency", "change__basis", "change__agency")
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "today": localdate(),
        "supervising": supervising,
        "show_all": show_all,
        "revision_months": REVISION_MONTHS,  # the link to how each due date was counted
    }
    return render(request, "enforcement/supervision/revision_task_list.html", context)


@role_required(*SUPERVISING)
def revision_task_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    """R2: a new law's task that asks nothing of the agency is closed by a supervisor of its
    region with the reason; an item's task is not closed here."""
    task = scoping.get_scoped_or_404(
        RevisionTask.objects.select_related("agency", "change__basis"), request.user, pk=pk
    )
    form = CloseTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        closed = run_service(
            form,
            revision_task_close,
            task=task,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
        if closed:
            messages.success(request, _("已关闭调整任务：%(task)s。") % {"task": closed})
            return redirect("enforcement:revision_task_list")
    return render(
        request,
        "enforcement/supervision/revision_task_close.html",
        {"form": form, "task": task},
        status=400 if request.method == "POST" else 200,
    )


@role_required(*SUPERVISING)
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    """R1: the enforcement subjects of the supervisor's region and below with no published
    list, each with whether it has items in preparation."""
    subjects = subjects_without_list(request.user)
    page = Paginator(subjects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "enforcement/supervision/coverage.html", {"page": page})


@role_required(*SUPERVISING)
def delegation_list(request: HttpRequest) -> HttpResponse:
    delegations = scoping.scope(
        Delegation.objects.all(), request.user, agency_field="delegating_agency"
    ).select_related("delegating_agency", "delegated_organisation")
    page = Paginator(delegations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "clear_form": ClearForm()}
    return render(request, "enforcement/supervision/delegation_list.html", context)


@role_required(*SUPERVISING)
def delegation_create_view(request: HttpRequest) -> HttpResponse:
    form = DelegationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = run_service(
            form,
            delegation_create,
            actor=request.user,
            delegating_agency=data["delegating_agency"],
            delegated_organisation=data["delegated_organisation"],
            basis=data["basis"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            items=data["items"],
        )
        if created:
            messages.success(request, _("已登记委托：%(delegation)s。") % {"delegation": created})
            return redirect("enforcement:delegation_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "enforcement/supervision/delegation_form.html", {"form": form}, status=status
    )


@role_required(*SUPERVISING)
def delegation_clear_view(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = scoping.get_scoped_or_404(
        Delegation.objects.all(), request.user, agency_field="delegating_agency", pk=pk
    )
    form = ClearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cleared = run_service(
            form,
            delegation_clear,
            delegation=delegation,
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
        if cleared:
            messages.success(request, _("已清理委托：%(delegation)s。") % {"delegation": cleared})
            return redirect("enforcement:delegation_list")
    return render(
        request,
        "enforcement/supervision/delegation_clear.html",
        {"form": form, "delegation": delegation},
        status=400 if request.method == "POST" else 200,
    )
