"""R10: the province / city / county split of each enforcement domain (级别管辖), kept by the
supervisors (government legal offices) of the region that sets it.

A supervisor keeps the splits of its region and of the regions below it; the administrator any.
The public pages show the split that applies to a region (its own or the nearest above), so every
save retires the cached public pages.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.public_cache import public_cache_invalidate
from portal.roles import Role, role_of
from portal.text import clean_text

from ..models import EnforcementDomain, LegalBasis, LevelSplit, Region
from ..models.powers import Category, Level

SCOPE_MAX = 2000
BASIS_MAX = 300


def level_split_check_permission(*, actor, region: Region) -> None:
    """PermissionDenied unless `actor` may keep the splits of `region`: what the service
    checks first, asked by the pages before they read a request's body."""
    role = role_of(actor)
    if role == Role.SYSADMIN:
        return
    if role == Role.SUPERVISOR and actor.region_id and region.is_within(actor.region):
        return
    raise PermissionDenied(_("只有本地区或上级地区的政府法制部门可以规定级别管辖划分（R10）。"))


def _categories(values, level: Level) -> list[str]:
    chosen = list(dict.fromkeys(values or []))
    unknown = [value for value in chosen if value not in Category.values]
    if unknown:
        raise ValidationError(
            {f"{level.value}_categories": _("请从列出的职权类别中选择。")}, code="invalid"
        )
    return [value for value in Category.values if value in chosen]  # the list's order


def _fill(split: LevelSplit, *, scopes: dict, categories: dict, legal_basis, basis_document):
    errors = {}
    for level in Level:
        name = f"{level.value}_scope"
        label = _("%(level)s管辖的事项") % {"level": level.label}
        try:
            value = clean_text(
                scopes.get(level.value), label=label, max_length=SCOPE_MAX, required=False
            )
        except ValidationError as exc:
            errors[name] = exc.messages
            continue
        setattr(split, name, value)
        chosen = _categories(categories.get(level.value), level)
        if chosen and not value:
            errors[name] = [
                _("选择了%(level)s行使的职权类别，请写明%(level)s管辖的事项。")
                % {"level": level.label}
            ]
        setattr(split, f"{level.value}_categories", chosen)
    if errors:
        raise ValidationError(errors)
    if not (split.province_scope or split.city_scope or split.county_scope):
        raise ValidationError(_("请至少写明一个层级管辖的事项。"), code="empty")
    split.legal_basis = legal_basis
    split.basis_document = clean_text(
        basis_document,
        field="basis_document",
        label=_("划分依据"),
        max_length=BASIS_MAX,
        required=False,
    )
    if split.legal_basis is None and not split.basis_document:
        raise ValidationError(
            {"basis_document": _("请选择法律依据，或写明规定级别管辖的文件及其文号。")}
        )


def _save(split: LevelSplit, actor) -> LevelSplit:
    split.updated_by = actor
    split.full_clean(validate_constraints=False)
    split._history_user = actor
    try:
        with transaction.atomic():  # a savepoint: a racing insert of the same pair loses cleanly
            split.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"domain": _("本地区已经规定了该领域的级别管辖划分，请修改原有划分。")}
        ) from exc
    public_cache_invalidate()
    return split


@transaction.atomic
def level_split_create(
    *,
    actor,
    region: Region,
    domain: EnforcementDomain,
    scopes: dict[str, str],
    categories: dict[str, list[str]],
    legal_basis: LegalBasis | None = None,
    basis_document: str = "",
) -> LevelSplit:
    """R10: a region's split of one domain: what each level handles (`scopes`, by level), the
    categories of power each level exercises (`categories`, by level) and the basis."""
    level_split_check_permission(actor=actor, region=region)
    if LevelSplit.objects.filter(region=region, domain=domain).exists():
        raise ValidationError(
            {"domain": _("本地区已经规定了该领域的级别管辖划分，请修改原有划分。")}
        )
    split = LevelSplit(region=region, domain=domain)
    _fill(
        split,
        scopes=scopes,
        categories=categories,
        legal_basis=legal_basis,
        basis_document=basis_document,
    )
    return _save(split, actor)


@transaction.atomic
def level_split_update(
    *,
    actor,
    split: LevelSplit,
    scopes: dict[str, str],
    categories: dict[str, list[str]],
    legal_basis: LegalBasis | None = None,
    basis_document: str = "",
) -> LevelSplit:
    """R10: change what each level handles, the categories or the basis (region and domain stay:
    another pair is another split)."""
    split = LevelSplit.objects.select_for_update().select_related("region").get(pk=split.pk)
    level_split_check_permission(actor=actor, region=split.region)
    _fill(
        split,
        scopes=scopes,
        categories=categories,
        legal_basis=legal_basis,
        basis_document=basis_document,
    )
    return _save(split, actor)
