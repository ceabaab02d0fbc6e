"""The API's page numbers are parsed like every other number (portal.pagination)."""

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["%C2%B2", "%EF%BC%91", "0", "-1", "1e3", "99999999999999999999"])
def test_a_page_that_is_not_a_whole_number_in_range_is_a_400_naming_it(public_client, page):
    response = public_client.get(f"/api/v1/agencies/?page={page}")
    assert response.status_code == 400
    assert "页码应为" in response.json()["page"][0]


def test_a_page_past_the_end_is_a_404_that_says_so(public_client, agency_a):
    response = public_client.get("/api/v1/agencies/?page=999")
    assert response.status_code == 404
    assert response.json() == {"detail": "没有这一页：页码超出了结果的页数。"}


def test_a_page_size_that_is_not_a_number_is_a_400(city_supervisor):
    response = client_for(city_supervisor).get("/api/v1/staff/complaints/?page_size=%C2%B2")
    assert response.status_code == 400
    assert "每页条数应为" in response.json()["page_size"][0]


def test_the_last_page_and_a_good_size_still_work(city_supervisor):
    client = client_for(city_supervisor)
    assert client.get("/api/v1/staff/complaints/?page=last&page_size=10").status_code == 200
