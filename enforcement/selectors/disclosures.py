"""What the public reads of issued decisions (R9): the redacted disclosures only, never the case.

Every list costs a fixed number of queries whatever the data size, and counts stop at the power
list's `COUNT_CAP`.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from ..models import Agency, DecisionDisclosure
from . import public

LATEST_ON_AGENCY_PAGE = 10
LATEST_ON_HOME = 5

# What a result list shows: the decision's text stays on disk until someone opens it.
LIST_FIELDS = (
    "title",
    "document_number",
    "item_code",
    "item_name",
    "kind",
    "kind_label",
    "fine_amount",
    "parties",
    "decided_on",
    "disclosed_at",
    "remedy_note",
    "agency__name",
)


def disclosures() -> QuerySet[DecisionDisclosure]:
    """Every disclosure, newest first (the `disclosure_recent` index's order)."""
    return DecisionDisclosure.objects.order_by("-disclosed_at", "-pk")


def disclosure_list() -> QuerySet[DecisionDisclosure]:
    """The same, with the agency's name and only the columns a result list shows."""
    return disclosures().select_related("agency").only(*LIST_FIELDS)


def disclosure_page(queryset: QuerySet, number: int, per_page: int = public.PAGE_SIZE):
    """One page of disclosures in at most two queries (as `public.capped_page` does for items):
    the keys in list order up to the count cap, then this page's rows by key."""
    offset = (number - 1) * per_page
    end = max(public.COUNT_CAP + 1, offset + per_page + 1)
    keys = list(queryset.select_related(None).values_list("pk", flat=True)[offset:end])
    page = public.CappedPage(number=number, per_page=per_page)
    page.has_next = len(keys) > per_page
    if keys or offset == 0:
        seen = offset + len(keys)
    else:  # a page past the end: how many there are is not known from this read
        seen = queryset.select_related(None).values("pk")[: public.COUNT_CAP + 1].count()
    page.count, page.count_capped = min(seen, public.COUNT_CAP), seen > public.COUNT_CAP
    page_keys = keys[:per_page]
    if page_keys:
        by_key = disclosure_list().in_bulk(page_keys)
        page.items = [by_key[key] for key in page_keys]
    return page


def decorate_rows(rows) -> None:
    """Each row's links, resolved once per page rather than with {% url %} once per row."""
    detail = reverse("disclosures:detail", args=[1]).removesuffix("1/")
    agency = reverse("enforcement:public-agency", args=[1]).removesuffix("1/")
    for row in rows:
        row.page_url = f"{detail}{row.pk}/"
        row.agency_url = f"{agency}{row.agency_id}/"


def public_disclosure(pk: int) -> DecisionDisclosure:
    """One disclosure for its public page, or 404 (undisclosed decisions have none)."""
    pk = public._existing_id(pk)
    return get_object_or_404(DecisionDisclosure.objects.select_related("agency__region"), pk=pk)


def latest_of(agency: Agency, limit: int = LATEST_ON_AGENCY_PAGE) -> list[DecisionDisclosure]:
    """The agency's latest disclosures, for its public page."""
    rows = list(
        disclosures()
        .filter(agency=agency)
        .only("title", "parties", "kind_label", "decided_on", "remedy_note", "agency")[:limit]
    )
    decorate_rows(rows)
    return rows


def latest(limit: int = LATEST_ON_HOME) -> list[DecisionDisclosure]:
    """The latest disclosures of every agency, for the home page (one query, on the
    `disclosure_recent` index)."""
    rows = list(disclosures().only("title", "decided_on", "disclosed_at", "agency")[:limit])
    decorate_rows(rows)
    return rows
