"""Every public page and endpoint of the foundation opens for all five personas alike."""

import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PERSONAS = ["inspector_a", "legal_office_a", "city_supervisor", "outsider_b", None]
PUBLIC = [
    ("/", "行政执法监督平台"),
    ("/accounts/login/", "工作人员登录"),
    ("/accounts/password_reset/", "重置密码"),
    ("/workdays/calculator/?start=2026-09-28&count=5&unit=working_days", "2026-10-10"),
    ("/api/v1/workdays/deadline/?start=2026-09-28&working_days=5", "2026-10-10"),
    ("/api/v1/schema/", "/api/v1/workdays/deadline/"),
    ("/api/v1/docs/", "swagger-ui"),
]


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize(("url", "shows"), PUBLIC)
def test_public_pages_open_for_everyone(request, who, url, shows, django_assert_max_num_queries):
    client = client_for(request.getfixturevalue(who) if who else None)
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    assert shows in response.content.decode()


def test_the_api_docs_work_offline_from_the_portals_own_static_files(public_client):
    html = public_client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
