"""The API's page numbers, parsed like every other number (portal.params): a page that is not a
whole number in range is a 400 with a Chinese message, not DRF's bare "invalid page" 404."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

from .params import optional_int

MAX_PAGE = 100_000
# The registers' lists count their rows only this far (a supervisor's cases, the file reviews):
# counting up to the cap reads at most so many index entries, the same at 200,000 cases as at
# 2,000,000, and past it the page says "more than" and asks for a narrower search.
COUNT_CAP = 10_000


class PageNumberPagination(pagination.PageNumberPagination):
    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw in self.last_page_strings:
            return paginator.num_pages
        try:
            return optional_int(raw, label=_("页码"), default=1, minimum=1, maximum=MAX_PAGE)
        except DjangoValidationError as exc:
            raise ValidationError({self.page_query_param: exc.messages}) from None

    def get_page_size(self, request):
        if self.page_size_query_param:
            raw = request.query_params.get(self.page_size_query_param)
            try:
                size = optional_int(
                    raw, label=_("每页条数"), minimum=1, maximum=self.max_page_size or 1000
                )
            except DjangoValidationError as exc:
                raise ValidationError({self.page_size_query_param: exc.messages}) from None
            if size is not None:
                return size
        return self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise NotFound(_("没有这一页：页码超出了结果的页数。")) from None


class KeysFirstPaginator(Paginator):
    """Pages of a large register read keys first: the page's primary keys are found by the
    ordered, filtered query alone (an index-only scan, however deep the page), then only those
    rows are read with their joins. A deep page of 50,000 clues costs 25 ms instead of 145 ms
    (bench/accountability_clues.py). One query more than a plain page; the same count."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        found = {row.pk: row for row in self.object_list.filter(pk__in=keys)} if keys else {}
        return self._get_page([found[key] for key in keys if key in found], number, self)


class KeysFirstPagination(PageNumberPagination):
    """The API's pages of a large register (see KeysFirstPaginator)."""

    django_paginator_class = KeysFirstPaginator


def capped_count(queryset, cap: int | None = None) -> tuple[int, bool]:
    """How many rows, counted up to `cap` (`COUNT_CAP` if not given; one query: a count over the
    first cap + 1 keys), and whether there are more."""
    cap = cap or COUNT_CAP
    # Unordered: the count stops at the first cap + 1 rows found, whatever the list's order.
    seen = queryset.order_by().values("pk")[: cap + 1].count()
    return min(seen, cap), seen > cap


class CappedPaginator(Paginator):
    """Pages of a register whose total is counted only up to `COUNT_CAP` (`capped_count`): past
    it `count_capped` is true, the count is the cap and the pages stop at the cap's last page."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _capped(self) -> tuple[int, bool]:
        return capped_count(self.object_list, self.cap)

    @cached_property
    def count(self) -> int:
        return self._capped[0]

    @property
    def count_capped(self) -> bool:
        return self._capped[1]


class CountedPaginator(Paginator):
    """Pages of a list whose total is already known (kept by a tally): no count query."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count
