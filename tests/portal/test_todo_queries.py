"""The to-do lists cost a fixed number of queries per role, whatever the data (issue 14): every
count is one query (or one aggregate of several), never one per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.roles import Role
from portal.services import user_assign_role
from tests.conftest import client_for
from tests.factories import AgencyFactory, UserFactory

from .todo_world import BUDGET, build

pytestmark = pytest.mark.django_db

WORKSPACE = reverse("portal:workspace")
ADMIN = reverse("admin:index")


def persona(username, role, **where):
    return user_assign_role(
        user=UserFactory(username=username, name=username), role=role, actor=None, **where
    )


@pytest.fixture
def sides(
    city_a, county_agency_a, agency_a, agency_b, city_b, inspector_a, legal_office_a,
    city_supervisor, outsider_b, sysadmin, city_a_legal_office,
):  # fmt: skip
    a = {
        "agency": agency_a,
        "county_agency": county_agency_a,
        "other_agency": AgencyFactory(name="甲市交通运输局", region=city_a),
        "staff": inspector_a,
        "legal_office": legal_office_a,
        "supervisor": city_supervisor,
        "handler": persona("colleague_a", Role.SUPERVISOR, region=city_a),
    }
    b = {
        "agency": agency_b,
        "county_agency": AgencyFactory(name="丙县生态环境局", region=city_b),
        "other_agency": AgencyFactory(name="丙市交通运输局", region=city_b),
        "staff": outsider_b,
        "legal_office": persona("legal_office_b", Role.LEGAL_OFFICE, agency=agency_b),
        "supervisor": persona("city_b_supervisor", Role.SUPERVISOR, region=city_b),
    }
    return a, b


def queries_of(user, url) -> int:
    client = client_for(user)
    client.get(url)  # the session and the language settle on the first request
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", list(BUDGET))
def test_the_to_do_list_costs_the_same_queries_with_three_times_the_data(
    request, sides, who, django_assert_max_num_queries
):
    user = request.getfixturevalue(who)
    a, b = sides
    build(scale=1, a=a, b=b)
    few = queries_of(user, WORKSPACE)
    build(scale=2, a=a, b=b)
    with django_assert_max_num_queries(BUDGET[who]):
        client_for(user).get(WORKSPACE)
    assert queries_of(user, WORKSPACE) == few


@pytest.mark.parametrize("who", ["city_supervisor", "sysadmin"])
def test_the_admin_index_costs_the_same_queries_with_more_data(
    request, sides, who, django_assert_max_num_queries
):
    user = request.getfixturevalue(who)
    a, b = sides
    build(scale=1, a=a, b=b)
    few = queries_of(user, ADMIN)
    build(scale=2, a=a, b=b)
    with django_assert_max_num_queries(BUDGET[who] + 10):
        client_for(user).get(ADMIN)
    assert queries_of(user, ADMIN) == few
