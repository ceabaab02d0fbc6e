"""The cycles API (R19, R20): scoped like the pages, in Chinese when refused, with query counts
that do not grow with the data."""

import pytest

from assessment.models import Cycle
from tests.conftest import client_for
from tests.factories import AgencyFactory

from .cycle_helpers import open_cycle

pytestmark = pytest.mark.django_db
API = "/api/v1/assessment/cycles/"


@pytest.fixture
def cycle_a(city_a, city_supervisor, agency_a):
    return open_cycle(city_a, city_supervisor)


def test_the_list_shows_the_cycles_in_scope(cycle_a, inspector_a, outsider_b):
    body = client_for(inspector_a).get(API).json()
    assert [row["id"] for row in body["results"]] == [cycle_a.pk]
    assert client_for(outsider_b).get(API).json()["results"] == []


def test_the_detail_has_the_local_choices_and_the_scheme(cycle_a, city_supervisor):
    body = client_for(city_supervisor).get(f"{API}{cycle_a.pk}/").json()
    assert body["excellent_from"] == "90.00" and body["dual_vertical_weight"] == 50
    assert len(body["indicators"]) == 9


def test_the_assignments_say_who_evaluates_whom(
    cycle_a, agency_a, city_a_legal_office, inspector_a
):
    body = client_for(inspector_a).get(f"{API}{cycle_a.pk}/assignments/").json()
    assert [(r["agency"], r["evaluator"], r["weight"]) for r in body["results"]] == [
        (agency_a.pk, city_a_legal_office.pk, 100)
    ]


def test_agency_staff_see_only_their_own_assignments(cycle_a, city_a, city_supervisor, inspector_a):
    AgencyFactory(name="甲市交通运输局", region=city_a)
    client_for(city_supervisor).post(f"/assessment/cycles/{cycle_a.pk}/refresh/")
    assert client_for(city_supervisor).get(f"{API}{cycle_a.pk}/assignments/").json()["count"] == 2
    assert client_for(inspector_a).get(f"{API}{cycle_a.pk}/assignments/").json()["count"] == 1


@pytest.mark.parametrize("suffix", ["", "assignments/"])
def test_outsider_b_gets_a_chinese_404(cycle_a, outsider_b, suffix):
    response = client_for(outsider_b).get(f"{API}{cycle_a.pk}/{suffix}")
    assert response.status_code == 404
    assert "不存在" in response.json()["detail"]


def test_the_public_is_asked_to_log_in(cycle_a, public_client):
    response = public_client.get(API)
    assert response.status_code in (401, 403) and "请先登录" in response.json()["detail"]


def test_a_bad_page_is_refused_in_chinese(cycle_a, city_supervisor):
    response = client_for(city_supervisor).get(f"{API}?page=abc")
    assert response.status_code == 400 and "页码" in str(response.json())


def test_the_api_does_not_grow_its_queries(
    cycle_a, city_a, city_supervisor, inspector_a, django_assert_max_num_queries
):
    for n in range(12):
        AgencyFactory(name=f"甲市第{n}局", region=city_a)
    client_for(city_supervisor).post(f"/assessment/cycles/{cycle_a.pk}/refresh/")
    for year in range(2010, 2022):
        Cycle.objects.create(region=city_a, year=year, opened_by=city_supervisor)
    for user in (city_supervisor, inspector_a):
        client = client_for(user)
        for url in (API, f"{API}{cycle_a.pk}/", f"{API}{cycle_a.pk}/assignments/"):
            with django_assert_max_num_queries(8):
                assert client.get(url).status_code == 200
