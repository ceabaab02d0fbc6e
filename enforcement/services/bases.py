"""The legal-basis register and the changes that oblige agencies to revise their lists (R2)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from portal import scoping
from portal.roles import Role, role_of
from portal.text import refuse_code_in

from ..models import Agency, BasisChange, LegalBasis, PowerItem, RevisionTask
from .revisions import revision_due

BASIS_FIELDS = (
    "title",
    "issuer",
    "document_number",
    "level",
    "published_on",
    "effective_on",
    "status",
)

# What a recorded change does to the basis's own status; enactment and interpretation leave it.
STATUS_AFTER = {
    BasisChange.Kind.AMENDED: LegalBasis.Status.AMENDED,
    BasisChange.Kind.REPEALED: LegalBasis.Status.REPEALED,
}


def _require_supervisor(actor) -> None:
    if role_of(actor) not in (Role.SUPERVISOR, Role.SYSADMIN):
        raise ValidationError(_("只有政府法制监督人员可以维护执法依据库。"), code="forbidden")


def check_basis_dates(published_on: date | None, effective_on: date | None) -> None:
    if published_on and published_on > localdate():
        raise ValidationError({"published_on": _("公布日期不能晚于今天。")}, code="future")
    if published_on and effective_on and effective_on < published_on:
        raise ValidationError(
            {"effective_on": _("施行日期不能早于公布日期。")}, code="effective_before_published"
        )


@transaction.atomic
def legal_basis_create(*, actor, **fields) -> LegalBasis:
    """Register a legal basis. A date in the future or a basis in force before it is published
    is refused with the reason, and nothing is saved."""
    _require_supervisor(actor)
    unknown = set(fields) - set(BASIS_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    basis = LegalBasis(**fields)
    check_basis_dates(basis.published_on, basis.effective_on)
    refuse_code_in(basis, BASIS_FIELDS)
    basis.full_clean()
    basis._history_user = actor
    basis.save()
    return basis


@transaction.atomic
def legal_basis_update(*, basis: LegalBasis, actor, **fields) -> LegalBasis:
    _require_supervisor(actor)
    unknown = set(fields) - set(BASIS_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    basis = LegalBasis.objects.select_for_update().get(pk=basis.pk)
    for name, value in fields.items():
        setattr(basis, name, value)
    check_basis_dates(basis.published_on, basis.effective_on)
    refuse_code_in(basis, BASIS_FIELDS)
    basis.full_clean()
    basis._history_user = actor
    basis.save()
    return basis


def affected_items(change: BasisChange):
    """R2: the items a change obliges to revise: those citing the basis, or all of the agency's;
    withdrawn items are no longer on any list."""
    items = PowerItem.objects.exclude(status=PowerItem.Status.WITHDRAWN)
    if change.kind == BasisChange.Kind.FUNCTIONS_CHANGED:
        return items.filter(agency_id=change.agency_id)
    return items.filter(pk__in=change.basis.item_links.values("item_id"))


@transaction.atomic
def basis_change_record(
    *,
    kind: str,
    published_on: date,
    summary: str,
    actor,
    basis: LegalBasis | None = None,
    agency: Agency | None = None,
) -> BasisChange:
    """R2: record 立改废释 of a basis, or a change of an agency's functions, and open a revision
    task on every affected item, due one month after the publication date (Civil Code Art. 202,
    moved past rest days by Art. 203)."""
    _require_supervisor(actor)
    if kind == BasisChange.Kind.FUNCTIONS_CHANGED:
        if agency is None:
            raise ValidationError({"agency": _("机构职能调整须指明涉及的单位。")}, code="no_agency")
        if not scoping.can_supervise(actor, agency):
            raise ValidationError({"agency": _("该单位不在您的监督范围内。")}, code="out_of_scope")
        basis = None
    else:
        if basis is None:
            raise ValidationError({"basis": _("请选择发生变化的执法依据。")}, code="no_basis")
        agency = None
    if published_on and published_on > localdate():
        raise ValidationError({"published_on": _("公布日期不能晚于今天。")}, code="future")

    change = BasisChange(
        kind=kind,
        basis=basis,
        agency=agency,
        published_on=published_on,
        summary=(summary or "").strip(),
        recorded_by=actor,
    )
    change.full_clean()
    change.save()

    if basis is not None and kind in STATUS_AFTER:
        basis = LegalBasis.objects.select_for_update().get(pk=basis.pk)
        basis.status = STATUS_AFTER[kind]
        basis._history_user = actor
        basis.save()

    due = revision_due(published_on)
    tasks = [
        RevisionTask(
            change=change, item_id=pk, due_on=due.deadline, due_provisional=due.provisional
        )
        for pk in affected_items(change).values_list("pk", flat=True).iterator(chunk_size=2000)
    ]
    # The unique (change, item) constraint makes a repeated call harmless.
    RevisionTask.objects.bulk_create(tasks, batch_size=1000, ignore_conflicts=True)
    return change
