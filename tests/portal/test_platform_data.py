"""R11: the supervision platform's data. A supervisor sees every enforcement subject, officer and
case of its region and below with their status, filters and pages them, and exports each list to
Excel (text cells, formulas neutralised); the administrator sees every region's; everyone else
is refused."""

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from enforcement.models import Case, Officer
from tests.conftest import client_for
from tests.enforcement.staff_factories import make_published
from tests.factories import AgencyFactory, OfficerFactory

pytestmark = pytest.mark.django_db

AGENCIES = reverse("portal:platform-agencies")
OFFICERS = reverse("portal:platform-officers")
CASES = reverse("portal:platform-cases")
EXPORTS = {
    AGENCIES: reverse("portal:platform-agencies-export"),
    OFFICERS: reverse("portal:platform-officers-export"),
    CASES: reverse("portal:platform-cases-export"),
}


def a_case(agency, item, user, stage="investigation", closed=False) -> Case:
    return Case.objects.create(
        agency=agency,
        power_item=item,
        item_code=item.code,
        item_name=item.name,
        source=Case.Source.INSPECTION,
        summary="案由",
        opened_by=user,
        stage=stage,
        closed_at=timezone.now() if closed else None,
    )


@pytest.fixture
def data(agency_a, county_agency_a, agency_b, inspector_a, legal_office_a, city_supervisor):
    item = make_published(agency_a, inspector_a, legal_office_a, city_supervisor)
    officers = {
        "city": OfficerFactory(agency=agency_a, name='=HYPERLINK("x")'),
        "county": OfficerFactory(
            agency=county_agency_a,
            name="县执法员",
            certificate_status=Officer.CertificateStatus.SUSPENDED,
            status_reason="暂扣",
            status_date=date(2026, 3, 1),
        ),
        "other": OfficerFactory(agency=agency_b, name="丙市执法员"),
    }
    cases = {
        "open": a_case(agency_a, item, inspector_a),
        "closed": a_case(agency_a, item, inspector_a, stage="archiving", closed=True),
        "county": a_case(county_agency_a, item, inspector_a, stage="decision"),
        "other": a_case(agency_b, item, inspector_a),
    }
    return {"item": item, "officers": officers, "cases": cases}


def rows(html: str, kind: str) -> int:
    return html.count(f'data-row="{kind}"')


def test_the_supervisor_sees_the_subjects_of_the_city_and_its_counties_with_their_status(
    data, city_supervisor, agency_a, county_agency_a, agency_b, city_a_legal_office
):
    html = client_for(city_supervisor).get(AGENCIES).content.decode()
    assert rows(html, "agency") == 3  # agency A, the county's, the city's legal office
    assert agency_a.name in html and county_agency_a.name in html
    assert agency_b.name not in html
    assert "已公布" in html and "未公布" in html  # A has a published list, the county none


def test_the_officers_and_cases_of_the_region_only(data, city_supervisor):
    client = client_for(city_supervisor)
    officers = client.get(OFFICERS).content.decode()
    assert rows(officers, "officer") == 2 and "丙市执法员" not in officers
    assert "暂扣" in officers
    cases = client.get(CASES).content.decode()
    assert rows(cases, "case") == 3
    assert f'href="{data["cases"]["other"].get_absolute_url()}"' not in cases


def test_the_administrator_sees_every_region(data, sysadmin):
    client = client_for(sysadmin)
    assert rows(client.get(OFFICERS).content.decode(), "officer") == 3
    assert rows(client.get(CASES).content.decode(), "case") == 4


@pytest.mark.parametrize(
    ("url", "query", "kind", "expected"),
    [
        (CASES, {"status": "open"}, "case", 2),
        (CASES, {"status": "closed"}, "case", 1),
        (CASES, {"stage": "decision"}, "case", 1),
        (OFFICERS, {"certificate_status": "suspended"}, "officer", 1),
        (OFFICERS, {"q": "县执法"}, "officer", 1),
        (AGENCIES, {"list_status": "published"}, "agency", 1),
        (AGENCIES, {"list_status": "none"}, "agency", 2),
    ],
)
def test_the_filters_narrow_the_list(data, city_supervisor, url, query, kind, expected):
    response = client_for(city_supervisor).get(url, query)
    assert response.status_code == 200
    assert rows(response.content.decode(), kind) == expected


def test_the_region_filter_takes_the_region_and_below(data, city_supervisor, county_a):
    html = client_for(city_supervisor).get(CASES, {"region": county_a.pk}).content.decode()
    assert rows(html, "case") == 1


@pytest.mark.parametrize(
    ("url", "query", "message"),
    [
        (CASES, {"year": "twenty"}, "立案年度应为四位数字。"),
        (CASES, {"stage": "nonsense"}, "所选的值不在可选范围内"),
        (OFFICERS, {"agency": "999999"}, "没有这个执法主体，或不在您的监督范围内。"),
    ],
)
def test_a_bad_filter_is_refused_in_chinese_and_lists_nothing(
    data, city_supervisor, url, query, message
):
    response = client_for(city_supervisor).get(url, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "data-row=" not in html


def test_another_city_s_agency_is_not_a_filter_choice(data, city_supervisor, agency_b):
    response = client_for(city_supervisor).get(OFFICERS, {"agency": agency_b.pk})
    assert response.status_code == 400
    assert "丙市执法员" not in response.content.decode()


def _sheet(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_each_list_exports_its_filtered_rows_to_excel_as_text(data, city_supervisor):
    client = client_for(city_supervisor)
    response = client.get(EXPORTS[OFFICERS])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = _sheet(response)
    assert sheet[0][:3] == ["姓名", "执法证号", "所在单位"]
    names = [row[0] for row in sheet[1:]]
    assert sorted(names) == sorted(['\'=HYPERLINK("x")', "县执法员"])  # formula neutralised
    cases = _sheet(client.get(EXPORTS[CASES], {"status": "closed"}))
    assert len(cases) == 2 and cases[1][7] == "已结案"
    agencies = _sheet(client.get(EXPORTS[AGENCIES]))
    assert len(agencies) == 4


def test_a_bad_filter_exports_nothing(data, city_supervisor):
    response = client_for(city_supervisor).get(EXPORTS[CASES], {"year": "x"})
    assert response.status_code == 400
    assert "立案年度应为四位数字。" in response.content.decode()


@pytest.mark.parametrize("who", ["inspector_a", "legal_office_a", "outsider_b"])
def test_others_are_refused(request, data, who):
    client = client_for(request.getfixturevalue(who))
    for url in [AGENCIES, OFFICERS, CASES, *EXPORTS.values()]:
        assert client.get(url).status_code == 403, url


def test_the_public_is_sent_to_log_in(public_client):
    for url in [AGENCIES, OFFICERS, CASES, *EXPORTS.values()]:
        response = public_client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", [AGENCIES, OFFICERS, CASES])
def test_a_page_costs_the_same_queries_with_more_rows(
    data, city_supervisor, url, agency_a, county_agency_a, django_assert_max_num_queries
):
    client = client_for(city_supervisor)
    client.get(url)
    with django_assert_max_num_queries(12):
        client.get(url)
    for n in range(30):
        agency = AgencyFactory(name=f"甲县第{n}局", region=county_agency_a.region)
        OfficerFactory(agency=agency)
        a_case(agency, data["item"], city_supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
