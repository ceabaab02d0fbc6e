"""Staff pages of the power list: drafts, the review queues, an item's timeline and versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import scoping
from portal.roles import Role, role_of

from ..forms import powers as forms
from ..models import PowerItem
from ..models.powers import Category
from ..selectors import staff as selectors
from ..services import power_items as services

PAGE_SIZE = 50
QUEUES = ("legal_queue", "supervisor_queue")


def _attach_errors(form, exc: ValidationError) -> None:
    """Put a service's errors on the form's fields where it has them, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    # The navigation offers each role only the queues it may open.
    return render(request, template, {**context, "role": role_of(request.user)}, status=status)


def _error_text(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


@login_required
@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    """The items of the agencies the user may see, filtered by status and name or code."""
    filters = forms.ItemFilterForm(request.GET)
    status = q = ""
    if filters.is_valid():
        status, q = filters.cleaned_data["status"], filters.cleaned_data["q"]
    items = selectors.staff_items(request.user, status=status, q=q)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "can_create": selectors.acting_agencies(request.user).exists(),
    }
    return _render(request, "enforcement/staff/item_list.html", context)


def _formsets(request, item: PowerItem | None):
    data = request.POST if request.method == "POST" else None
    if item is None:
        bases_initial = tiers_initial = None
    else:
        bases_initial = [
            {"basis": link.basis_id, "articles": link.articles}
            for link in selectors.item_bases(item)
        ]
        tiers_initial = [
            {
                "order": t.order,
                "circumstances": t.circumstances,
                "penalty": t.penalty,
                "fine_min": t.fine_min,
                "fine_max": t.fine_max,
            }
            for t in selectors.item_tiers(item)
        ]
    bases = forms.BasisFormSet(data, prefix="bases", initial=bases_initial)
    tiers = forms.TierFormSet(data, prefix="tiers", initial=tiers_initial)
    # One query for the register however many basis rows the form has.
    choices = list(forms.BasisForm.base_fields["basis"].choices)
    for form in bases.forms + [bases.empty_form]:
        form.fields["basis"].choices = choices
    return bases, tiers


def _edit(request: HttpRequest, item: PowerItem | None) -> HttpResponse:
    agencies = selectors.acting_agencies(request.user) if item is None else None
    if item is None and not agencies.exists():
        raise PermissionDenied(_("您无权编辑权责事项。"))
    if item is not None and not scoping.can_act_for(request.user, item.agency):
        raise PermissionDenied(_("您无权编辑该单位的权责事项。"))
    form = forms.PowerItemForm(
        request.POST if request.method == "POST" else None,
        instance=item,
        agencies=agencies,
    )
    bases, tiers = _formsets(request, item)
    if request.method == "POST" and all([form.is_valid(), bases.is_valid(), tiers.is_valid()]):
        links, tier_rows = forms.basis_links(bases), forms.tiers(tiers)
        try:
            with transaction.atomic():
                if item is None:
                    item = services.power_item_create(
                        agency=form.cleaned_data["agency"],
                        actor=request.user,
                        data=form.item_data(),
                        bases=links,
                        tiers=tier_rows,
                    )
                    messages.success(
                        request, _("草稿已保存：%(item)s。") % {"item": _item_label(item)}
                    )
                else:
                    item = services.power_item_update(
                        item=item,
                        actor=request.user,
                        data=form.item_data(),
                        bases=links,
                        tiers=tier_rows,
                    )
                    messages.success(
                        request, _("修改已保存：%(item)s。") % {"item": _item_label(item)}
                    )
            return redirect("enforcement:staff_item_detail", pk=item.pk)
        except ValidationError as exc:
            _attach_errors(form, exc)
    context = {
        "form": form,
        "bases": bases,
        "tiers": tiers,
        "item": item,
        "penalty": Category.PENALTY.value,
    }
    status = 400 if request.method == "POST" else 200
    return _render(request, "enforcement/staff/item_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.staff_item(request.user, pk)
    services.power_item_check_permission(actor=request.user, action="edit", agency=item.agency)
    if item.status not in PowerItem.EDITABLE:
        messages.error(
            request,
            _("事项当前状态为“%(status)s”，审核期间不能修改。")
            % {"status": item.get_status_display()},
        )
        return redirect("enforcement:staff_item_detail", pk=item.pk)
    return _edit(request, item)


@login_required
@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The item, its bases and tiers, its timeline, its versions, and the actions the user may
    take now."""
    item = selectors.staff_item(request.user, pk)
    user = request.user
    status = item.status
    context = {
        "item": item,
        "bases": selectors.item_bases(item),
        "tiers": selectors.item_tiers(item),
        "timeline": selectors.item_timeline(item),
        "versions": selectors.item_versions(item)[:100],
        "published": selectors.item_published(item),
        "can_edit": status in PowerItem.EDITABLE and scoping.can_act_for(user, item.agency),
        "can_submit": status in ("draft", "returned") and scoping.can_act_for(user, item.agency),
        "can_withdraw": status in PowerItem.EDITABLE and scoping.can_act_for(user, item.agency),
        "can_review": status == "submitted" and scoping.can_review_for(user, item.agency),
        "can_publish": status == "legal_passed" and scoping.can_supervise(user, item.agency),
        "can_pass_withdrawal": status == "withdrawing"
        and scoping.can_review_for(user, item.agency),
        "can_approve_withdrawal": status == "withdraw_passed"
        and scoping.can_supervise(user, item.agency),
        "withdrawal_reason": services.withdrawal_reason(item)
        if status in ("withdrawing", "withdraw_passed")
        else "",
        "reason_form": forms.ReasonForm(),
        "note_form": forms.NoteForm(),
        # Opened from a review queue: its decisions lead back there.
        "back": request.GET.get("from") if request.GET.get("from") in QUEUES else "",
    }
    return _render(request, "enforcement/staff/item_detail.html", context)


def _item_label(item: PowerItem) -> str:
    """“SP-001 食品经营许可（子项）”: how a confirmation names the item."""
    sub = f"（{item.sub_item}）" if item.sub_item else ""
    return f"{item.code} {item.name}{sub}"


def _transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one workflow action on a scoped item; a refusal comes back as a message."""
    item = selectors.staff_item(request.user, pk)
    note = forms.NoteForm(request.POST)
    reason = forms.ReasonForm(request.POST)
    note_text = note.cleaned_data["note"] if note.is_valid() else ""
    reason_text = reason.cleaned_data["reason"] if reason.is_valid() else ""
    # Each confirmation names what was done and to which item (a queue shows many).
    done = {
        "submit": _("已提交部门法制机构审核：%(item)s。"),
        "pass": _("已通过内部审核，报送政府法制部门：%(item)s。"),
        "return": _("已退回修改：%(item)s。"),
        "publish": _("已公布：%(item)s。"),
        "withdraw": _("已申请取消：%(item)s，待部门法制机构审核；批准前公众仍能看到该事项。"),
        "withdrawal_pass": _("已同意取消：%(item)s，报送政府法制部门审核。"),
        "withdrawal_approve": _("已批准取消：%(item)s，公众不再能看到该事项，取消原因已公开。"),
    }
    try:
        if action == "submit":
            services.power_item_submit(item=item, actor=request.user, note=note_text)
        elif action == "pass":
            services.power_item_pass(item=item, actor=request.user, note=note_text)
        elif action == "return":
            services.power_item_return(item=item, actor=request.user, reason=reason_text)
        elif action == "publish":
            services.power_item_publish(item=item, actor=request.user, note=note_text)
        elif action == "withdraw":
            services.power_item_withdraw(item=item, actor=request.user, reason=reason_text)
        elif action == "withdrawal_pass":
            services.power_item_withdraw_pass(item=item, actor=request.user, note=note_text)
        elif action == "withdrawal_approve":
            services.power_item_withdraw_approve(item=item, actor=request.user, note=note_text)
        else:  # pragma: no cover - the URLconf only routes the seven actions
            raise Http404
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, done[action] % {"item": _item_label(item)})
    back = request.POST.get("next", "")
    if back in QUEUES:
        return redirect(f"enforcement:staff_{back}")
    return redirect("enforcement:staff_item_detail", pk=item.pk)


@login_required
@require_POST
def item_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "submit")


@login_required
@require_POST
def item_pass(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "pass")


@login_required
@require_POST
def item_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "return")


@login_required
@require_POST
def item_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "publish")


@login_required
@require_POST
def item_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "withdraw")


@login_required
@require_POST
def item_withdrawal_pass(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "withdrawal_pass")


@login_required
@require_POST
def item_withdrawal_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "withdrawal_approve")


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.staff_item(request.user, pk)
    try:
        services.power_item_delete(item=item, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("enforcement:staff_item_detail", pk=item.pk)
    messages.success(request, _("草稿已删除：%(item)s。") % {"item": _item_label(item)})
    return redirect("enforcement:staff_item_list")


@login_required
@require_GET
def item_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two kept versions of the item side by side: only the fields that differ."""
    item = selectors.staff_item(request.user, pk)
    versions = selectors.item_versions(item)
    form = forms.CompareForm(request.GET)
    changes = older = newer = None
    if form.is_valid():
        picked = {
            v.history_id: v for v in versions.filter(history_id__in=form.cleaned_data.values())
        }
        a, b = picked.get(form.cleaned_data["a"]), picked.get(form.cleaned_data["b"])
        if a is None or b is None:
            form.add_error(None, _("请选择该事项的两个历史版本。"))
        else:
            older, newer = sorted((a, b), key=lambda v: (v.history_date, v.history_id))
            changes = selectors.version_changes(older, newer)
    context = {
        "item": item,
        "form": form,
        "versions": versions[:100],
        "older": older,
        "newer": newer,
        "changes": changes,
    }
    return _render(request, "enforcement/staff/item_compare.html", context)


def _queue(request: HttpRequest, items, *, title: str, action: str, queue: str) -> HttpResponse:
    """A review queue: each item links to its page, where it is read and then decided."""
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "title": title,
        "action": action,
        "queue": queue,
        "reason_form": forms.ReasonForm(),
        "note_form": forms.NoteForm(),
    }
    return _render(request, "enforcement/staff/queue.html", context)


@login_required
@require_GET
def legal_queue(request: HttpRequest) -> HttpResponse:
    """The agency legal office's inbox: submitted items awaiting internal review."""
    if role_of(request.user) != Role.LEGAL_OFFICE:
        raise PermissionDenied(_("只有部门法制机构可以查看该页面。"))
    return _queue(
        request,
        selectors.legal_review_queue(request.user),
        title=_("待法制机构审核"),
        action="pass",
        queue="legal_queue",
    )


@login_required
@require_GET
def supervisor_queue(request: HttpRequest) -> HttpResponse:
    """The supervisor's inbox: items of its region that passed internal review."""
    if role_of(request.user) not in (Role.SUPERVISOR, Role.SYSADMIN):
        raise PermissionDenied(_("只有政府法制监督人员可以查看该页面。"))
    return _queue(
        request,
        selectors.supervisor_queue(request.user),
        title=_("待政府法制部门审核公布"),
        action="publish",
        queue="supervisor_queue",
    )
