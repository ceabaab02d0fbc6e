"""The public power-list pages (R3, R4, R9): browse, search, read, with bad input handled."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enforcement.models import Delegation, PowerItem, PowerItemEvent
from tests.conftest import client_for
from tests.factories import AgencyFactory

from .public_helpers import publish

pytestmark = pytest.mark.django_db

INDEX = reverse("enforcement:public-index")
PERSONAS = ["inspector_a", "legal_office_a", "city_supervisor", "outsider_b", "sysadmin", None]


def _get(client, url, **params):
    response = client.get(url, params)
    return response, response.content.decode()


def test_the_home_page_links_to_the_power_list(public_client):
    """R3: the public finds the published lists from the home page."""
    html = public_client.get("/").content.decode()
    assert f'href="{INDEX}"' in html


def test_the_public_browses_province_city_county_to_agency(
    public_client, province, city_a, county_a, county_agency_a
):
    publish(county_agency_a, "食品经营许可")
    _, html = _get(public_client, INDEX)
    assert reverse("enforcement:public-region", args=[province.code]) in html
    _, html = _get(public_client, reverse("enforcement:public-region", args=[city_a.code]))
    assert reverse("enforcement:public-region", args=[county_a.code]) in html
    _, html = _get(public_client, reverse("enforcement:public-region", args=[county_a.code]))
    assert reverse("enforcement:public-agency", args=[county_agency_a.pk]) in html
    assert "甲市" in html and "甲市乙县" in html  # breadcrumb
    response, html = _get(
        public_client, reverse("enforcement:public-agency", args=[county_agency_a.pk])
    )
    assert response.status_code == 200 and "食品经营许可" in html


def test_an_item_page_shows_everything_published(public_client, agency_a):
    """R9, R7: authority, basis with articles, responsibilities, accountability, phone,
    process and the discretion benchmark."""
    agency_a.supervision_phone = "0431-88886666"
    agency_a.save()
    item = publish(
        agency_a,
        "对销售过期食品的行政处罚",
        category="penalty",
        sub_item="没收违法所得",
        discretion=[
            {"order": 2, "circumstances": "情节较重", "penalty": "罚款五万元", "fine_min": "50000"},
            {"order": 1, "circumstances": "首次违法", "penalty": "警告", "fine_max": None},
        ],
    )
    response, html = _get(public_client, reverse("enforcement:public-item", args=[item.pk]))
    assert response.status_code == 200
    for text in (
        item.code,
        "对销售过期食品的行政处罚",
        "没收违法所得",
        "行政处罚",
        "市级",
        "甲市市场监督管理局",
        "行政审批科",
        "《中华人民共和国食品安全法》",
        "第三十五条",
        "受理责任",
        "对符合条件的申请不予受理的。",
        "0431-88886666",
        "申请、受理、审查、决定、送达。",
        "裁量基准",
    ):
        assert text in html, text
    assert html.index("首次违法") < html.index("情节较重")  # tiers in their order


def test_the_item_shows_its_public_change_history_only(public_client, agency_a):
    """R9: when it last changed and what changed; internal steps stay internal."""
    item = publish(agency_a)
    PowerItemEvent.objects.create(item=item.item, kind="published", note="首次公布", public=True)
    PowerItemEvent.objects.create(
        item=item.item, kind="published", note="依据修订后调整条款", public=True
    )
    PowerItemEvent.objects.create(item=item.item, kind="returned", note="内部退回意见")
    _, html = _get(public_client, reverse("enforcement:public-item", args=[item.pk]))
    assert "首次公布" in html and "依据修订后调整条款" in html
    assert "内部退回意见" not in html
    assert item.published_at.astimezone().strftime("%Y-%m-%d") in html


def test_a_delegated_item_names_the_delegated_organisation_and_basis(public_client, agency_a):
    """R4: delegated enforcement shows who enforces and on which basis."""
    item = publish(
        agency_a,
        "占道经营处罚",
        category="penalty",
        delegation={"delegated_organisation": "甲市综合执法大队", "basis": "甲政发〔2024〕3号"},
    )
    _, html = _get(public_client, reverse("enforcement:public-item", args=[item.pk]))
    assert "甲市综合执法大队" in html and "甲政发〔2024〕3号" in html


def test_the_delegating_agency_page_shows_its_delegation_catalogue(public_client, agency_a):
    """R4: the catalogue (organisation, basis, period, items) is on the delegating agency's list;
    a cleared delegation is not."""
    team = AgencyFactory(name="甲市市场监管综合执法大队", region=agency_a.region, kind="delegated")
    other = AgencyFactory(name="已清理的受托组织", region=agency_a.region, kind="delegated")
    delegation = Delegation.objects.create(
        delegating_agency=agency_a,
        delegated_organisation=team,
        basis="甲市政府委托决定〔2025〕7号",
        starts_on="2025-01-01",
        ends_on="2027-12-31",
    )
    Delegation.objects.create(
        delegating_agency=agency_a,
        delegated_organisation=other,
        basis="旧决定",
        starts_on="2020-01-01",
        status="cleared",
        cleared_reason="不符合委托条件",
    )
    item = publish(agency_a, "对无照经营的处罚", category="penalty")
    PowerItem.objects.filter(pk=item.item_id).update(delegation=delegation)
    _, html = _get(public_client, reverse("enforcement:public-agency", args=[agency_a.pk]))
    assert "委托执法目录" in html
    assert "甲市市场监管综合执法大队" in html and "甲市政府委托决定〔2025〕7号" in html
    assert "2025-01-01" in html and "2027-12-31" in html
    assert reverse("enforcement:public-item", args=[item.pk]) in html
    assert "已清理的受托组织" not in html


def test_a_draft_under_revision_neither_hides_nor_leaks(public_client, agency_a):
    """Only published versions are visible; revising the working copy changes nothing public."""
    item = publish(agency_a, "食品经营许可")
    PowerItem.objects.filter(pk=item.item_id).update(
        name="草稿中的新名称", status=PowerItem.Status.DRAFT
    )
    PowerItem.objects.create(
        agency=agency_a, code="DRAFT-1", name="从未公布的草稿", category="penalty", level="city"
    )
    _, html = _get(public_client, INDEX, q="食品")
    assert "食品经营许可" in html and "草稿中的新名称" not in html
    _, html = _get(public_client, reverse("enforcement:public-agency", args=[agency_a.pk]))
    assert "食品经营许可" in html and "从未公布的草稿" not in html
    _, html = _get(public_client, reverse("enforcement:public-item", args=[item.pk]))
    assert "食品经营许可" in html and "草稿中的新名称" not in html


def test_the_search_page_filters_by_region_agency_category_and_level(
    public_client, agency_a, county_agency_a, agency_b, city_a
):
    publish(agency_a, "甲市食品经营许可", category="licensing", level="city")
    publish(county_agency_a, "乙县食品经营许可", category="licensing", level="county")
    publish(agency_b, "丙市排污许可", category="licensing", level="city")
    publish(agency_a, "甲市食品检查", category="inspection", level="city")

    def shown(**params):
        html = _get(public_client, INDEX, **params)[1]
        names = ("甲市食品经营许可", "乙县食品经营许可", "丙市排污许可", "甲市食品检查")
        return {name for name in names if name in html}

    assert shown(q="许可") == {"甲市食品经营许可", "乙县食品经营许可", "丙市排污许可"}
    assert shown(q="许可", region=city_a.code) == {"甲市食品经营许可", "乙县食品经营许可"}
    assert shown(region=str(city_a.pk)) == {"甲市食品经营许可", "乙县食品经营许可", "甲市食品检查"}
    assert shown(agency=agency_b.pk) == {"丙市排污许可"}
    assert shown(category="inspection") == {"甲市食品检查"}
    assert shown(level="county") == {"乙县食品经营许可"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"category": "nonsense"}, "选择一个有效的选项"),
        ({"level": "galaxy"}, "选择一个有效的选项"),
        ({"agency": "abc"}, "编号应为正整数"),
        ({"agency": "999999"}, "没有这个执法主体"),
        ({"agency": "99999999999999999999999"}, "编号应为正整数"),
        ({"region": "江南"}, "行政区划应为区划代码或数字编号"),
        ({"region": "999999"}, "没有这个行政区划"),
        ({"page": "abc"}, "页码应为"),
        ({"page": "0"}, "页码应为"),
        ({"page": "100000000000000000000"}, "页码应为"),
        ({"q": "许" * 101}, "100"),
    ],
)
def test_bad_filters_get_a_clear_chinese_message_not_a_server_error(
    public_client, agency_a, params, message
):
    publish(agency_a)
    response, html = _get(public_client, INDEX, **params)
    assert response.status_code == 400
    assert message in html


@pytest.mark.parametrize("path", ["items", "agencies"])
def test_unknown_and_absurd_ids_are_not_found(public_client, path):
    for pk in (999999, 10**30):
        assert public_client.get(f"/powers/{path}/{pk}/").status_code == 404
    assert public_client.get("/powers/regions/000000/").status_code == 404


def test_script_in_published_texts_is_escaped(public_client, agency_a):
    script = "<script>alert('x')</script>"
    item = publish(
        agency_a,
        f"许可{script}",
        sub_item=script,
        responsibilities=script,
        accountability=script,
        process=script,
        delegation={"delegated_organisation": script, "basis": script},
        bases=[{"title": script, "articles": script}],
        discretion=[{"order": 1, "circumstances": script, "penalty": script}],
    )
    PowerItemEvent.objects.create(item=item.item, kind="published", note=script, public=True)
    for url, params in [
        (reverse("enforcement:public-item", args=[item.pk]), {}),
        (INDEX, {"q": f"许可 {script}"}),
        (reverse("enforcement:public-agency", args=[agency_a.pk]), {"q": script}),
    ]:
        html = _get(public_client, url, **params)[1]
        assert "<script>" not in html
        assert "&lt;script&gt;" in html


@pytest.mark.parametrize("who", PERSONAS)
def test_the_public_pages_open_for_everyone_alike(request, who, agency_a, city_a):
    item = publish(agency_a)
    client = client_for(request.getfixturevalue(who) if who else None)
    for url in (
        INDEX,
        f"{INDEX}?q=许可",
        reverse("enforcement:public-region", args=[city_a.code]),
        reverse("enforcement:public-agency", args=[agency_a.pk]),
        reverse("enforcement:public-item", args=[item.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "食品经营许可" in response.content.decode() or "region" in url


# --- Number of queries: fixed, whatever the amount of data --------------------------------------


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def _grow(agencies, n):
    for agency in agencies:
        for i in range(n):
            item = publish(agency, f"第{i}项许可", category="penalty" if i % 2 else "licensing")
            PowerItemEvent.objects.create(
                item=item.item, kind="published", note="公布", public=True
            )


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("public-index", {}),
        ("public-index", {"q": "许可"}),
        ("public-index", {"q": "许可", "region": "220100", "category": "licensing", "page": "2"}),
        ("public-region", {}),
        ("public-agency", {"q": "许可"}),
        ("public-item", {}),
    ],
)
def test_every_page_runs_the_same_number_of_queries_as_the_data_grows(
    public_client, django_assert_max_num_queries, agency_a, county_agency_a, url_name, params
):
    first = publish(agency_a, "食品经营许可")
    Delegation.objects.create(
        delegating_agency=agency_a,
        delegated_organisation=county_agency_a,
        basis="委托决定",
        starts_on="2025-01-01",
    )
    args = {
        "public-region": ["220100"],
        "public-agency": [agency_a.pk],
        "public-item": [first.pk],
    }.get(url_name, [])
    url = reverse(f"enforcement:{url_name}", args=args)
    _grow([agency_a, county_agency_a], 25)
    small = _queries(public_client, url, **params)
    _grow(
        [agency_a, county_agency_a] + [AgencyFactory(region=agency_a.region) for _ in range(3)], 40
    )
    with django_assert_max_num_queries(small):
        public_client.get(url, params)
    # R3: a search reads its three rank tiers at most; R10: the agency's page also reads the level
    # split of its domains.
    assert small <= (9 if url_name == "public-agency" else 8)


def test_an_item_published_by_the_supervisor_is_found_and_shown_then_withdrawn(
    public_client,
    agency_a,
    city_supervisor,
    inspector_a,
    legal_office_a,
    django_capture_on_commit_callbacks,
):
    """R3: what power_item_publish writes is what the public finds by a two-character word and
    reads, with the legal basis and articles; an approved withdrawal (R2) takes it off the
    public list, and the public reads why on the agency's page of withdrawn items."""
    from enforcement.models import LegalBasis, PowerItemBasis
    from enforcement.services.power_items import power_item_publish

    from .staff_factories import withdraw_through_review

    basis = LegalBasis.objects.create(
        title="中华人民共和国药品管理法",
        issuer="全国人大常委会",
        level="law",
        published_on="2019-08-26",
    )
    working = PowerItem.objects.create(
        agency=agency_a,
        code="YP-001",
        name="药品零售企业经营许可",
        category="licensing",
        level="city",
        status=PowerItem.Status.LEGAL_PASSED,
    )
    PowerItemBasis.objects.create(item=working, basis=basis, articles="第五十一条")
    published = power_item_publish(item=working, actor=city_supervisor)

    html = _get(public_client, INDEX, q="许可")[1]
    assert reverse("enforcement:public-item", args=[published.pk]) in html
    html = _get(public_client, reverse("enforcement:public-item", args=[published.pk]))[1]
    assert "《中华人民共和国药品管理法》" in html and "第五十一条" in html and "法律" in html
    assert "首次公布" in html  # the public history written by the service

    with django_capture_on_commit_callbacks(execute=True):  # as when the withdrawal commits
        withdraw_through_review(working, inspector_a, legal_office_a, city_supervisor, "职能划转")
    assert "药品零售企业经营许可" not in _get(public_client, INDEX, q="许可")[1]
    assert (
        public_client.get(reverse("enforcement:public-item", args=[published.pk])).status_code
        == 404
    )
    withdrawn = reverse("enforcement:public-agency-withdrawn", args=[agency_a.pk])
    html = _get(public_client, withdrawn)[1]
    assert "YP-001" in html and "药品零售企业经营许可" in html and "职能划转" in html
