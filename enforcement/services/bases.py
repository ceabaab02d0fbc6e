"""The legal-basis register and the changes that oblige agencies to revise their lists (R2)."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from portal import scoping
from portal.roles import Role, role_of
from portal.text import refuse_code_in

from ..models import Agency, BasisChange, EnforcementDomain, LegalBasis, PowerItem, RevisionTask
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
def legal_basis_create(*, actor, domains: Iterable[EnforcementDomain] = (), **fields) -> LegalBasis:
    """Register a legal basis with the enforcement domains it governs. A date in the future or a
    basis in force before it is published is refused with the reason, and nothing is saved."""
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
    basis.domains.set(list(domains))
    return basis


@transaction.atomic
def legal_basis_update(
    *, basis: LegalBasis, actor, domains: Iterable[EnforcementDomain] | None = None, **fields
) -> LegalBasis:
    """Change a basis; `domains` (when given) replaces its domains. Once its enactment is
    recorded, a domain added later reaches that domain's agencies too (R2)."""
    _require_supervisor(actor)
    unknown = set(fields) - set(BASIS_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    basis = LegalBasis.objects.select_for_update().get(pk=basis.pk)
    for name, value in fields.items():
        setattr(basis, name, value)
    check_basis_dates(basis.published_on, basis.effective_on)
    if basis.published_on:
        _check_changes_still_follow(basis)
    refuse_code_in(basis, BASIS_FIELDS)
    basis.full_clean()
    basis._history_user = actor
    basis.save()
    if domains is not None:
        basis.domains.set(list(domains))
        enactment = basis.changes.filter(kind=BasisChange.Kind.ENACTED).first()
        if enactment is not None:
            _open_enactment_tasks(enactment)
    return basis


def _check_changes_still_follow(basis: LegalBasis) -> None:
    first = basis.changes.order_by("published_on").values_list("published_on", flat=True).first()
    if first is not None and first < basis.published_on:
        raise ValidationError(
            {
                "published_on": _("已登记该依据于 %(change)s 的变化，公布日期不能晚于该日期。")
                % {"change": f"{first:%Y-%m-%d}"}
            },
            code="changes_before_basis",
        )


def affected_items(change: BasisChange):
    """R2: the items a change obliges to revise: those citing the basis, or all of the agency's;
    withdrawn items are no longer on any list."""
    items = PowerItem.objects.exclude(status=PowerItem.Status.WITHDRAWN)
    if change.kind == BasisChange.Kind.FUNCTIONS_CHANGED:
        return items.filter(agency_id=change.agency_id)
    return items.filter(pk__in=change.basis.item_links.values("item_id"))


def reached_agencies(basis: LegalBasis) -> QuerySet[Agency]:
    """R2: the agencies a newly enacted basis reaches: every enforcement subject with a list of
    its own (a delegated organisation enforces in its delegating agency's name, R4) whose
    domains meet the basis's."""
    return (
        Agency.objects.filter(domains__legal_bases=basis)
        .exclude(kind=Agency.Kind.DELEGATED)
        .distinct()
    )


def _open_enactment_tasks(change: BasisChange) -> int:
    """One task per reached agency, due one month after the law's publication. Idempotent: the
    unique (change, agency) of agency tasks makes a repeated call, or a call after a domain was
    added, open only what is missing."""
    due = revision_due(change.published_on)
    tasks = [
        RevisionTask(
            change=change, agency_id=pk, due_on=due.deadline, due_provisional=due.provisional
        )
        for pk in reached_agencies(change.basis).values_list("pk", flat=True)
    ]
    RevisionTask.objects.bulk_create(tasks, batch_size=1000, ignore_conflicts=True)
    return len(tasks)


def check_change_date(published_on: date | None, basis: LegalBasis | None) -> None:
    """R2: a change is dated between its basis's publication and today, both included."""
    if published_on is None:
        raise ValidationError({"published_on": _("请填写变化的公布日期。")}, code="required")
    today = localdate()
    if published_on > today:
        raise ValidationError(
            {
                "published_on": _("公布日期不能晚于今天：填写的是 %(date)s，今天是 %(today)s。")
                % {"date": f"{published_on:%Y-%m-%d}", "today": f"{today:%Y-%m-%d}"}
            },
            code="future",
        )
    if basis is not None and published_on < basis.published_on:
        raise ValidationError(
            {
                "published_on": _(
                    "变化的公布日期 %(date)s 早于%(basis)s的公布日期 %(basis_date)s，请核对。"
                )
                % {
                    "date": f"{published_on:%Y-%m-%d}",
                    "basis": basis,
                    "basis_date": f"{basis.published_on:%Y-%m-%d}",
                }
            },
            code="before_basis",
        )


@transaction.atomic
def basis_change_record(
    *,
    kind: str,
    published_on: date | None,
    summary: str,
    actor,
    basis: LegalBasis | None = None,
    agency: Agency | None = None,
) -> BasisChange:
    """R2: record 立改废释 of a basis, or a change of an agency's functions, and open a revision
    task on every affected item, due one month after the publication date (Civil Code Art. 202,
    moved past rest days by Art. 203). An enactment (立) also opens one task on every agency of
    the domains the basis governs; it is dated the basis's publication (an empty date takes it).
    A change dated after today or before its basis was published is refused."""
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
    if kind == BasisChange.Kind.ENACTED:
        published_on = _enactment_date(basis, published_on)
    check_change_date(published_on, basis)

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
            change=change,
            item_id=pk,
            agency_id=agency_id,
            due_on=due.deadline,
            due_provisional=due.provisional,
        )
        for pk, agency_id in affected_items(change)
        .values_list("pk", "agency_id")
        .iterator(chunk_size=2000)
    ]
    # The unique (change, item) constraint makes a repeated call harmless.
    RevisionTask.objects.bulk_create(tasks, batch_size=1000, ignore_conflicts=True)
    if kind == BasisChange.Kind.ENACTED:
        _open_enactment_tasks(change)
    return change


def _enactment_date(basis: LegalBasis, published_on: date | None) -> date:
    """A basis is enacted when it is published: the one date its month is counted from."""
    if BasisChange.objects.filter(basis=basis, kind=BasisChange.Kind.ENACTED).exists():
        raise ValidationError(
            {"kind": _("%(basis)s的制定已经登记，不能重复登记。") % {"basis": basis}},
            code="enacted_twice",
        )
    if published_on is None:
        return basis.published_on
    if published_on != basis.published_on:
        raise ValidationError(
            {
                "published_on": _(
                    "制定的公布日期即该依据的公布日期 %(basis_date)s，填写的是 %(date)s。"
                )
                % {
                    "basis_date": f"{basis.published_on:%Y-%m-%d}",
                    "date": f"{published_on:%Y-%m-%d}",
                }
            },
            code="enactment_date",
        )
    return published_on
