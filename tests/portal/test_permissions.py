"""The permission matrix of the foundation's protected pages, with the five personas.

Public pages (home, login, password reset, the deadline calculator and API) are tested in their
own files; here every protected page refuses whoever is outside it.
"""

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.portal.todo_world import BUDGET

PERSONAS = ["inspector_a", "legal_office_a", "city_supervisor", "outsider_b", None]


def persona(request, name):
    return request.getfixturevalue(name) if name else None


@pytest.mark.parametrize("who", PERSONAS)
def test_the_workspace_lists_only_the_agencies_in_scope(
    request, who, agencies, django_assert_max_num_queries
):
    client = client_for(persona(request, who))
    # The workspace carries the role's to-do list, whose queries are pinned per role there.
    with django_assert_max_num_queries(BUDGET.get(who, BUDGET["inspector_a"])):
        response = client.get(reverse("portal:workspace"))
    if who is None:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    html = response.content.decode()
    assert response.status_code == 200
    sees_a = who in ("inspector_a", "legal_office_a", "city_supervisor")
    assert ("甲市市场监督管理局" in html) is sees_a
    assert ("丙市生态环境局" in html) is (who == "outsider_b")


def test_the_workspace_query_count_does_not_grow_with_agencies(
    city_supervisor, city_a, django_assert_max_num_queries
):
    from tests.factories import AgencyFactory

    AgencyFactory.create_batch(60, region=city_a)
    client = client_for(city_supervisor)
    with django_assert_max_num_queries(BUDGET["city_supervisor"]):
        assert client.get(reverse("portal:workspace")).status_code == 200


ADMIN_PAGES = [
    ("admin:enforcement_agency_change", "agency_a"),
    ("admin:enforcement_agency_changelist", None),
    ("admin:enforcement_officer_changelist", None),
    ("admin:enforcement_region_changelist", None),
    ("admin:portal_user_changelist", None),
]


@pytest.mark.parametrize("who", ["inspector_a", "legal_office_a", "outsider_b", None])
@pytest.mark.parametrize(("url_name", "obj"), ADMIN_PAGES)
def test_agency_staff_and_the_public_are_kept_out_of_the_admin(request, who, url_name, obj):
    args = [request.getfixturevalue(obj).pk] if obj else []
    response = client_for(persona(request, who)).get(reverse(url_name, args=args))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_city_supervisor_edits_agencies_of_its_city_in_the_admin(
    city_supervisor, agency_a, county_agency_a, agency_b
):
    client = client_for(city_supervisor)
    page = client.get(reverse("admin:enforcement_agency_changelist")).content.decode()
    assert "甲市市场监督管理局" in page and "乙县市场监督管理局" in page
    assert "丙市生态环境局" not in page
    assert (
        client.get(reverse("admin:enforcement_agency_change", args=[agency_a.pk])).status_code
        == 200
    )


def test_a_city_supervisor_cannot_open_another_citys_agency_by_its_id(city_supervisor, agency_b):
    client = client_for(city_supervisor)
    url = reverse("admin:enforcement_agency_change", args=[agency_b.pk])
    response = client.get(url, follow=True)
    assert "丙市生态环境局" not in response.content.decode()
    response = client.post(url, {"name": "改名"})
    agency_b.refresh_from_db()
    assert agency_b.name == "丙市生态环境局"


def test_a_city_supervisor_cannot_manage_user_accounts(city_supervisor):
    response = client_for(city_supervisor).get(reverse("admin:portal_user_changelist"))
    assert response.status_code == 403


def test_the_system_administrator_sees_every_agency_in_the_admin(sysadmin, agencies):
    page = client_for(sysadmin).get(reverse("admin:enforcement_agency_changelist")).content.decode()
    for agency in agencies:
        assert agency.name in page


def test_the_agency_changelist_has_a_constant_query_count(
    city_supervisor, city_a, django_assert_max_num_queries
):
    from tests.factories import AgencyFactory

    AgencyFactory.create_batch(40, region=city_a)
    client = client_for(city_supervisor)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("admin:enforcement_agency_changelist")).status_code == 200


def test_uploaded_files_have_no_public_url(settings):
    """Attachments and case records are downloaded only through views that check who asks:
    no URL serves MEDIA_ROOT, whatever DEBUG is."""
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve(f"/{settings.MEDIA_URL.strip('/')}/complaints/2026/11/any.pdf")
