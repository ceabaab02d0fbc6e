"""GET /api/v1/agencies/: the enforcement subjects the public may name in a complaint (R14)."""

import pytest
from django.urls import reverse

from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db
LIST = reverse("api:agency-list")


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_it_lists_every_agency_with_its_region_and_kind(public_client, agencies, agency_a):
    body = public_client.get(LIST).json()
    assert body["count"] == 4
    row = next(r for r in body["results"] if r["id"] == agency_a.pk)
    assert row == {
        "id": agency_a.pk,
        "name": "甲市市场监督管理局",
        "region": {"id": agency_a.region_id, "code": "220100", "name": "甲市"},
        "kind": "department",
        "kind_display": "政府工作部门",
    }


def test_a_region_filter_includes_the_regions_below_it(public_client, agencies):
    names = _names(public_client.get(LIST, {"region": "220100"}))
    assert set(names) == {"甲市市场监督管理局", "乙县市场监督管理局", "甲市司法局"}
    assert _names(public_client.get(LIST, {"region": "220200"})) == ["丙市生态环境局"]


def test_q_finds_agencies_by_name(public_client, agencies):
    assert set(_names(public_client.get(LIST, {"q": "市场监督"}))) == {
        "甲市市场监督管理局",
        "乙县市场监督管理局",
    }


@pytest.mark.parametrize("region", ["999999", "abc"])
def test_an_unknown_or_malformed_region_is_a_400_in_chinese(public_client, agencies, region):
    response = public_client.get(LIST, {"region": region})
    assert response.status_code == 400
    assert "区划" in response.json()["region"][0]


def test_it_is_read_only(public_client, agencies):
    assert public_client.post(LIST, {"name": "x"}).status_code == 405


def test_the_list_is_paginated_and_its_queries_do_not_grow(
    public_client, agency_a, django_assert_max_num_queries
):
    for _ in range(60):
        AgencyFactory(region=agency_a.region)
    with django_assert_max_num_queries(3):
        body = public_client.get(LIST, {"region": "220100"}).json()
    assert body["count"] == 61 and len(body["results"]) == 50 and body["next"]


def test_anonymous_readers_are_served_from_the_shared_cache(
    public_client, agencies, django_assert_max_num_queries
):
    public_client.get(LIST)
    with django_assert_max_num_queries(0):
        assert public_client.get(LIST).status_code == 200


def test_the_endpoint_is_in_the_openapi_schema(public_client):
    schema = public_client.get("/api/v1/schema/", {"format": "json"}).json()
    listing = schema["paths"]["/api/v1/agencies/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"q", "region", "page"}
    assert listing["operationId"] == "agencies_list"
