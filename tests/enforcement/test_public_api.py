"""The public power-list API (R3, R9): published items only, filters, search, paging, 400s."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enforcement.models import PowerItem, PowerItemEvent
from enforcement.selectors import public as selectors
from tests.conftest import client_for
from tests.factories import AgencyFactory

from .public_helpers import publish

pytestmark = pytest.mark.django_db

LIST = reverse("api:power-item-list")
PERSONAS = ["inspector_a", "legal_office_a", "city_supervisor", "outsider_b", "sysadmin", None]


def _detail(pk) -> str:
    return reverse("api:power-item-detail", args=[pk])


def test_the_list_shows_published_items_only(public_client, agency_a):
    """R9: drafts never reach the public; a revised draft leaves the published copy in place."""
    item = publish(agency_a, "食品经营许可")
    PowerItem.objects.filter(pk=item.item_id).update(name="修订中的草稿", status="draft")
    PowerItem.objects.create(
        agency=agency_a, code="D-1", name="从未公布的草稿", category="penalty", level="city"
    )
    body = public_client.get(LIST).json()
    assert body["count"] == 1 and body["count_capped"] is False
    (row,) = body["results"]
    assert row["name"] == "食品经营许可"
    assert row["agency"] == {"id": agency_a.pk, "name": "甲市市场监督管理局"}
    assert row["category"] == "licensing" and row["category_display"] == "行政许可"
    assert row["url"] == reverse("enforcement:public-item", args=[item.pk])


def test_filters_by_text_region_agency_category_and_level(
    public_client, agency_a, county_agency_a, agency_b, city_a
):
    publish(agency_a, "甲市食品经营许可", category="licensing", level="city")
    publish(county_agency_a, "乙县食品经营许可", category="licensing", level="county")
    publish(agency_b, "丙市排污许可", category="licensing", level="city")
    publish(agency_a, "甲市食品检查", category="inspection", level="city")

    def names(**params):
        return {row["name"] for row in public_client.get(LIST, params).json()["results"]}

    assert names(q="许可") == {"甲市食品经营许可", "乙县食品经营许可", "丙市排污许可"}
    assert names(q="食品 许可", region=city_a.code) == {"甲市食品经营许可", "乙县食品经营许可"}
    assert names(region=city_a.pk, level="county") == {"乙县食品经营许可"}
    assert names(agency=agency_b.pk) == {"丙市排污许可"}
    assert names(category="inspection") == {"甲市食品检查"}


def test_pages_follow_one_total_order_and_link_to_each_other(public_client, agency_a):
    for n in range(25):
        publish(agency_a, f"第{n:02d}项许可", code=f"X{n:02d}")
    first = public_client.get(LIST, {"page_size": 10}).json()
    second = public_client.get(first["next"]).json()
    third = public_client.get(second["next"]).json()
    codes = [row["code"] for page in (first, second, third) for row in page["results"]]
    assert codes == [f"X{n:02d}" for n in range(25)]
    assert first["count"] == 25 and first["previous"] is None and third["next"] is None


def test_the_count_stops_at_the_cap(public_client, agency_a, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 5)
    for n in range(8):
        publish(agency_a, f"第{n}项许可")
    body = public_client.get(LIST, {"page_size": 2}).json()
    assert body["count"] == 5 and body["count_capped"] is True


def test_the_detail_shows_everything_published_and_the_public_history(public_client, agency_a):
    """R4, R7, R9: bases with articles, discretion, delegation, phone, public history."""
    item = publish(
        agency_a,
        "对无证经营的处罚",
        category="penalty",
        discretion=[{"order": 1, "circumstances": "首次", "penalty": "警告", "fine_min": None}],
        delegation={
            "delegated_organisation": "甲市综合执法大队",
            "basis": "委托决定",
            "starts_on": "2025-01-01",
            "ends_on": None,
        },
    )
    PowerItemEvent.objects.create(item=item.item, kind="published", note="首次公布", public=True)
    PowerItemEvent.objects.create(item=item.item, kind="returned", note="内部意见")
    body = public_client.get(_detail(item.pk)).json()
    assert body["bases"][0]["title"] == "《中华人民共和国食品安全法》"
    assert body["bases"][0]["articles"] == "第三十五条" and body["bases"][0]["level"] == "法律"
    assert body["discretion"][0]["penalty"] == "警告"
    assert body["delegation"]["organisation"] == "甲市综合执法大队"
    assert body["supervision_phone"] == agency_a.supervision_phone
    assert [e["note"] for e in body["history"]] == ["首次公布"]
    assert body["responsibilities"] and body["accountability"] and body["process"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"category": "nonsense"}, "category", "选择一个有效的选项"),
        ({"level": "x"}, "level", "选择一个有效的选项"),
        ({"agency": "abc"}, "agency", "编号应为正整数"),
        ({"agency": "-3"}, "agency", "编号应为正整数"),
        ({"agency": "999999"}, "agency", "没有这个执法主体"),
        ({"region": "abc"}, "region", "行政区划应为区划代码或数字编号"),
        ({"region": "123456"}, "region", "没有这个行政区划"),
        ({"page": "abc"}, "page", "页码应为"),
        ({"page": "99999999999999999999"}, "page", "页码应为"),
        ({"page_size": "100000"}, "page", "每页条数"),
        ({"q": "许" * 101}, "q", "100"),
    ],
)
def test_bad_parameters_get_400_with_a_chinese_message(
    public_client, agency_a, params, field, message
):
    publish(agency_a)
    response = public_client.get(LIST, params)
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])


def test_unknown_and_absurd_ids_are_404(public_client):
    for pk in (999999, 10**30):
        response = public_client.get(f"/api/v1/power-items/{pk}/")
        assert response.status_code == 404
    assert "没有这个已公布的事项" in public_client.get(_detail(999999)).json()["detail"]


def test_script_in_texts_is_returned_as_data_not_markup(public_client, agency_a):
    """JSON carries the text as it was written; the content type keeps browsers from running it."""
    item = publish(agency_a, "许可<script>alert(1)</script>")
    response = public_client.get(_detail(item.pk))
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["name"] == "许可<script>alert(1)</script>"


@pytest.mark.parametrize("who", PERSONAS)
def test_the_api_is_the_same_for_everyone(request, who, agency_a):
    item = publish(agency_a)
    client = client_for(request.getfixturevalue(who) if who else None)
    assert client.get(LIST, {"q": "许可"}).json()["count"] == 1
    assert client.get(_detail(item.pk)).status_code == 200


def test_the_endpoints_are_in_the_openapi_schema(public_client):
    schema = public_client.get("/api/v1/schema/", {"format": "json"}).json()
    listing = schema["paths"]["/api/v1/power-items/"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"q", "region", "agency", "category", "level", "page", "page_size"} <= names
    assert listing["operationId"] == "power_items_list"
    page = schema["components"]["schemas"]["PaginatedPublishedPowerItemListList"]
    assert "count_capped" in page["properties"]
    assert "/api/v1/power-items/{id}/" in schema["paths"]


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "许可"}, {"q": "食品 许可", "region": "220100", "category": "licensing", "page": 2}],
)
def test_the_list_runs_the_same_number_of_queries_as_the_data_grows(
    public_client, django_assert_max_num_queries, agency_a, params
):
    for n in range(45):
        publish(agency_a, f"第{n}项食品许可")
    small = _queries(public_client, LIST, params)
    for agency in [AgencyFactory(region=agency_a.region) for _ in range(4)]:
        for n in range(40):
            publish(agency, f"第{n}项食品许可")
    with django_assert_max_num_queries(small):
        public_client.get(LIST, params)
    assert small <= 5  # a search reads its three rank tiers at most (R3)


def test_the_detail_runs_the_same_number_of_queries_as_its_history_grows(
    public_client, django_assert_max_num_queries, agency_a
):
    item = publish(agency_a)
    small = _queries(public_client, _detail(item.pk), {})
    for n in range(30):
        PowerItemEvent.objects.create(
            item=item.item, kind="published", note=f"第{n}次", public=True
        )
    with django_assert_max_num_queries(small):
        public_client.get(_detail(item.pk))
    assert small <= 2


def test_the_fast_list_rows_equal_the_declared_serializer_fields(agency_a):
    """The hand-written row of a list page must say exactly what the declared fields say."""
    from enforcement.api.serializers.public import PublishedPowerItemListSerializer

    publish(agency_a, "食品经营许可", sub_item="新办")
    (plain,) = list(selectors.published_list())
    (decorated,) = selectors.page_rows([plain.pk])
    selectors.decorate_rows([decorated])
    serializer = PublishedPowerItemListSerializer()
    fast = serializer.to_representation(decorated)
    assert fast == serializer.to_representation(plain)
    assert list(fast) == list(serializer.fields)


def test_a_page_past_the_end_is_empty_and_still_counts(public_client, agency_a):
    for n in range(3):
        publish(agency_a, f"第{n}项许可")
    body = public_client.get(LIST, {"page": 5}).json()
    assert body["results"] == [] and body["count"] == 3 and body["next"] is None
    assert body["previous"] is not None
