"""R9 in the public API: GET /api/v1/disclosures/ and /api/v1/disclosures/<id>/ answer with the
redacted snapshots only, filtered and paged like the power-items API, the same for everyone."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import AgencyFactory, OfficerFactory

from .public_helpers import publish
from .staff_factories import make_published
from .test_disclosure_pages import disclose
from .test_disclosures import COMPANY_NAME, SECRETS, issued

pytestmark = pytest.mark.django_db

LIST = reverse("api:disclosure-list")
PERSONAS = ["inspector_a", "legal_office_a", "city_supervisor", "outsider_b", "sysadmin", None]


def _detail(pk) -> str:
    return reverse("api:disclosure-detail", args=[pk])


@pytest.fixture
def decision(agency_a, inspector_a, legal_office_a, city_supervisor):
    item = make_published(agency_a, inspector_a, legal_office_a, city_supervisor)
    officers = [OfficerFactory(agency=agency_a), OfficerFactory(agency=agency_a)]
    return issued(agency_a, item, officers, inspector_a)


def test_an_issued_decision_is_in_the_api_redacted(public_client, decision, agency_a):
    """R9: the list and the detail carry the snapshot: the citizen masked, the firm named, no
    identity number, phone or address anywhere in the JSON."""
    disclosure = decision.disclosure
    listing = public_client.get(LIST).json()
    assert listing["count"] == 1 and listing["count_capped"] is False
    (row,) = listing["results"]
    assert row["id"] == disclosure.pk and row["title"] == disclosure.title
    assert row["agency"] == {"id": agency_a.pk, "name": "甲市市场监督管理局"}
    assert (row["kind"], row["kind_display"], row["fine_amount"]) == ("fine", "罚款", "5000.00")
    assert row["parties"] == f"王**、{COMPANY_NAME}"
    assert row["url"] == disclosure.get_absolute_url()
    assert "text" not in row
    detail = public_client.get(_detail(disclosure.pk)).json()
    assert detail["text"] == disclosure.text and "王**" in detail["text"]
    assert [r["source"] for r in detail["remedies"]] == [
        "《中华人民共和国行政复议法》第二十条",
        "《中华人民共和国行政诉讼法》第四十六条",
    ]
    for body in (listing, detail):
        raw = json.dumps(body, ensure_ascii=False)
        assert COMPANY_NAME in raw
        for secret in SECRETS:
            assert secret not in raw, secret


def test_the_list_filters_by_agency_region_kind_year_and_words(
    public_client, agency_a, county_agency_a, agency_b, city_a
):
    disclose(agency_a, title="甲市罚款决定", kind="fine", decided_on=datetime.date(2025, 3, 1))
    disclose(county_agency_a, title="乙县警告决定", decided_on=datetime.date(2024, 6, 1))
    disclose(
        agency_b, title="丙市吊销决定", kind="revocation", decided_on=datetime.date(2025, 7, 9)
    )

    def titles(**params):
        return {row["title"] for row in public_client.get(LIST, params).json()["results"]}

    assert titles(region=city_a.code) == {"甲市罚款决定", "乙县警告决定"}
    assert titles(agency=agency_b.pk) == {"丙市吊销决定"}
    assert titles(kind="warning") == {"乙县警告决定"}
    assert titles(year=2025, region=city_a.pk) == {"甲市罚款决定"}
    assert titles(q="吊销") == {"丙市吊销决定"}


def test_pages_are_newest_first_and_link_to_each_other(public_client, agency_a):
    published = publish(agency_a, "对销售过期食品的处罚", category="penalty")
    for n in range(25):
        disclose(agency_a, published, title=f"第{n:02d}号")
    first = public_client.get(LIST, {"page_size": 10}).json()
    second = public_client.get(first["next"]).json()
    third = public_client.get(second["next"]).json()
    titles = [row["title"] for page in (first, second, third) for row in page["results"]]
    assert titles == [f"第{n:02d}号" for n in reversed(range(25))]
    assert first["count"] == 25 and first["previous"] is None and third["next"] is None


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"kind": "nonsense"}, "kind", "选择一个有效的选项"),
        ({"agency": "abc"}, "agency", "编号应为正整数"),
        ({"agency": "999999"}, "agency", "没有这个执法主体"),
        ({"region": "abc"}, "region", "行政区划应为区划代码或数字编号"),
        ({"year": "1800"}, "year", "年份不能早于"),
        ({"decided_to": "yesterday"}, "decided_to", "日期应写作"),
        ({"page": "0"}, "page", "页码应为"),
        ({"page_size": "1000"}, "page", "每页条数"),
        ({"q": "罚" * 101}, "q", "100"),
    ],
)
def test_bad_parameters_get_400_with_a_chinese_message(
    public_client, agency_a, params, field, message
):
    disclose(agency_a)
    response = public_client.get(LIST, params)
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])


@pytest.mark.parametrize("pk", [999999, 10**30])
def test_a_forged_id_is_404(public_client, agency_a, pk):
    disclose(agency_a)
    response = public_client.get(f"{LIST}{pk}/")
    assert response.status_code == 404
    if pk < 10**18:
        assert response.json()["detail"] == "没有这个公示的执法决定。"


def test_a_decision_not_issued_is_not_in_the_api(public_client, agency_a):
    """Only disclosures exist publicly; an unknown id is 404 and the list is empty."""
    assert public_client.get(LIST).json()["results"] == []
    assert public_client.get(_detail(1)).status_code == 404


def test_script_is_returned_as_data_not_markup(public_client, agency_a):
    disclosure = disclose(agency_a, text="正文<script>alert(1)</script>")
    response = public_client.get(_detail(disclosure.pk))
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["text"] == "正文<script>alert(1)</script>"


def test_the_remedy_note_is_in_the_answer(public_client, agency_a):
    disclosure = disclose(agency_a, remedy_note="该决定已被行政复议决定撤销。")
    assert public_client.get(_detail(disclosure.pk)).json()["remedy_note"] == (
        "该决定已被行政复议决定撤销。"
    )


@pytest.mark.parametrize("who", PERSONAS)
def test_the_api_is_the_same_for_everyone(request, who, agency_a):
    """Staff, supervisors and the outsider read the same public snapshots as anyone."""
    disclosure = disclose(agency_a)
    client = client_for(request.getfixturevalue(who) if who else None)
    assert client.get(LIST).json()["count"] == 1
    assert client.get(_detail(disclosure.pk)).json()["parties"] == "张*"


def test_an_anonymous_answer_is_served_from_the_cache(
    public_client, agency_a, django_assert_num_queries
):
    disclosure = disclose(agency_a)
    for url in (LIST, _detail(disclosure.pk)):
        public_client.get(url)
        with django_assert_num_queries(0):
            assert public_client.get(url).status_code == 200


def test_the_endpoints_are_in_the_openapi_schema(public_client):
    schema = public_client.get("/api/v1/schema/", {"format": "json"}).json()
    listing = schema["paths"]["/api/v1/disclosures/"]["get"]
    assert listing["operationId"] == "disclosures_list"
    names = {p["name"] for p in listing["parameters"]}
    assert {"q", "region", "agency", "kind", "year", "decided_from", "decided_to"} <= names
    assert {"page", "page_size"} <= names
    assert (
        "count_capped"
        in schema["components"]["schemas"]["PaginatedDisclosureListList"]["properties"]
    )
    detail = schema["paths"]["/api/v1/disclosures/{id}/"]["get"]
    assert detail["operationId"] == "disclosures_retrieve" and "404" in detail["responses"]


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("params", "bound"),
    [({}, 2), ({"q": "处罚", "region": "220100", "kind": "warning", "page": 2}, 3)],
)
def test_the_list_runs_the_same_number_of_queries_as_the_data_grows(
    public_client, settings, django_assert_max_num_queries, agency_a, params, bound
):
    settings.PUBLIC_CACHE_ENABLED = False
    published = publish(agency_a, "对销售过期食品的处罚", category="penalty")
    for _ in range(25):
        disclose(agency_a, published)
    small = _queries(public_client, LIST, params)
    for agency in [AgencyFactory(region=agency_a.region) for _ in range(3)]:
        other = publish(agency, "对销售过期食品的处罚", category="penalty")
        for _ in range(25):
            disclose(agency, other)
    with django_assert_max_num_queries(small):
        public_client.get(LIST, params)
    assert small <= bound


def test_the_detail_runs_one_query(public_client, settings, agency_a, django_assert_num_queries):
    settings.PUBLIC_CACHE_ENABLED = False
    disclosure = disclose(agency_a)
    with django_assert_num_queries(1):
        public_client.get(_detail(disclosure.pk))
