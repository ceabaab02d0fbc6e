"""Reads of level jurisdiction (R10): the splits that apply to a region or an agency (public),
the splits a supervisor keeps, and the items whose level contradicts their agency's level or the
split of their domain (the supervisor's flags).

An item knows its domain through its agency: an item belongs to the enforcement domains of the
agency that exercises it (`Agency.domains`). An agency of several domains (综合行政执法) is
flagged for an item only when no domain's split allows the item's level for its category.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from portal.roles import Role, role_of
from portal.scoping import scope, visible_agencies

from ..models import Agency, LevelSplit, PowerItem, Region
from ..models.powers import Category, Level

# The level of the items an agency of each kind of region exercises (管委会: a city's level).
ITEM_LEVEL_OF_REGION = {
    Region.Level.PROVINCE: Level.PROVINCE,
    Region.Level.CITY: Level.CITY,
    Region.Level.COMMITTEE: Level.CITY,
    Region.Level.COUNTY: Level.COUNTY,
}


def _codes(path: str) -> list[str]:
    return [code for code in path.strip("/").split("/") if code]


def _with_relations(queryset: QuerySet[LevelSplit]) -> QuerySet[LevelSplit]:
    return queryset.select_related("region", "domain", "legal_basis")


# --- public: the split that applies --------------------------------------------------------------


def applicable_splits(region: Region, *, domains=None) -> list[LevelSplit]:
    """For each domain (of `domains`, a queryset or ids, else every domain), the split of
    `region` or of the nearest region above it; by domain name. One query."""
    codes = _codes(region.path)
    rows = LevelSplit.objects.filter(region__code__in=codes)
    if domains is not None:
        rows = rows.filter(domain__in=domains)
    depth = {code: index for index, code in enumerate(codes)}
    nearest: dict[int, LevelSplit] = {}
    for split in _with_relations(rows):
        kept = nearest.get(split.domain_id)
        if kept is None or depth[split.region.code] > depth[kept.region.code]:
            nearest[split.domain_id] = split
    return sorted(nearest.values(), key=lambda split: split.domain.name)


def item_level_of(agency: Agency) -> str:
    return ITEM_LEVEL_OF_REGION[agency.region.level]


# --- the supervisors' pages ----------------------------------------------------------------------


def kept_splits(*, user) -> QuerySet[LevelSplit]:
    """The splits `user` keeps (its region's and below; every one for the administrator),
    region by region."""
    rows = _with_relations(LevelSplit.objects.all()).order_by("region__path", "domain__name")
    if role_of(user) == Role.SYSADMIN:
        return rows
    if role_of(user) == Role.SUPERVISOR and user.region_id:
        return rows.filter(region__path__startswith=user.region.path)
    return rows.none()


def inherited_splits(*, user) -> list[LevelSplit]:
    """The splits regions above the supervisor's set, which apply to it too (read only)."""
    if role_of(user) != Role.SUPERVISOR or not user.region_id:
        return []
    above = _codes(user.region.path)[:-1]
    rows = LevelSplit.objects.filter(region__code__in=above)
    return list(_with_relations(rows).order_by("region__path", "domain__name"))


def kept_split(*, user, pk: int) -> LevelSplit:
    """One split `user` keeps (404 otherwise)."""
    return get_object_or_404(kept_splits(user=user), pk=pk)


def regions_kept_by(user) -> QuerySet[Region]:
    if role_of(user) == Role.SYSADMIN:
        return Region.objects.order_by("path")
    if role_of(user) == Role.SUPERVISOR and user.region_id:
        return Region.objects.filter(path__startswith=user.region.path).order_by("path")
    return Region.objects.none()


# --- the flags -----------------------------------------------------------------------------------


@dataclass
class _Rule:
    """What is wrong with an agency's items of a (level, category)."""

    misplaced: dict[tuple[str, str], tuple[LevelSplit, list[str]]] = field(default_factory=dict)


def _rule(splits: list[LevelSplit]) -> _Rule:
    """The (level, category) pairs that `splits` (one per domain of an agency) give to other
    levels only, each with a split that says so and the levels it allows."""
    rule = _Rule()
    levels = Level.values
    for category in Category.values:
        speaking = [s for s in splits if any(category in s.categories_of(lv) for lv in levels)]
        if not speaking:
            continue
        allowed = [lv for lv in levels if any(category in s.categories_of(lv) for s in speaking)]
        for level in levels:
            if level not in allowed:
                rule.misplaced[(level, category)] = (speaking[0], allowed)
    return rule


@dataclass
class LevelFlags:
    """The flagged items (a queryset to paginate) and why each one is flagged."""

    items: QuerySet[PowerItem]
    rules: dict[int, _Rule]

    def reasons(self, item: PowerItem) -> list[str]:
        found = []
        region = item.agency.region
        expected = ITEM_LEVEL_OF_REGION[region.level]
        levels, categories = dict(Level.choices), dict(Category.choices)
        if item.level != expected:
            found.append(
                _(
                    "事项的行使层级为“%(level)s”，但实施主体%(agency)s属于%(region)s"
                    "（%(region_level)s），应为“%(expected)s”。"
                )
                % {
                    "level": levels.get(item.level, item.level),
                    "agency": item.agency.name,
                    "region": region.name,
                    "region_level": region.get_level_display(),
                    "expected": levels[expected],
                }
            )
        rule = self.rules.get(item.agency_id)
        misplaced = rule.misplaced.get((item.level, item.category)) if rule else None
        if misplaced is not None:
            split, allowed = misplaced
            found.append(
                _(
                    "依%(region)s规定的%(domain)s领域级别管辖划分（%(basis)s），%(category)s由"
                    "%(allowed)s行使，本事项的行使层级为“%(level)s”。"
                )
                % {
                    "region": split.region.name,
                    "domain": split.domain.name,
                    "basis": split.basis_text,
                    "category": categories.get(item.category, item.category),
                    "allowed": "、".join(str(levels[level]) for level in allowed),
                    "level": levels.get(item.level, item.level),
                }
            )
        return found


# An item's level differs from the level of its agency's region.
LEVEL_MISMATCH = (
    (Q(level=Level.PROVINCE) & ~Q(agency__region__level=Region.Level.PROVINCE))
    | (
        Q(level=Level.CITY)
        & ~Q(agency__region__level__in=[Region.Level.CITY, Region.Level.COMMITTEE])
    )
    | (Q(level=Level.COUNTY) & ~Q(agency__region__level=Region.Level.COUNTY))
)


def _rules(user) -> dict[int, _Rule]:
    """For each agency `user` may see whose domains have a split that speaks of a category,
    what its items may not be. Three queries, whatever the number of agencies."""
    agencies = list(visible_agencies(user).values_list("pk", "region__path"))
    if not agencies:
        return {}
    domains: dict[int, list[int]] = defaultdict(list)
    through = Agency.domains.through.objects.filter(agency_id__in=visible_agencies(user))
    for agency_id, domain_id in through.values_list("agency_id", "enforcementdomain_id"):
        domains[agency_id].append(domain_id)
    codes = {code for _pk, path in agencies for code in _codes(path)}
    splits: dict[tuple[str, int], LevelSplit] = {
        (split.region.code, split.domain_id): split
        for split in _with_relations(LevelSplit.objects.filter(region__code__in=codes))
    }
    if not splits:
        return {}
    rules, memo = {}, {}
    for pk, path in agencies:
        key = (path, tuple(sorted(domains.get(pk, ()))))
        if key not in memo:
            nearest = []
            for domain_id in key[1]:
                found = next(
                    (
                        splits[(c, domain_id)]
                        for c in reversed(_codes(path))
                        if (c, domain_id) in splits
                    ),
                    None,
                )
                if found is not None:
                    nearest.append(found)
            memo[key] = _rule(nearest)
        if memo[key].misplaced:
            rules[pk] = memo[key]
    return rules


def _split_contradictions(rules: dict[int, _Rule]) -> Q:
    """Items of a (level, category) their agency's splits give to other levels only, grouped by
    the agencies that share the same pairs (one condition per group, not per agency)."""
    groups: dict[frozenset, list[int]] = defaultdict(list)
    for pk, rule in rules.items():
        groups[frozenset(rule.misplaced)].append(pk)
    condition = Q(pk__in=[])
    for pairs, pks in groups.items():
        either = Q(pk__in=[])
        for level, category in sorted(pairs):
            either |= Q(level=level, category=category)
        condition |= Q(agency_id__in=sorted(pks)) & either
    return condition


def level_flags(*, user) -> LevelFlags:
    """R10: the items (not withdrawn) of the agencies `user` may see whose level differs from
    their agency's, or that the split of their domain gives to another level; by region, agency
    and code."""
    rules = _rules(user)
    items = (
        scope(PowerItem.objects.exclude(status=PowerItem.Status.WITHDRAWN), user)
        .filter(LEVEL_MISMATCH | _split_contradictions(rules))
        .select_related("agency__region")
        .order_by("agency__region__path", "agency__name", "code", "pk")
    )
    return LevelFlags(items=items, rules=rules)
