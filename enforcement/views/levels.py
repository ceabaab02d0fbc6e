"""Supervisors' pages of level jurisdiction (R10): the splits they keep (and those set above them
that apply), recording and changing a split, and the items flagged against their agency's level
or the split of their domain.

A supervisor keeps the splits of its region and the regions below; the administrator any. A
split out of scope is a 404; who may save one is asked before the body is read. Every write
goes through `enforcement.services.levels`; its refusal is shown in Chinese and nothing changes.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.roles import Role, role_required
from portal.service_forms import refused_status, through

from ..forms.levels import LevelSplitForm
from ..selectors import levels as selectors
from ..services.levels import level_split_check_permission, level_split_create, level_split_update

PAGE_SIZE = 50
SUPERVISING = (Role.SUPERVISOR, Role.SYSADMIN)


@role_required(*SUPERVISING)
@require_GET
def level_split_list(request: HttpRequest) -> HttpResponse:
    """The splits the user keeps, and those regions above it set, which apply to it too."""
    page = Paginator(selectors.kept_splits(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "inherited": selectors.inherited_splits(user=request.user)}
    return render(request, "enforcement/levels/split_list.html", context)


@role_required(*SUPERVISING)
@require_http_methods(["GET", "POST"])
def level_split_create_view(request: HttpRequest) -> HttpResponse:
    """R10: a region's split of one domain (the regions offered are those the user keeps; the
    service checks the one chosen again)."""
    regions = selectors.regions_kept_by(request.user)
    form = LevelSplitForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        split = through(
            form,
            level_split_create,
            actor=request.user,
            region=form.cleaned_data["region"],
            domain=form.cleaned_data["domain"],
            **form.service_kwargs(),
        )
        if split is not None:
            messages.success(request, _("已保存%(split)s的级别管辖划分。") % {"split": split})
            return redirect("enforcement:level_split_list")
    status = refused_status(form) if request.method == "POST" else 200
    return render(request, "enforcement/levels/split_form.html", {"form": form}, status=status)


@role_required(*SUPERVISING)
@require_http_methods(["GET", "POST"])
def level_split_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """R10: change what each level handles, the categories or the basis."""
    split = selectors.kept_split(user=request.user, pk=pk)
    if request.method == "POST":
        level_split_check_permission(actor=request.user, region=split.region)
    regions = selectors.regions_kept_by(request.user)
    form = LevelSplitForm(request.POST or None, regions=regions, split=split)
    if request.method == "POST" and form.is_valid():
        saved = through(
            form, level_split_update, actor=request.user, split=split, **form.service_kwargs()
        )
        if saved is not None:
            messages.success(request, _("已保存%(split)s的级别管辖划分。") % {"split": saved})
            return redirect("enforcement:level_split_list")
    status = refused_status(form) if request.method == "POST" else 200
    context = {"form": form, "split": split}
    return render(request, "enforcement/levels/split_form.html", context, status=status)


@role_required(*SUPERVISING)
@require_GET
def level_flag_list(request: HttpRequest) -> HttpResponse:
    """R10: the items of the user's region and below whose level contradicts their agency's
    level or the split of their domain, each with the reason."""
    flags = selectors.level_flags(user=request.user)
    page = Paginator(flags.items, PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.flag_reasons = flags.reasons(item)
    return render(request, "enforcement/levels/flag_list.html", {"page": page})
