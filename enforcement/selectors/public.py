"""What the public may read: published items only, and the public facts of regions and agencies.

The public never reads working copies (`PowerItem`): a draft under revision cannot hide or leak
into what was published (R3, R9). Every list here costs a fixed number of queries whatever the
data size, and never counts a huge result set: counts stop at `COUNT_CAP`.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from portal.params import is_ascii_int, is_object_id

from ..lookups import BigramSearch  # also registers the bigram_search lookup
from ..models import (
    Agency,
    Delegation,
    LegalBasis,
    PowerItem,
    PowerItemEvent,
    PublishedPowerItem,
    Region,
)
from ..models.powers import Category, Level

# Counting every match of 许可 among 200,000 items costs more than the page itself; above this
# many the page says "more than 100" and asks for a narrower search (the export has them all).
COUNT_CAP = 100
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Deep OFFSET pages get slower with depth; the export gives the whole result set instead.
MAX_PAGE = 100
EXPORT_LIMIT_XLSX = 50_000

# The order is total: a published copy's code is unique within its agency (copied from the
# working copy's unique constraint); on PostgreSQL the `published_item_list_order` index gives it.
ORDER = ("region_path", "agency_id", "code")


# What a result list shows: the long texts stay on disk until someone opens the item.
LIST_FIELDS = (
    "code",
    "name",
    "sub_item",
    "category",
    "level",
    "region_path",
    "handling_unit",
    "published_at",
    "agency__name",
    "delegation",  # R4: a delegated item's row names the organisation and the basis
)


def published_items() -> QuerySet[PublishedPowerItem]:
    """Every published item, with its agency, in browse order (region, agency, code)."""
    return PublishedPowerItem.objects.select_related("agency").order_by(*ORDER)


def published_list() -> QuerySet[PublishedPowerItem]:
    """The same, with only the columns a result list shows."""
    return published_items().only(*LIST_FIELDS)


def export_items() -> QuerySet[PublishedPowerItem]:
    """The same, with every column an export writes (not the search text)."""
    return published_items().defer(
        "search_document", "search_title", "search_bases", "discretion", "agency__address"
    )


def search(queryset: QuerySet[PublishedPowerItem], q: str) -> QuerySet[PublishedPowerItem]:
    """Items whose texts hold every phrase of `q` (see `enforcement.lookups`)."""
    return queryset.filter(search_document__bigram_search=q) if q.strip() else queryset


def ranked(queryset: QuerySet[PublishedPowerItem], q: str) -> list[QuerySet]:
    """R3: the matches of `q` in rank order, each tier in list order: those whose name or sub-item
    holds the query, then those whose legal bases hold it, then the rest (`queryset` is already
    the search's result). Without a query, the list as it is.

    The first tier does not test the full text again: it holds the code, the name and the
    sub-item in that order, so a phrase of the title is always one of it, and testing it read
    the item's largest column for every row whose name matched (0.6-1.1 s for 的处罚)."""
    return list(_tiers(queryset, q))


def _tiers(queryset: QuerySet, q: str, *, start: int = 0) -> Iterator[QuerySet]:
    """`ranked`'s tiers from the `start`th on, each built only when the search gets to it."""
    if not (q or "").strip():
        yield queryset
        return
    title, bases = Q(search_title__bigram_search=q), Q(search_bases__bigram_search=q)
    tiers = (
        lambda: _without_full_text(queryset, q).filter(title),
        lambda: queryset.filter(bases).exclude(title),
        lambda: queryset.exclude(title).exclude(bases),
    )
    for tier in tiers[start:]:
        yield tier()


def _without_full_text(queryset: QuerySet, q: str) -> QuerySet:
    """`queryset` without its full-text search for `q` (`search`), its other filters kept."""
    clone = queryset.all()
    where = clone.query.where
    if where.connector == "AND" and not where.negated:
        where.children = [
            child
            for child in where.children
            if not (
                isinstance(child, BigramSearch)
                and child.lhs.target.name == "search_document"
                and child.rhs == q
            )
        ]
    return clone


def region_by_code_or_id(value: str) -> Region:
    """A region named by its division code or its id (the code wins: codes are what people
    write); a ValidationError with a Chinese message when there is none."""
    value = value.strip()
    if len(value) > 12 or not is_object_id(value):
        raise ValidationError(_("行政区划应为区划代码或数字编号。"), code="invalid")
    found = sorted(
        Region.objects.filter(Q(code=value) | Q(pk=int(value))), key=lambda r: r.code != value
    )
    if not found:
        raise ValidationError(_("没有这个行政区划。"), code="unknown")
    return found[0]


@dataclass
class CappedPage:
    """One page of a result set whose total is counted only up to `COUNT_CAP`."""

    number: int
    per_page: int
    items: list = field(default_factory=list)
    count: int = 0  # exact unless count_capped
    count_capped: bool = False
    has_next: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.items else 0


def page_number(raw: str | None) -> int:
    """The requested page, or a ValidationError in Chinese for nonsense and absurd numbers."""
    if raw in (None, ""):
        return 1
    if not is_ascii_int(raw, minimum=1, maximum=MAX_PAGE):
        raise ValidationError(
            _("页码应为 1 至 %(max)d 之间的整数；结果较多时请缩小查询范围或导出全部结果。"),
            code="bad_page",
            params={"max": MAX_PAGE},
        )
    return int(raw)


def capped_page(
    queryset: QuerySet, number: int, per_page: int = PAGE_SIZE, *, q: str = ""
) -> CappedPage:
    """One page of a result list in a fixed number of queries, whatever the data size.

    The keys of the matches are read in rank order (`ranked`: each tier in list order, stopping
    once the reads hold the count cap or the end of this page, see `_first_keys`), which answers
    both the page and the capped count: a phrase that PostgreSQL must recheck row by row is
    searched once, not twice. One more query reads this page's rows by key.
    """
    offset = (number - 1) * per_page
    end = max(COUNT_CAP + 1, offset + per_page + 1)
    searching = bool((q or "").strip())
    # The title tier has a way of its own (`_title_keys`); the later tiers are built and probed
    # only when the earlier ones did not fill the page and the count.
    keys = _title_keys(_without_full_text(queryset, q), q, end) if searching else []
    for tier in _tiers(queryset, q, start=1 if searching else 0):
        if len(keys) >= end:
            break
        keys += _first_keys(tier.select_related(None), end - len(keys))
    page = CappedPage(number=number, per_page=per_page)
    page.has_next = len(keys) > offset + per_page
    page.count, page.count_capped = min(len(keys), COUNT_CAP), len(keys) > COUNT_CAP
    page.items = page_rows(keys[offset : offset + per_page])
    return page


@dataclass(slots=True)
class AgencyBrief:
    id: int
    name: str


@dataclass(slots=True)
class ResultRow:
    """One row of a result list: the columns of LIST_FIELDS as read, with no model built for
    it or its agency (building 20 of each cost more than reading them); `decorate_rows` fills
    in the rest."""

    pk: int
    code: str
    name: str
    sub_item: str
    category: str
    level: str
    region_path: str
    handling_unit: str
    published_at: object
    agency_id: int
    delegation: object
    agency_name: str
    page_url: str = ""
    agency_url: str = ""
    category_label: str = ""
    level_label: str = ""
    delegated: dict | None = None
    published_on: str = ""

    @property
    def agency(self) -> AgencyBrief:
        return AgencyBrief(self.agency_id, self.agency_name)


# ResultRow's columns: LIST_FIELDS', the agency by its key (its name is read below).
ROW_COLUMNS = ("pk", *("agency_id" if name == "agency__name" else name for name in LIST_FIELDS))


def page_rows_query(keys: list[int]) -> QuerySet:
    """The rows of `keys` (any order) as ResultRow's columns. The agency's name is read by key
    for each row: joining the agencies made PostgreSQL hash the whole table for 20 rows."""
    agency_name = Agency.objects.filter(pk=OuterRef("agency_id")).order_by().values("name")
    return (
        PublishedPowerItem.objects.filter(pk__in=keys)
        .order_by()
        .annotate(agency_name=Subquery(agency_name))
        .values_list(*ROW_COLUMNS, "agency_name")
    )


def page_rows(keys: list[int]) -> list[ResultRow]:
    """The result rows of `keys`, in that order, in one query (none for no keys)."""
    if not keys:
        return []
    names = (*ROW_COLUMNS, "agency_name")
    by_key = {
        row[0]: ResultRow(**dict(zip(names, row, strict=True))) for row in page_rows_query(keys)
    }
    return [by_key[key] for key in keys if key in by_key]


# How many matches of a tier are gathered without order before they are sorted (`_first_keys`).
PROBE = 1000


def _first_keys(queryset: QuerySet, count: int, *, in_order=None) -> list[int]:
    """The keys of the first `count` rows of `queryset` in list order, without reading the whole
    list in order to find a few rare matches.

    Under a small LIMIT the planner walks the list in order and tests each row, which is quick
    when matches are many and reads every item when they are few (3.1 s for a phrase that held
    in no item's other texts): how many there are is what it cannot estimate for phrases. So up
    to PROBE matches are first gathered in any order (the subquery's LIMIT keeps the planner on
    the inverted index) and sorted: when there are fewer, that set is the answer; only a tier
    with more matches is read in list order: by `in_order` if given (the title tier's walk,
    `_title_keys`), else with ORDER BY and LIMIT as before (the planner chooses the walk or a
    sort of every match; a walk is long when the matches lie late in list order).
    """
    if count <= 0:
        return []
    # A probe never shorter than `count`: a tier read in order has `count` matches, so at most
    # one tier of a page costs the second query.
    limit = max(PROBE, count)
    probe = queryset.order_by().values_list("pk", *ORDER)[:limit]
    sql, params = probe.query.sql_with_params()
    order = ", ".join(connection.ops.quote_name(column) for column in ORDER)
    with connection.cursor() as cursor:
        # The ORM's own SQL for the probe, wrapped; column names are constants, values are bound.
        key = connection.ops.quote_name("pk")
        statement = f"SELECT probe.{key}, COUNT(*) OVER () FROM ({sql}) probe ORDER BY {order}"  # noqa: S608
        cursor.execute(f"{statement} LIMIT %s", (*params, count))
        rows = cursor.fetchall()
    if not rows or rows[0][1] < limit:
        return [pk for pk, _total in rows]
    if in_order is not None:
        return in_order()
    return list(queryset.values_list("pk", flat=True)[:count])


# Titles indexed for the walk (migration 0030): a btree entry holds at most 2,704 bytes.
WALK_TITLE_BYTES = 1000
# The walk's own LIMIT, beyond any list's length (`_walk_titles` says why it has one).
WALK_FENCE = 10**9


def _title_keys(base: QuerySet, q: str, count: int) -> list[int]:
    """The keys of the first `count` items whose title holds `q`, in list order (`base`: the
    search's other filters).

    `_first_keys`' probe answers a word that few titles hold. When it finds more than PROBE
    (thousands of titles hold 许可 or 经营管理), the first matches lie early in the list: they
    are read by walking the list in order through `published_item_title_walk`, which holds each
    title's vector, so no item's row is read (1-10 ms where reading them from the table took
    10-110 ms at 200,000 items; bench/power_search.py). The walk is not tried first: for a rare
    word it would read the whole list."""
    title = base.select_related(None).filter(search_title__bigram_search=q)
    if connection.vendor != "postgresql":
        return _first_keys(title, count)
    return _first_keys(title, count, in_order=lambda: _walk_titles(base, q, count))


def _walk_titles(base: QuerySet, q: str, count: int) -> list[int]:
    """The first `count` title matches in list order: the walk through the short titles until
    it has found them, beside every long title that matches (the walk's index cannot hold those;
    `published_item_long_title` lists them)."""
    base = base.select_related(None).alias(
        title_bytes=Func(F("search_title"), function="OCTET_LENGTH", output_field=IntegerField())
    )
    # A LIMIT keeps the test of the title outside the walk (without one, PostgreSQL moves it
    # inside and reads the matches from the inverted index); the outer LIMIT ends the walk.
    walk = (
        base.filter(title_bytes__lte=WALK_TITLE_BYTES)
        .annotate(hit=BigramSearch(F("search_title"), q))
        .order_by(*ORDER)
        .values_list("pk", *ORDER, "hit")[:WALK_FENCE]
    )
    long = (
        base.filter(title_bytes__gt=WALK_TITLE_BYTES, search_title__bigram_search=q)
        .order_by()
        .values_list("pk", *ORDER)
    )
    walk_sql, walk_params = walk.query.sql_with_params()
    long_sql, long_params = long.query.sql_with_params()
    columns = ", ".join(connection.ops.quote_name(column) for column in ("pk", *ORDER))
    order = ", ".join(connection.ops.quote_name(column) for column in ORDER)
    statement = (  # the ORM's own SQL, wrapped; names are constants, values are bound
        f"SELECT found.pk FROM ("  # noqa: S608
        f"(SELECT {columns} FROM ({walk_sql}) walk WHERE walk.hit LIMIT %s)"
        f" UNION ALL (SELECT {columns} FROM ({long_sql}) long)"
        f") found ORDER BY {order} LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, (*walk_params, count, *long_params, count))
        return [pk for (pk,) in cursor.fetchall()]


def _prefix(url_name: str) -> str:
    return reverse(url_name, args=[1]).removesuffix("1/")


def decorate_rows(items) -> None:
    """Links and labels of a result list, resolved once per page rather than once per row: with
    {% url %} and get_FOO_display in the loop, rendering cost more than the search."""
    item_url, agency_url = _prefix("enforcement:public-item"), _prefix("enforcement:public-agency")
    categories, levels = dict(Category.choices), dict(Level.choices)
    for item in items:
        item.page_url = f"{item_url}{item.pk}/"
        item.agency_url = f"{agency_url}{item.agency_id}/"
        item.category_label = categories.get(item.category, item.category)
        item.level_label = levels.get(item.level, item.level)
        item.delegated = delegation_of(item)
        # The date in the portal's time zone, as the date filter would show it, computed here.
        item.published_on = localtime(item.published_at).date().isoformat()


# --- One item -----------------------------------------------------------------------------------


MAX_ID = 2**63 - 1  # a larger id in a URL names nothing (and would overflow the database)


def _existing_id(pk: int) -> int:
    if pk > MAX_ID:
        raise Http404
    return pk


def published_item(pk: int) -> PublishedPowerItem:
    """A published item for its public page, or 404 (a withdrawn item is no longer there)."""
    pk = _existing_id(pk)
    return get_object_or_404(PublishedPowerItem.objects.select_related("agency__region"), pk=pk)


def public_history(item: PublishedPowerItem) -> QuerySet[PowerItemEvent]:
    """The public change history: publications and withdrawals with their notes, newest first."""
    return PowerItemEvent.objects.filter(item_id=item.item_id, public=True).order_by("-at", "-pk")


def _text(entry: dict, *keys: str) -> str:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, dict):
            value = value.get("name")
        if value not in (None, ""):
            return str(value)
    return ""


def _title(text: str) -> str:
    return text if not text or text.startswith("《") else f"《{text}》"


def _basis_level(value: str) -> str:
    return str(LegalBasis.Level(value).label) if value in LegalBasis.Level.values else value


def bases_of(item: PublishedPowerItem) -> list[dict]:
    """The snapshot's legal bases (title in 《》, document number, articles, level), tolerant of
    older snapshots that spelled the keys differently."""
    return [
        {
            "title": _title(_text(entry, "title", "basis_title", "basis", "name")),
            "document_number": _text(entry, "document_number", "number"),
            "articles": _text(entry, "articles", "article"),
            "level": _basis_level(_text(entry, "level")),
        }
        for entry in item.bases or []
        if isinstance(entry, dict)
    ]


def discretion_of(item: PublishedPowerItem) -> list[dict]:
    """R7: the snapshot's discretion tiers in their order."""
    tiers = [entry for entry in item.discretion or [] if isinstance(entry, dict)]
    tiers.sort(key=lambda entry: entry.get("order") or 0)
    return [
        {
            "order": entry.get("order") or index,
            "circumstances": _text(entry, "circumstances"),
            "penalty": _text(entry, "penalty"),
            "fine_min": _text(entry, "fine_min"),
            "fine_max": _text(entry, "fine_max"),
        }
        for index, entry in enumerate(tiers, start=1)
    ]


def delegation_of(item: PublishedPowerItem) -> dict | None:
    """R4: who enforces a delegated item and on which basis."""
    entry = item.delegation
    if not isinstance(entry, dict) or not entry:
        return None
    return {
        "organisation": _text(
            entry, "delegated_organisation_name", "delegated_organisation", "organisation"
        ),
        "basis": _text(entry, "basis"),
        "starts_on": _text(entry, "starts_on"),
        "ends_on": _text(entry, "ends_on"),
    }


# --- Regions and agencies -----------------------------------------------------------------------


def top_regions() -> QuerySet[Region]:
    """Where browsing starts: the provinces and the regions right under them."""
    levels = [Region.Level.PROVINCE, Region.Level.CITY, Region.Level.COMMITTEE]
    return Region.objects.filter(level__in=levels).only("name", "code", "level", "path")


def region_by_code(code: str) -> Region:
    return get_object_or_404(Region, code=code)


def region_ancestors(region: Region) -> list[Region]:
    """The breadcrumb: province first, `region` last (one query, from the materialised path)."""
    codes = [code for code in region.path.split("/") if code]
    return list(Region.objects.filter(code__in=codes).order_by("path"))


def region_children(region: Region) -> QuerySet[Region]:
    return region.children.order_by("code")


def region_agencies(region: Region) -> QuerySet[Agency]:
    """The agencies seated in `region` itself, each with its number of published items."""
    return (
        Agency.objects.filter(region=region)
        .annotate(published_count=Count("published_items"))
        .order_by("name")
    )


def public_agency(pk: int) -> Agency:
    """An agency's public facts (name, region, address, supervision phone): every enforcement
    subject is public (R1); what it may do is read from its published items only."""
    pk = _existing_id(pk)
    return get_object_or_404(Agency.objects.select_related("region"), pk=pk)


def received_delegations(organisation: Agency) -> list[Delegation]:
    """R1, R4: a delegated organisation has no list of its own; its page points to the lists of
    the agencies whose active delegations it enforces under."""
    return list(
        Delegation.objects.filter(
            delegated_organisation=organisation, status=Delegation.Status.ACTIVE
        )
        .select_related("delegating_agency")
        .order_by("starts_on", "pk")
    )


def withdrawn_history(agency: Agency) -> QuerySet[PowerItemEvent]:
    """R2, R3: the public history of the agency's withdrawn items (they have no public page any
    more): each approved withdrawal with its date and reason, newest first."""
    return (
        PowerItemEvent.objects.filter(
            item__agency=agency,
            item__status=PowerItem.Status.WITHDRAWN,
            kind=PowerItemEvent.Kind.WITHDRAWN,
            public=True,
        )
        .select_related("item")
        .only("at", "note", "item__code", "item__name", "item__sub_item")
        .order_by("-at", "-pk")
    )


def delegation_catalogue(agency: Agency) -> list[Delegation]:
    """R4: the agency's active delegations, each with its published items as `.published_items`
    (two queries whatever the number of delegations)."""
    delegations = list(
        Delegation.objects.filter(delegating_agency=agency, status=Delegation.Status.ACTIVE)
        .select_related("delegated_organisation")
        .order_by("starts_on", "pk")
    )
    items = (
        PublishedPowerItem.objects.filter(item__delegation__in=delegations)
        .annotate(delegation_pk=F("item__delegation_id"))
        .only("id", "code", "name", "sub_item")
        .order_by("code")
    )
    by_delegation: dict[int, list[PublishedPowerItem]] = {}
    for item in items if delegations else []:
        by_delegation.setdefault(item.delegation_pk, []).append(item)
    for delegation in delegations:
        delegation.published_items = by_delegation.get(delegation.pk, [])
    return delegations


# --- An agency's public overview (R9) -----------------------------------------------------------


def public_agency_with_ancestors(pk: int) -> tuple[Agency, list[Region]]:
    """An agency and its region's breadcrumb in one query: the tree is at most province, city,
    county deep, so the region's parents come with the agency (one more query only for a deeper
    tree), each with its catalogue of major decisions, if it keeps one (R5)."""
    pk = _existing_id(pk)
    criteria = "major_decision_criteria"
    agency = get_object_or_404(
        Agency.objects.select_related(
            f"region__{criteria}",
            f"region__parent__{criteria}",
            f"region__parent__parent__{criteria}",
        ),
        pk=pk,
    )
    chain, region = [], agency.region
    for _depth in range(3):
        chain.append(region)
        if region.parent_id is None:
            return agency, chain[::-1]
        region = region.parent
    return agency, region_ancestors(agency.region)


@dataclass
class AgencyOverview:
    """What the public may know of an agency's powers, gathered from its published list (R9):
    authority is the list itself; here the bases, procedures and discretion benchmarks."""

    bases: list[dict] = field(default_factory=list)
    procedures: list[dict] = field(default_factory=list)
    benchmarks: list[dict] = field(default_factory=list)
    delegations: list[Delegation] = field(default_factory=list)


def agency_overview(agency: Agency) -> AgencyOverview:
    """The agency's published items read once (two queries with its delegation catalogue),
    whatever their number: bases de-duplicated, items sharing a procedure grouped under it, the
    tiers of every item that has a benchmark, and the catalogue's items (R4)."""
    items = list(
        PublishedPowerItem.objects.filter(agency=agency)
        .annotate(delegation_pk=F("item__delegation_id"))
        .only("id", "code", "name", "sub_item", "bases", "discretion", "process")
        .order_by("code", "pk")
    )
    overview = AgencyOverview(
        bases=_merged_bases(items),
        procedures=_procedures(items),
        benchmarks=[
            {"item": item, "tiers": tiers} for item in items if (tiers := discretion_of(item))
        ],
        delegations=_active_delegations(agency),
    )
    by_delegation: dict[int, list[PublishedPowerItem]] = {}
    for item in items:
        by_delegation.setdefault(item.delegation_pk, []).append(item)
    for delegation in overview.delegations:
        delegation.published_items = by_delegation.get(delegation.pk, [])
    return overview


def _active_delegations(agency: Agency) -> list[Delegation]:
    return list(
        Delegation.objects.filter(delegating_agency=agency, status=Delegation.Status.ACTIVE)
        .select_related("delegated_organisation")
        .order_by("starts_on", "pk")
    )


def _merged_bases(items: list[PublishedPowerItem]) -> list[dict]:
    """Each basis once (title, number, level), with every article the items cite, laws first."""
    merged: dict[tuple, dict] = {}
    for item in items:
        for basis in bases_of(item):
            if not basis["title"]:
                continue
            key = (basis["title"], basis["document_number"], basis["level"])
            entry = merged.setdefault(key, basis | {"articles": []})
            if basis["articles"] and basis["articles"] not in entry["articles"]:
                entry["articles"].append(basis["articles"])
    rank = {str(label): index for index, label in enumerate(LegalBasis.Level.labels)}
    return sorted(merged.values(), key=lambda b: (rank.get(b["level"], len(rank)), b["title"]))


def _procedures(items: list[PublishedPowerItem]) -> list[dict]:
    """Each procedure text once, with the items that follow it."""
    grouped: dict[str, list[PublishedPowerItem]] = {}
    for item in items:
        text = (item.process or "").strip()
        if text:
            grouped.setdefault(text, []).append(item)
    return [{"text": text, "items": group} for text, group in grouped.items()]
