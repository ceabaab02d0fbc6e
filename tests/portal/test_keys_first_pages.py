"""A large register's pages read their keys first (portal.pagination.KeysFirstPaginator): the
same rows, in the same order, as a plain page, with one query more."""

import pytest
from django.core.paginator import Paginator

from enforcement.models import Region
from portal.pagination import KeysFirstPaginator
from tests.factories import RegionFactory


@pytest.fixture
def regions(db):
    return [RegionFactory() for _ in range(22)]


def test_every_page_holds_the_rows_a_plain_page_holds_in_its_order(regions):
    rows = Region.objects.filter(pk__in=[r.pk for r in regions]).order_by("-code")
    plain, keyed = Paginator(rows, 5, orphans=2), KeysFirstPaginator(rows, 5, orphans=2)
    assert keyed.num_pages == plain.num_pages == 4
    for number in plain.page_range:
        assert list(keyed.page(number)) == list(plain.page(number))


def test_a_page_costs_one_query_more_than_a_plain_one(regions, django_assert_num_queries):
    rows = Region.objects.order_by("code")
    with django_assert_num_queries(3):  # the count, the keys, the rows
        list(KeysFirstPaginator(rows, 5).page(2))
