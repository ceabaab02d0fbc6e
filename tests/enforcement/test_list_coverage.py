"""R1, R4: the lists cover every enforcement subject. A delegated organisation's items are on
its delegating agency's list (三(三)), not on a list of its own; a supervisor sees which
enforcement subjects of the region have no published list."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from enforcement.models import Agency, PowerItem
from enforcement.services import power_items as services
from enforcement.services.delegations import delegation_create
from portal.roles import Role
from tests.conftest import _persona, client_for
from tests.factories import AgencyFactory

from .staff_factories import item_data, make_draft, make_published

pytestmark = pytest.mark.django_db

COVERAGE = reverse("enforcement:coverage")


@pytest.fixture
def organisation(city_a):
    return AgencyFactory(name="甲市食品安全检查中心", region=city_a, kind=Agency.Kind.DELEGATED)


def test_a_delegated_organisation_keeps_no_list_of_its_own(organisation):
    """R1, R4: it enforces in the delegating agency's name; its staff cannot draft items."""
    staff = _persona("staff_org", Role.AGENCY_STAFF, agency=organisation)
    with pytest.raises(ValidationError, match="不单独编制权责清单"):
        services.power_item_create(agency=organisation, actor=staff, data=item_data())
    response = client_for(staff).post(
        reverse("enforcement:staff_item_create"),
        {"agency": organisation.pk, **item_data(), "bases-TOTAL_FORMS": "0",
         "bases-INITIAL_FORMS": "0", "tiers-TOTAL_FORMS": "0", "tiers-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 400 and "不单独编制权责清单" in response.content.decode()
    assert not PowerItem.objects.exists()


def test_a_delegated_organisation_cannot_import_a_list(organisation):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from enforcement.services.imports import import_job_create

    staff = _persona("staff_org", Role.AGENCY_STAFF, agency=organisation)
    with pytest.raises(ValidationError, match="不单独编制权责清单"):
        import_job_create(upload=SimpleUploadedFile("清单.xlsx", b"PK\x03\x04"), actor=staff)


def test_delegated_items_are_on_the_delegating_agencys_list_naming_organisation_and_basis(
    agency_a, organisation, inspector_a, legal_office_a, city_supervisor, public_client
):
    """R4 (三(三)): each row of the delegating agency's published list that a delegated
    organisation enforces names it and the basis of the delegation."""
    item = make_draft(agency_a, inspector_a, name="食品经营者日常监督检查")
    delegation_create(
        delegating_agency=agency_a, delegated_organisation=organisation,
        basis="甲市市场监管局委托书〔2025〕3号", starts_on=date(2025, 1, 1),
        actor=city_supervisor, items=[item],
    )  # fmt: skip
    services.power_item_submit(item=item, actor=inspector_a)
    services.power_item_pass(item=item, actor=legal_office_a)
    services.power_item_publish(item=item, actor=city_supervisor)
    html = public_client.get(reverse("enforcement:public-agency", args=[agency_a.pk])).content
    results = html.decode().split('class="results"')[1]
    row = results.split("食品经营者日常监督检查</a>")[1].split("</tr>")[0]
    assert "受委托组织：甲市食品安全检查中心" in row
    assert "委托依据：甲市市场监管局委托书〔2025〕3号" in row


def test_the_delegated_organisations_page_points_to_its_delegating_agency(
    agency_a, organisation, city_supervisor, public_client
):
    """R1, R4: no list of its own, no search of its own; the way to the list it enforces."""
    delegation_create(
        delegating_agency=agency_a, delegated_organisation=organisation, basis="委托书",
        starts_on=date(2025, 1, 1), actor=city_supervisor,
    )  # fmt: skip
    url = reverse("enforcement:public-agency", args=[organisation.pk])
    html = public_client.get(url).content.decode()
    assert "不单独公布权责清单" in html
    assert reverse("enforcement:public-agency", args=[agency_a.pk]) in html
    assert "甲市市场监督管理局的权责清单" in html
    assert 'role="search"' not in html
    region = public_client.get(reverse("enforcement:public-region", args=[agency_a.region.code]))
    assert "列入委托机关的清单" in region.content.decode()


def test_a_supervisor_sees_the_subjects_of_the_region_without_a_published_list(
    agency_a,
    county_agency_a,
    agency_b,
    organisation,
    inspector_a,
    legal_office_a,
    city_supervisor,
    city_a,
):
    """R1: every kind of subject, in the region and below, that has not one published item;
    a delegated organisation is not expected to have one, another city is not this one's."""
    make_published(agency_a, inspector_a, legal_office_a, city_supervisor)
    authorised = AgencyFactory(name="甲市住房公积金管理中心", region=city_a, kind="authorised")
    government = AgencyFactory(name="甲市人民政府", region=city_a, kind="government")
    preparing = AgencyFactory(name="甲市生态环境局", region=city_a)
    staff = _persona("staff_env", Role.AGENCY_STAFF, agency=preparing)
    make_draft(preparing, staff)
    html = client_for(city_supervisor).get(COVERAGE).content.decode()
    table = html.split('id="coverage"')[1]
    for subject in (county_agency_a, authorised, government, preparing):
        assert subject.name in table
    for subject in (agency_a, agency_b, organisation):
        assert subject.name not in table
    row = table.split("甲市生态环境局")[1].split("</tr>")[0]
    assert "正在编制" in row
    assert "尚未编制任何事项" in table.split(county_agency_a.name)[1].split("</tr>")[0]


def test_the_coverage_page_costs_the_same_queries_with_more_subjects(
    city_supervisor, city_a, agency_a, django_assert_max_num_queries
):
    client = client_for(city_supervisor)
    client.get(COVERAGE)
    with django_assert_max_num_queries(8) as few:
        assert client.get(COVERAGE).status_code == 200
    for n in range(25):
        AgencyFactory(name=f"甲市第{n}局", region=city_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(COVERAGE).status_code == 200


def test_staff_and_the_public_cannot_see_coverage(inspector_a, legal_office_a, public_client):
    assert client_for(inspector_a).get(COVERAGE).status_code == 403
    assert client_for(legal_office_a).get(COVERAGE).status_code == 403
    response = public_client.get(COVERAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
