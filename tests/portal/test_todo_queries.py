"""The to-do lists cost a fixed number of queries per role, whatever the data (issue 14): every
count is one query (or one aggregate of several), never one per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for

from .todo_world import BUDGET, build

pytestmark = pytest.mark.django_db

WORKSPACE = reverse("portal:workspace")
ADMIN = reverse("admin:index")


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
