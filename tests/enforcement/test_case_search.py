"""Issue 14: the case lists are searchable by party (a part of the name, or the identifier in
full) and by number (the case's 立案编号 or its decision's 文号, in part), within what the user
may read, in a fixed number of queries however many cases and parties there are."""

import pytest
from django.urls import reverse
from django.utils import timezone

from enforcement.models import DocumentNumbering
from enforcement.services.cases import PartyInput
from tests.conftest import client_for

from .test_cases import COMPANY, open_case
from .test_fines import case_in_decision, draft_decision, issue

pytestmark = pytest.mark.django_db

LIST = reverse("cases:list")
YEAR = timezone.localdate().year


def resident_id(sequence: int) -> str:
    """A resident identity number with a valid check digit (GB 11643), born 1980-01-01."""
    body = f"22010219800101{sequence:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


CITIZEN = PartyInput(kind="citizen", name="王小明", identifier=resident_id(1))


@pytest.fixture
def numbered(agency_a):
    return DocumentNumbering.objects.create(agency=agency_a, abbreviation="甲市监")


@pytest.fixture
def two_cases(numbered, agency_a, item_a, officers_a, inspector_a):
    company = open_case(agency_a, item_a, officers_a, inspector_a)
    citizen = open_case(agency_a, item_a, officers_a, inspector_a, parties=[CITIZEN])
    return company, citizen


def _listed(user, **query) -> str:
    response = client_for(user).get(LIST, query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_search_by_part_of_the_partys_name_finds_its_case_only(two_cases, inspector_a):
    company, citizen = two_cases
    page = _listed(inspector_a, party="小明")
    assert citizen.get_absolute_url() in page and company.get_absolute_url() not in page


def test_a_search_by_the_full_identifier_finds_the_case(two_cases, city_supervisor):
    company, citizen = two_cases
    page = _listed(city_supervisor, party=COMPANY.identifier.lower())
    assert company.get_absolute_url() in page and citizen.get_absolute_url() not in page
    # Part of an identifier is not a search by identifier (nor by name).
    assert company.get_absolute_url() not in _listed(city_supervisor, party=COMPANY.identifier[:6])


def test_a_search_by_case_number(two_cases, inspector_a):
    company, citizen = two_cases
    assert company.number == f"甲市监立〔{YEAR}〕1号"
    page = _listed(inspector_a, number=f"〔{YEAR}〕2号")
    assert citizen.get_absolute_url() in page and company.get_absolute_url() not in page


def test_a_search_by_the_decisions_number(
    numbered, agency_a, item_a, officers_a, inspector_a, legal_office_a
):
    case = case_in_decision(agency_a, item_a, officers_a, inspector_a)
    other = open_case(agency_a, item_a, officers_a, inspector_a)
    decision = issue(draft_decision(case, inspector_a), inspector_a, legal_office_a)
    page = _listed(inspector_a, number=decision.number)
    assert case.get_absolute_url() in page and other.get_absolute_url() not in page


def test_a_case_with_two_matching_parties_is_listed_once(agency_a, item_a, officers_a, inspector_a):
    second = PartyInput(kind="citizen", name="王小明之妻", identifier=resident_id(2))
    case = open_case(agency_a, item_a, officers_a, inspector_a, parties=[CITIZEN, second])
    page = _listed(inspector_a, party="王小明")
    assert page.count(f'href="{case.get_absolute_url()}"') == 1


def test_the_search_stays_within_what_the_user_may_read(two_cases, outsider_b):
    company, citizen = two_cases
    page = _listed(outsider_b, party="小明")
    assert citizen.get_absolute_url() not in page
    assert "没有符合查询条件的案件" in page


def test_a_search_too_long_is_left_out_with_a_chinese_message(two_cases, inspector_a):
    page = _listed(inspector_a, party="王" * 101)
    assert "当事人最多 100 个字，请缩短后再查询。" in page
    # The list is the whole list, not an empty one pretending to be a result.
    assert all(case.get_absolute_url() in page for case in two_cases)


def _open_many(agency, item, officers, actor, count, start=0):
    for n in range(start, start + count):
        party = PartyInput(kind="citizen", name=f"王{n}", identifier=resident_id(10 + n))
        open_case(agency, item, officers, actor, parties=[party, COMPANY])


def test_the_search_costs_the_same_queries_however_many_cases(
    numbered, agency_a, item_a, officers_a, inspector_a, django_assert_max_num_queries
):
    """The page, its count and its search: a fixed number of queries (the session's save on
    each request included), the same for 2 cases as for 14."""
    client = client_for(inspector_a)
    client.get(LIST)  # the first request also saves the session
    query = {"party": "王", "number": "甲市监"}
    _open_many(agency_a, item_a, officers_a, inspector_a, 2)
    with django_assert_max_num_queries(10) as few:
        assert client.get(LIST, query).content.decode().count('href="/cases/') >= 2
    _open_many(agency_a, item_a, officers_a, inspector_a, 12, start=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST, query).content.decode().count('href="/cases/') >= 14
