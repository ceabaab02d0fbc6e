"""Writes on the power-and-responsibility list: drafts, the review workflow, publication (R2, R3,
R7, R9).

The workflow: staff keep DRAFT (or RETURNED) items and submit them; the agency's legal office
passes (LEGAL_PASSED) or returns them; a supervisor of the agency's region publishes or returns
them. Editing a published item starts a revision: the working copy goes back to DRAFT while the
`PublishedPowerItem` stays public, unchanged, until the revision itself is published.

Withdrawing an item changes the public list too, so it takes the same path (R2): staff request
it with the reason the public will read (WITHDRAWAL_SUBMITTED), the legal office passes it
(WITHDRAWAL_PASSED) or returns it, a supervisor of the region approves it or returns it. Only the
approval takes the item off the public list and closes its revision tasks.

Every function locks the item row before looking at its status, so two clicks or two reviewers
racing cannot both move the item, and writes the timeline and the history with the actor.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import scoping
from portal.public_cache import public_cache_invalidate
from portal.text import refuse_code, refuse_code_in

from ..models import (
    Agency,
    DiscretionTier,
    LegalBasis,
    PowerItem,
    PowerItemBasis,
    PowerItemEvent,
    PublishedPowerItem,
)
from ..search import search_documents
from .discretion_trials import may_have_tiers
from .revisions import revision_tasks_close, revision_tasks_close_by_citation

# The fields staff write; the published copy carries the same ones.
CONTENT_FIELDS = (
    "code",
    "name",
    "sub_item",
    "category",
    "level",
    "handling_unit",
    "responsibilities",
    "accountability",
    "process",
    "remarks",
)
Status = PowerItem.Status
Kind = PowerItemEvent.Kind


@dataclass(frozen=True)
class BasisLink:
    """One legal basis of an item and the articles cited from it."""

    basis: LegalBasis
    articles: str = ""


@dataclass(frozen=True)
class Tier:
    """One tier of a penalty's discretion benchmark (R7), in the order given."""

    circumstances: str
    penalty: str
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None

    @classmethod
    def from_dict(cls, data: dict) -> "Tier":
        """From a form's or a serializer's cleaned data."""
        return cls(
            circumstances=data["circumstances"],
            penalty=data["penalty"],
            fine_min=data.get("fine_min"),
            fine_max=data.get("fine_max"),
        )


# --- permission checks: the selectors already hid what is out of scope; these refuse a role
# that can see an item but may not do this to it (a supervisor editing a draft, staff passing).


def _require_act(actor, agency: Agency) -> None:
    if not scoping.can_act_for(actor, agency):
        raise PermissionDenied(_("您无权编辑该单位的权责事项。"))


def _require_review(actor, agency: Agency) -> None:
    if not scoping.can_review_for(actor, agency):
        raise PermissionDenied(_("只有本单位法制机构可以审核该事项。"))


def _require_supervise(actor, agency: Agency) -> None:
    if not scoping.can_supervise(actor, agency):
        raise PermissionDenied(_("只有该地区的政府法制部门可以审核公布该事项。"))


def _require_return(actor, agency: Agency) -> None:
    if not (scoping.can_review_for(actor, agency) or scoping.can_supervise(actor, agency)):
        raise PermissionDenied(_("只有本单位法制机构或该地区的政府法制部门可以退回该事项。"))


_MAY = {
    "create": _require_act,
    "edit": _require_act,
    "delete": _require_act,
    "submit": _require_act,
    "withdraw": _require_act,
    "pass": _require_review,
    "return": _require_return,
    "publish": _require_supervise,
    "withdrawal_pass": _require_review,
    "withdrawal_approve": _require_supervise,
}


def power_item_check_permission(*, actor, action: str, agency: Agency) -> None:
    """PermissionDenied unless `actor` may take `action` on the items of `agency`: what the
    services below check first, asked by pages and the API before they read a request's body,
    so that nobody learns the shape of a body they may not send."""
    _MAY[action](actor, agency)


def _locked(item: PowerItem) -> PowerItem:
    return PowerItem.objects.select_for_update().select_related("agency__region").get(pk=item.pk)


def _refuse(item: PowerItem, message: str) -> None:
    raise ValidationError(message % {"status": item.get_status_display()}, code="wrong_status")


def _save(item: PowerItem, actor) -> None:
    """Validate and save with history; a code already used in the agency is a form error."""
    clash = PowerItem.objects.filter(agency_id=item.agency_id, code=item.code).exclude(pk=item.pk)
    if clash.exists():
        raise ValidationError(
            {"code": _("本单位已有编码为“%(code)s”的事项，请使用其他编码。") % {"code": item.code}}
        )
    refuse_code_in(item, CONTENT_FIELDS)
    item.full_clean(validate_constraints=False)
    item._history_user = actor
    try:
        with transaction.atomic():  # a savepoint: a racing insert of the same code loses cleanly
            item.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"code": _("本单位已有编码为“%(code)s”的事项，请使用其他编码。") % {"code": item.code}}
        ) from exc


def _event(item: PowerItem, kind: str, actor, note: str = "", public: bool = False) -> None:
    PowerItemEvent.objects.create(item=item, kind=kind, actor=actor, note=note, public=public)


def _set_bases(item: PowerItem, bases: list[BasisLink]) -> None:
    seen: set[int] = set()
    for link in bases:
        if link.basis.pk in seen:
            raise ValidationError(
                _("依据%(basis)s重复列出，请合并为一条并列明条款。") % {"basis": link.basis}
            )
        seen.add(link.basis.pk)
    item.bases.all().delete()
    rows = [PowerItemBasis(item=item, basis=b.basis, articles=b.articles.strip()) for b in bases]
    for row in rows:
        row.full_clean(exclude=["item"], validate_constraints=False)
    PowerItemBasis.objects.bulk_create(rows)


def _refuse_tiers() -> None:
    raise ValidationError(
        _(
            "只有行政处罚事项，以及所在地区参加裁量权基准试点的行政许可、行政强制事项，"
            "可以设置裁量基准（R7）。"
        ),
        code="no_tiers",
    )


def _set_tiers(item: PowerItem, tiers: list[Tier]) -> None:
    if tiers and not may_have_tiers(item):
        _refuse_tiers()
    rows = []
    for order, tier in enumerate(tiers, start=1):
        row = DiscretionTier(
            item=item,
            order=order,
            circumstances=tier.circumstances.strip(),
            penalty=tier.penalty.strip(),
            fine_min=tier.fine_min,
            fine_max=tier.fine_max,
        )
        if row.fine_min is not None and row.fine_max is not None and row.fine_min > row.fine_max:
            raise ValidationError(_("裁量基准第%(order)d档的罚款下限高于上限。") % {"order": order})
        refuse_code_in(row, ("circumstances", "penalty"))
        row.full_clean(exclude=["item"], validate_constraints=False)
        rows.append(row)
    item.discretion_tiers.all().delete()
    DiscretionTier.objects.bulk_create(rows)


def _bases_text(item: PowerItem) -> str:
    return "；".join(
        f"{link.basis}{link.articles}" for link in item.bases.select_related("basis").order_by("pk")
    )


def _tiers_text(item: PowerItem) -> str:
    return "；".join(
        f"{tier.order}. {tier.circumstances}：{tier.penalty}"
        for tier in item.discretion_tiers.order_by("order")
    )


# --- drafts


@transaction.atomic
def power_item_create(
    *,
    agency: Agency,
    actor,
    data: dict,
    bases: list[BasisLink] | None = None,
    tiers: list[Tier] | None = None,
) -> PowerItem:
    """A new draft of `agency`'s list, with its bases and (for penalties) discretion tiers."""
    _require_act(actor, agency)
    refuse_own_list(agency)
    item = PowerItem(agency=agency, status=Status.DRAFT, has_unpublished_changes=True)
    for field in CONTENT_FIELDS:
        if field in data:
            setattr(item, field, data[field])
    if "delegation" in data:
        item.delegation = data["delegation"]
    _check_delegation(item)
    _save(item, actor)
    _set_bases(item, bases or [])
    _set_tiers(item, tiers or [])
    _event(item, Kind.CREATED, actor)
    return item


def refuse_own_list(agency: Agency, *, field: str | None = "agency") -> None:
    """R1, R4: a delegated organisation enforces in its delegating agency's name, so the items
    it enforces are on the delegating agency's list (三(三)), never on a list of its own."""
    if agency.kind == Agency.Kind.DELEGATED:
        message = _(
            "%(agency)s是受委托组织，以委托机关名义执法，不单独编制权责清单；"
            "请在委托机关的清单中登记事项并注明委托执法。"
        ) % {"agency": agency}
        raise ValidationError({field: message} if field else message, code="delegated")


def _check_delegation(item: PowerItem) -> None:
    # R4: a delegated item names a delegation the item's own agency gave, not someone else's.
    if item.delegation is not None and item.delegation.delegating_agency_id != item.agency_id:
        raise ValidationError({"delegation": _("只能选择本单位作为委托机关的委托执法。")})


@transaction.atomic
def power_item_update(
    *,
    item: PowerItem,
    actor,
    data: dict,
    bases: list[BasisLink] | None = None,
    tiers: list[Tier] | None = None,
) -> PowerItem:
    """Change a draft, a returned item, or a published one (which starts a revision).

    `bases` and `tiers` replace the item's when given; None leaves them as they are.
    """
    item = _locked(item)
    _require_act(actor, item.agency)
    if item.status not in PowerItem.EDITABLE:
        _refuse(item, _("事项当前状态为“%(status)s”，审核期间不能修改。"))
    for field in CONTENT_FIELDS:
        if field in data:
            setattr(item, field, data[field])
    if "delegation" in data:
        item.delegation = data["delegation"]
    _check_delegation(item)
    revision = item.status == Status.PUBLISHED
    item.status = Status.DRAFT if revision else item.status
    item.has_unpublished_changes = True
    _save(item, actor)
    # Bases and tiers live in their own tables, outside the item's versions: the timeline says
    # how they changed, so that the record of the item stays complete.
    notes = [_("开始修订已公布的事项。")] if revision else []
    if bases is not None:
        before = _bases_text(item)
        _set_bases(item, bases)
        if _bases_text(item) != before:
            notes.append(_("执法依据调整为：%(bases)s") % {"bases": _bases_text(item) or "—"})
    if tiers is not None:
        before = _tiers_text(item)
        _set_tiers(item, tiers)
        if _tiers_text(item) != before:
            notes.append(_("裁量基准调整为：%(tiers)s") % {"tiers": _tiers_text(item) or "—"})
    elif item.discretion_tiers.exists() and not may_have_tiers(item):
        _refuse_tiers()
    _event(item, Kind.EDITED, actor, "\n".join(notes))
    return item


def _ever_published(item: PowerItem) -> bool:
    return (
        PublishedPowerItem.objects.filter(item=item).exists()
        or item.timeline.filter(kind=Kind.PUBLISHED).exists()
    )


@transaction.atomic
def power_item_delete(*, item: PowerItem, actor) -> None:
    """Delete a draft that was never published; a published item is withdrawn instead."""
    item = _locked(item)
    _require_act(actor, item.agency)
    if item.status not in (Status.DRAFT, Status.RETURNED) or _ever_published(item):
        raise ValidationError(
            _("只能删除从未公布过的草稿；已公布的事项请填写原因后取消。"), code="wrong_status"
        )
    item._history_user = actor
    item.delete()


# --- the review workflow


@transaction.atomic
def power_item_submit(*, item: PowerItem, actor, note: str = "") -> PowerItem:
    """Staff send a draft to the agency's legal office. A second click changes nothing."""
    item = _locked(item)
    _require_act(actor, item.agency)
    if item.status == Status.SUBMITTED:
        return item
    if item.status not in (Status.DRAFT, Status.RETURNED):
        _refuse(item, _("事项当前状态为“%(status)s”，不能提交审核。"))
    if not item.bases.exists():
        raise ValidationError(_("请先添加至少一项执法依据，再提交审核。"), code="no_basis")
    item.status = Status.SUBMITTED
    _save(item, actor)
    _event(item, Kind.SUBMITTED, actor, note.strip())
    return item


@transaction.atomic
def power_item_pass(*, item: PowerItem, actor, note: str = "") -> PowerItem:
    """The agency's legal office passes the internal review: on to the supervisor."""
    item = _locked(item)
    _require_review(actor, item.agency)
    if item.status == Status.LEGAL_PASSED:
        return item
    if item.status != Status.SUBMITTED:
        _refuse(item, _("事项当前状态为“%(status)s”，不是待法制机构审核的事项。"))
    item.status = Status.LEGAL_PASSED
    _save(item, actor)
    _event(item, Kind.LEGAL_PASSED, actor, note.strip())
    return item


@transaction.atomic
def power_item_return(*, item: PowerItem, actor, reason: str) -> PowerItem:
    """Send the item back to staff, with the reason: the legal office returns a submitted item,
    a supervisor an item that passed internal review."""
    item = _locked(item)
    _require_return(actor, item.agency)  # who may return anything, before the item's state
    if item.status in (Status.SUBMITTED, Status.WITHDRAWAL_SUBMITTED):
        _require_review(actor, item.agency)
    elif item.status in (Status.LEGAL_PASSED, Status.WITHDRAWAL_PASSED):
        _require_supervise(actor, item.agency)
    else:
        _refuse(item, _("事项当前状态为“%(status)s”，没有可退回的审核。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("退回时必须写明理由。")})
    if item.status in (Status.WITHDRAWAL_SUBMITTED, Status.WITHDRAWAL_PASSED):
        # The withdrawal is refused: the item stays as it was before the request, on the public
        # list if it was there.
        item.status = Status.DRAFT if item.has_unpublished_changes else Status.PUBLISHED
        reason = _("取消申请被退回：%(reason)s") % {"reason": reason}
    else:
        item.status = Status.RETURNED
    _save(item, actor)
    _event(item, Kind.RETURNED, actor, reason)
    return item


def _bases_snapshot(item: PowerItem) -> list[dict]:
    return [
        {
            "title": link.basis.title,
            "document_number": link.basis.document_number,
            "level": link.basis.level,
            "articles": link.articles,
            "issuer": link.basis.issuer,
            "status": link.basis.status,
        }
        for link in item.bases.select_related("basis").order_by("pk")
    ]


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _discretion_snapshot(item: PowerItem) -> list[dict]:
    return [
        {
            "order": tier.order,
            "circumstances": tier.circumstances,
            "penalty": tier.penalty,
            "fine_min": _money(tier.fine_min),
            "fine_max": _money(tier.fine_max),
        }
        for tier in item.discretion_tiers.order_by("order")
    ]


def _delegation_snapshot(item: PowerItem) -> dict | None:
    d = item.delegation
    if d is None:
        return None
    return {
        "delegating_agency": d.delegating_agency.name,
        "delegated_organisation": d.delegated_organisation.name,
        "basis": d.basis,
        "starts_on": d.starts_on.isoformat(),
        "ends_on": d.ends_on.isoformat() if d.ends_on else None,
    }


def publish_summary(item: PowerItem, snapshot: dict) -> str:
    """What a publication changes for the public, from the fields of the last published copy."""
    old = PublishedPowerItem.objects.filter(item=item).first()
    if old is None:
        return _("首次公布。")
    labels = {f.name: str(f.verbose_name) for f in PublishedPowerItem._meta.fields}
    changed = [labels[name] for name, value in snapshot.items() if getattr(old, name) != value]
    if not changed:
        return _("重新公布，内容未变。")
    return _("修改了：%(fields)s。") % {"fields": "、".join(changed)}


@transaction.atomic
def power_item_publish(*, item: PowerItem, actor, note: str = "") -> PublishedPowerItem:
    """A supervisor of the region publishes an item that passed internal review (R3, R9).

    The published copy is replaced in one statement, so the public sees either the old version
    or the new one; the public timeline says what changed; open revision tasks close (R2).
    """
    item = _locked(item)
    _require_supervise(actor, item.agency)
    if item.status != Status.LEGAL_PASSED:
        _refuse(
            item,
            _("事项当前状态为“%(status)s”，只有通过部门法制机构审核的事项才能公布。"),
        )
    if item.delegation_id:
        item = PowerItem.objects.select_related(
            "agency__region", "delegation__delegating_agency", "delegation__delegated_organisation"
        ).get(pk=item.pk)
    # The stored search text and labels are Chinese whatever language the supervisor browses in.
    with translation.override("zh-hans"):
        category_label = str(item.get_category_display())
    bases = _bases_snapshot(item)
    snapshot = {field: getattr(item, field) for field in CONTENT_FIELDS}
    snapshot |= {
        "agency": item.agency,
        "region_path": item.agency.region.path,
        "bases": bases,
        "discretion": _discretion_snapshot(item),
        "delegation": _delegation_snapshot(item),
    }
    summary = (note or "").strip() or publish_summary(item, snapshot)
    snapshot["named_delegation"] = item.delegation
    snapshot |= search_documents(
        code=item.code,
        name=item.name,
        sub_item=item.sub_item,
        category_label=category_label,
        handling_unit=item.handling_unit,
        responsibilities=item.responsibilities,
        accountability=item.accountability,
        bases=bases,
        discretion=snapshot["discretion"],
        agency_name=item.agency.name,
    )
    public_cache_invalidate()
    published, _created = PublishedPowerItem.objects.update_or_create(
        item=item, defaults={**snapshot, "published_at": timezone.now()}
    )
    item.status = Status.PUBLISHED
    item.has_unpublished_changes = False
    _save(item, actor)
    _event(item, Kind.PUBLISHED, actor, summary, public=True)
    revision_tasks_close(item=item, actor=actor, note=summary)
    revision_tasks_close_by_citation(item=item, actor=actor)
    return published


# --- withdrawal, reviewed like a publication (R2)


@transaction.atomic
def power_item_withdraw(*, item: PowerItem, actor, reason: str) -> PowerItem:
    """Staff request the withdrawal of an item, saying why (the public will read the reason).
    The item stays as it is, on the public list if it was published, until a supervisor
    approves; a second request changes nothing. An item under review must leave review first."""
    item = _locked(item)
    _require_act(actor, item.agency)
    if item.status in (Status.WITHDRAWAL_SUBMITTED, Status.WITHDRAWAL_PASSED, Status.WITHDRAWN):
        return item
    if item.status not in PowerItem.EDITABLE:
        _refuse(item, _("事项当前状态为“%(status)s”，审核结束后才能申请取消。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("取消事项时必须写明原因。")})
    refuse_code(reason, label=_("取消原因"), field="reason")  # the public will read it
    item.status = Status.WITHDRAWAL_SUBMITTED
    _save(item, actor)
    _event(item, Kind.WITHDRAWAL_REQUESTED, actor, reason)
    return item


@transaction.atomic
def power_item_withdraw_pass(*, item: PowerItem, actor, note: str = "") -> PowerItem:
    """The agency's legal office agrees to a requested withdrawal: on to the supervisor."""
    item = _locked(item)
    _require_review(actor, item.agency)
    if item.status == Status.WITHDRAWAL_PASSED:
        return item
    if item.status != Status.WITHDRAWAL_SUBMITTED:
        _refuse(item, _("事项当前状态为“%(status)s”，不是申请取消待法制机构审核的事项。"))
    item.status = Status.WITHDRAWAL_PASSED
    _save(item, actor)
    _event(item, Kind.WITHDRAWAL_PASSED, actor, note.strip())
    return item


def withdrawal_reason(item: PowerItem) -> str:
    """The reason of the latest withdrawal request, which the public will read."""
    event = item.timeline.filter(kind=Kind.WITHDRAWAL_REQUESTED).order_by("-at", "-pk").first()
    return event.note if event else ""


@transaction.atomic
def power_item_withdraw_approve(*, item: PowerItem, actor, note: str = "") -> PowerItem:
    """A supervisor of the region approves a withdrawal the legal office passed: the public no
    longer sees the item but reads the reason in the item's public history, and its open
    revision tasks close (R2). A second click changes nothing."""
    item = _locked(item)
    _require_supervise(actor, item.agency)
    if item.status == Status.WITHDRAWN:
        return item
    if item.status != Status.WITHDRAWAL_PASSED:
        _refuse(
            item,
            _("事项当前状态为“%(status)s”，只有法制机构同意取消的事项才能批准取消。"),
        )
    note = (note or "").strip()
    refuse_code(note, label=_("取消说明"), field="note")  # published with the reason
    reason = withdrawal_reason(item)
    public_note = "\n".join(part for part in (reason, note) if part)
    PublishedPowerItem.objects.filter(item=item).delete()
    public_cache_invalidate()
    item.status = Status.WITHDRAWN
    item.has_unpublished_changes = False
    _save(item, actor)
    _event(item, Kind.WITHDRAWN, actor, public_note, public=True)
    revision_tasks_close(item=item, actor=actor, note=reason)
    return item
