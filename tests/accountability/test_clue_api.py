"""R26: the clue API: scoped list and detail, registration with Chinese refusals of wrong JSON
types, and a query count that does not grow with the data."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import Clue
from tests.conftest import client_for

from .conftest import register

pytestmark = pytest.mark.django_db

LIST = "api:accountability-clues"


def body(unit, **overrides):
    return {
        "agency": unit.pk,
        "source": "audit",
        "summary": "审计发现罚没款未及时上缴。",
        "received_on": f"{timezone.localdate():%Y-%m-%d}",
        "external_body": "甲市审计局",
        "external_reference": "甲审移〔2026〕1号",
    } | overrides


def test_the_list_is_scoped_to_the_reader_s_region(
    city_supervisor, city_b_supervisor, agency_a, agency_b
):
    mine = register(city_supervisor, agency_a)
    register(city_b_supervisor, agency_b)
    data = client_for(city_supervisor).get(reverse(LIST)).json()
    assert [row["number"] for row in data["results"]] == [mine.number]


def test_agency_staff_are_refused_and_other_cities_get_404(
    clue, inspector_a, outsider_b, city_b_supervisor
):
    assert client_for(inspector_a).get(reverse(LIST)).status_code == 403
    url = reverse("api:accountability-clue", args=[clue.pk])
    assert client_for(outsider_b).get(url).status_code == 403
    assert client_for(city_b_supervisor).get(url).status_code == 404


def test_a_supervisor_registers_through_the_api(city_supervisor, agency_a):
    response = client_for(city_supervisor).post(
        reverse(LIST), body(agency_a), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["source_display"] == "审计移送"
    assert Clue.objects.get().external_reference == "甲审移〔2026〕1号"


@pytest.mark.parametrize(
    "overrides",
    [
        {"agency": "甲"},
        {"agency": [1]},
        {"summary": 12},
        {"received_on": "明天"},
        {"received_on": "2999-01-01"},
        {"source": "overdue"},
        {"officers": "1"},
        {"summary": "<script>alert(1)</script>"},
        {"agency": 999999},
    ],
)
def test_wrong_json_is_refused_in_chinese_and_writes_nothing(city_supervisor, agency_a, overrides):
    response = client_for(city_supervisor).post(
        reverse(LIST), body(agency_a, **overrides), content_type="application/json"
    )
    assert response.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(response.json()))
    assert not Clue.objects.exists()


def test_an_agency_of_another_city_is_not_found(city_supervisor, agency_b):
    response = client_for(city_supervisor).post(
        reverse(LIST), body(agency_b), content_type="application/json"
    )
    assert response.status_code == 400 and not Clue.objects.exists()


def test_agency_staff_cannot_register(inspector_a, agency_a):
    response = client_for(inspector_a).post(
        reverse(LIST), body(agency_a), content_type="application/json"
    )
    assert response.status_code == 403 and not Clue.objects.exists()


def test_the_list_s_query_count_does_not_grow(
    city_supervisor, agency_a, colleague, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accountability.services.clues import clue_assign

    client = client_for(city_supervisor)
    clue_assign(clue=register(city_supervisor, agency_a), handler=colleague, actor=city_supervisor)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(LIST))
    for _ in range(6):
        register(city_supervisor, agency_a)
    with django_assert_max_num_queries(len(one)):
        assert len(client.get(reverse(LIST)).json()["results"]) == 7


def test_the_endpoints_are_in_the_schema(city_supervisor):
    schema = client_for(city_supervisor).get(reverse("api:schema")).content.decode()
    assert "/api/v1/accountability/clues/" in schema
    assert "accountability_clues_register" in schema
