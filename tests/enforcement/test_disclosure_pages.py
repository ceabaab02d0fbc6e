"""R9 on the public pages: the disclosed decisions (list, filters, one decision with the party's
remedies) and the agency's page gathering its bases, procedures, benchmarks, remedies and latest
disclosures. A citizen's identity never reaches a public page; an organisation's name does.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enforcement.models import Case, Decision, DecisionDisclosure, PowerItem
from tests.conftest import client_for
from tests.factories import AgencyFactory

from .public_helpers import publish
from .test_disclosures import COMPANY_NAME, SECRETS, drafted, issued

pytestmark = pytest.mark.django_db

LIST = reverse("disclosures:list")
PERSONAS = ["inspector_a", "legal_office_a", "city_supervisor", "outsider_b", "sysadmin", None]
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def decision(agency_a, item_a, officers_a, inspector_a) -> Decision:
    """A fine on a citizen and a firm, issued (and so disclosed) through the services."""
    return issued(agency_a, item_a, officers_a, inspector_a)


@pytest.fixture
def no_public_cache(settings):
    """Query counts measure the page itself, not the shared cache."""
    settings.PUBLIC_CACHE_ENABLED = False


def _opener():
    """The case's opener, one for all (no password: hashing one per row is slow)."""
    return get_user_model().objects.get_or_create(username="disclosure-opener")[0]


def disclose(agency, published=None, *, kind="warning", decided_on=None, **fields):
    """A disclosure written directly, with the case and issued decision it belongs to."""
    published = published or publish(agency, "对销售过期食品的处罚", category="penalty")
    case = Case.objects.create(
        agency=agency,
        power_item=published.item,
        item_code=published.code,
        item_name=published.name,
        source="inspection",
        summary="现场检查",
        opened_by=_opener(),
    )
    decision = Decision.objects.create(
        case=case,
        kind="warning",
        status="issued",
        issued_at=timezone.now(),
        explanation="说明",
        draft="决定给予警告。",
    )
    values = {
        "title": f"{agency.name}行政处罚决定书（{published.name}）",
        "item_code": published.code,
        "item_name": published.name,
        "kind": kind,
        "kind_label": dict(Decision.Kind.choices)[kind],
        "parties": "张*",
        "text": "决定给予警告。",
        "decided_on": decided_on or timezone.localdate(),
    }
    return DecisionDisclosure.objects.create(decision=decision, agency=agency, **(values | fields))


def _get(client, url, **params):
    response = client.get(url, params)
    return response, response.content.decode()


def _detail(pk) -> str:
    return reverse("disclosures:detail", args=[pk])


def _agency_page(agency) -> str:
    return reverse("enforcement:public-agency", args=[agency.pk])


# --- Disclosed at once, redacted ----------------------------------------------------------------


def test_the_home_page_links_to_the_disclosures(public_client):
    """R9: the public finds the disclosures from the home page."""
    assert f'href="{LIST}"' in public_client.get("/").content.decode()


def test_an_issued_decision_is_public_at_once_even_after_the_list_was_cached(
    public_client, agency_a, item_a, officers_a, inspector_a, django_capture_on_commit_callbacks
):
    """R9, public by default: the issue commits and the cached list shows the decision."""
    assert "没有符合条件的公示决定" in _get(public_client, LIST)[1]
    with django_capture_on_commit_callbacks(execute=True):
        decision = issued(agency_a, item_a, officers_a, inspector_a)
    html = _get(public_client, LIST)[1]
    assert decision.disclosure.get_absolute_url() in html
    response, html = _get(public_client, decision.disclosure.get_absolute_url())
    assert response.status_code == 200 and decision.disclosure.title in html


def test_no_public_page_shows_a_citizens_identity_but_the_firm_is_named(
    public_client, decision, agency_a
):
    """R9: the citizen's full name, identity number, phone and address appear on no public page
    or API answer; the citizen is named by surname and the firm in full."""
    disclosure = decision.disclosure
    for url in (
        LIST,
        f"{LIST}?agency={agency_a.pk}",
        disclosure.get_absolute_url(),
        _agency_page(agency_a),
        reverse("api:disclosure-list"),
        reverse("api:disclosure-detail", args=[disclosure.pk]),
    ):
        response = public_client.get(url)
        body = response.content.decode() if "api" not in url else str(response.json())
        assert response.status_code == 200, url
        for secret in SECRETS:
            assert secret not in body, (url, secret)
        assert "王**" in body and COMPANY_NAME in body, url


def test_the_decision_page_shows_the_disclosed_facts_and_the_remedies(public_client, decision):
    """R9: parties, item, kind, fine, date, the redacted text, and the party's remedies:
    reconsideration within 60 days, litigation within 6 months."""
    disclosure = decision.disclosure
    response, html = _get(public_client, disclosure.get_absolute_url())
    assert response.status_code == 200
    for text in (
        disclosure.title,
        "甲市市场监督管理局",
        disclosure.item_code,
        disclosure.item_name,
        "罚款",
        "5000.00",
        disclosure.decided_on.strftime("%Y-%m-%d"),
        "〔已隐去〕",
        "行政复议",
        "六十日",
        "《中华人民共和国行政复议法》第二十条",
        "行政诉讼",
        "六个月",
        "《中华人民共和国行政诉讼法》第四十六条",
    ):
        assert text in html, text
    assert "csrfmiddlewaretoken" not in html and "csrftoken" not in response.cookies


def test_a_revoked_decision_says_so_prominently(public_client, agency_a):
    """R13 feeds R9: what a reconsideration or court did to the decision is shown highlighted."""
    disclosure = disclose(agency_a, remedy_note="该决定已被甲市人民政府行政复议决定撤销。")
    html = _get(public_client, _detail(disclosure.pk))[1]
    assert 'class="warning"' in html and "该决定已被甲市人民政府行政复议决定撤销。" in html
    assert "该决定已被" in _get(public_client, LIST)[1]
    plain = disclose(agency_a)
    assert 'class="warning"' not in _get(public_client, _detail(plain.pk))[1]


def test_a_decision_not_issued_has_no_disclosure_and_no_page(
    public_client, agency_a, item_a, officers_a, inspector_a
):
    """R9 discloses issued decisions only: a draft is on no list and has no page."""
    draft = drafted(agency_a, item_a, officers_a, inspector_a)
    assert not DecisionDisclosure.objects.exists()
    assert "没有符合条件的公示决定" in _get(public_client, LIST)[1]
    for pk in (draft.pk, draft.case_id):
        assert public_client.get(_detail(pk)).status_code == 404


@pytest.mark.parametrize("pk", [999999, 10**30])
def test_a_forged_id_is_not_found(public_client, agency_a, pk):
    disclose(agency_a)
    assert public_client.get(f"{LIST}{pk}/").status_code == 404


def test_script_in_a_decision_is_escaped(public_client, agency_a):
    disclosure = disclose(
        agency_a,
        title=f"决定书{SCRIPT}",
        item_name=SCRIPT,
        parties=SCRIPT,
        text=f"正文{SCRIPT}",
        remedy_note=SCRIPT,
    )
    for url in (_detail(disclosure.pk), LIST, _agency_page(agency_a)):
        html = _get(public_client, url)[1]
        assert "<script>" not in html, url
        assert "&lt;script&gt;" in html, url


@pytest.mark.parametrize("who", PERSONAS)
def test_the_pages_are_the_same_redacted_pages_for_everyone(request, who, decision):
    """Staff of the deciding agency and the outsider read the same redacted snapshot as the
    public: the public pages never read the case."""
    client = client_for(request.getfixturevalue(who) if who else None)
    for url in (LIST, decision.disclosure.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "王**" in html and all(secret not in html for secret in SECRETS)


def test_an_anonymous_page_is_served_from_the_cache(
    public_client, agency_a, django_assert_num_queries
):
    disclosure = disclose(agency_a)
    for url in (LIST, _detail(disclosure.pk)):
        public_client.get(url)
        with django_assert_num_queries(0):
            assert public_client.get(url).status_code == 200


# --- The list: newest first, pages, filters -----------------------------------------------------


def test_the_list_is_newest_first_twenty_a_page(public_client, agency_a):
    published = publish(agency_a, "对销售过期食品的处罚", category="penalty")
    made = [disclose(agency_a, published, title=f"第{n:02d}号决定") for n in range(23)]
    _, first = _get(public_client, LIST)
    assert "第22号决定" in first and "第03号决定" in first and "第02号决定" not in first
    assert first.index("第22号决定") < first.index("第21号决定")
    _, second = _get(public_client, LIST, page=2)
    assert "第02号决定" in second and "第00号决定" in second and "第03号决定" not in second
    assert len(made) == 23 and "共 23 件" in first


def test_a_year_or_dates_list_the_decisions_by_their_date_newest_first(public_client, agency_a):
    """Narrowed by decision date, the list is in decision-date order (the disclosure of an older
    decision published later comes after the newer decision)."""
    published = publish(agency_a, "对销售过期食品的处罚", category="penalty")
    disclose(agency_a, published, title="三月的决定", decided_on=datetime.date(2025, 3, 1))
    disclose(agency_a, published, title="九月的决定", decided_on=datetime.date(2025, 9, 1))
    disclose(agency_a, published, title="一月的决定", decided_on=datetime.date(2025, 1, 5))
    for params in ({"year": "2025"}, {"decided_from": "2025-01-01"}):
        html = _get(public_client, LIST, **params)[1]
        assert html.index("九月的决定") < html.index("三月的决定") < html.index("一月的决定")
    unfiltered = _get(public_client, LIST)[1]  # by disclosure, newest first
    assert unfiltered.index("一月的决定") < unfiltered.index("九月的决定")


def test_the_list_filters_by_region_agency_kind_date_and_words(
    public_client, agency_a, county_agency_a, agency_b, city_a, county_a
):
    disclose(agency_a, title="甲市罚款决定", kind="fine", decided_on=datetime.date(2025, 3, 1))
    disclose(
        county_agency_a, title="乙县警告决定", kind="warning", decided_on=datetime.date(2024, 6, 1)
    )
    disclose(
        agency_b, title="丙市吊销决定", kind="revocation", decided_on=datetime.date(2025, 7, 9)
    )

    def shown(**params):
        html = _get(public_client, LIST, **params)[1]
        return {t for t in ("甲市罚款决定", "乙县警告决定", "丙市吊销决定") if t in html}

    assert shown(region=city_a.code) == {"甲市罚款决定", "乙县警告决定"}
    assert shown(region=str(county_a.pk)) == {"乙县警告决定"}
    assert shown(agency=agency_b.pk) == {"丙市吊销决定"}
    assert shown(kind="fine") == {"甲市罚款决定"}
    assert shown(year="2025") == {"甲市罚款决定", "丙市吊销决定"}
    assert shown(decided_from="2024-01-01", decided_to="2025-03-01") == {
        "甲市罚款决定",
        "乙县警告决定",
    }
    assert shown(q="警告") == {"乙县警告决定"}
    assert shown(q="销售 过期") == {"甲市罚款决定", "乙县警告决定", "丙市吊销决定"}  # item name
    assert shown(q="罚款 吊销") == set()  # every word must match
    html = _get(public_client, LIST, agency=agency_b.pk)[1]
    assert "丙市生态环境局" in html  # the chosen agency is named


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "nonsense"}, "选择一个有效的选项"),
        ({"agency": "abc"}, "编号应为正整数"),
        ({"agency": "999999"}, "没有这个执法主体"),
        ({"agency": "99999999999999999999999"}, "编号应为正整数"),
        ({"region": "江南"}, "行政区划应为区划代码或数字编号"),
        ({"region": "999999"}, "没有这个行政区划"),
        ({"year": "twenty"}, "年份应为四位数字"),
        ({"year": "1999"}, "年份不能早于 2000 年"),
        ({"decided_from": "2025-13-01"}, "日期应写作"),
        ({"decided_from": "2025-03-02", "decided_to": "2025-03-01"}, "截止日期不能早于起始日期"),
        ({"page": "abc"}, "页码应为"),
        ({"page": "100000000000000000000"}, "页码应为"),
        ({"q": "罚" * 101}, "100"),
    ],
)
def test_bad_filters_get_a_clear_chinese_message_not_a_server_error(
    public_client, agency_a, params, message
):
    disclose(agency_a)
    response, html = _get(public_client, LIST, **params)
    assert response.status_code == 400
    assert message in html


# --- The agency's page (R9): authority, bases, procedure, benchmarks, remedies ------------------


def test_the_agency_page_gathers_bases_procedures_benchmarks_remedies_and_disclosures(
    public_client, agency_a, agency_b
):
    law = {"title": "中华人民共和国食品安全法", "level": "law", "articles": "第一百二十四条"}
    publish(
        agency_a,
        "对销售过期食品的处罚",
        category="penalty",
        bases=[law, {"title": "测试省食品小作坊管理条例", "level": "local_regulation"}],
        process="立案、调查、告知、决定、送达。",
        discretion=[{"order": 1, "circumstances": "首次违法且及时改正", "penalty": "警告"}],
    )
    publish(
        agency_a,
        "对未取得许可从事食品经营的处罚",
        category="penalty",
        bases=[law | {"articles": "第一百二十二条"}],
        process="立案、调查、告知、决定、送达。",
    )
    PowerItem.objects.create(
        agency=agency_a,
        code="DRAFT-1",
        name="草稿事项",
        category="penalty",
        level="city",
        process="草稿中的流程",
    )
    disclose(agency_b, title="另一机关的决定")
    published = publish(agency_a, "对无证经营的处罚", category="penalty", bases=[law])
    shown = [disclose(agency_a, published, title=f"第{n:02d}号公示决定") for n in range(12)]
    response, html = _get(public_client, _agency_page(agency_a))
    assert response.status_code == 200
    assert html.count("《中华人民共和国食品安全法》") == 1  # de-duplicated across items
    assert "第一百二十四条" in html and "第一百二十二条" in html
    assert "《测试省食品小作坊管理条例》" in html
    assert html.count("立案、调查、告知、决定、送达。") == 1  # shared by two items
    assert "首次违法且及时改正" in html and "裁量基准" in html
    assert "《中华人民共和国行政复议法》第二十条" in html
    assert "《中华人民共和国行政诉讼法》第四十六条" in html
    assert "第11号公示决定" in html and "第02号公示决定" in html
    assert "第01号公示决定" not in html  # the latest ten only
    assert shown[-1].get_absolute_url() in html
    assert f"{LIST}?agency={agency_a.pk}" in html
    assert "另一机关的决定" not in html and "草稿中的流程" not in html


def test_an_agency_without_items_or_disclosures_still_names_its_remedies(public_client, agency_a):
    html = _get(public_client, _agency_page(agency_a))[1]
    assert "暂无公示的执法决定" in html and "暂无已公布的执法依据" in html
    assert "《中华人民共和国行政复议法》第二十条" in html


def test_the_agency_breadcrumb_still_runs_from_the_province(public_client, county_agency_a):
    html = _get(public_client, _agency_page(county_agency_a))[1]
    assert html.index("测试省") < html.index("甲市") < html.index("甲市乙县")


# --- Number of queries: fixed, whatever the amount of data --------------------------------------


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def _grow(agency, n):
    published = publish(
        agency,
        "对销售过期食品的处罚",
        category="penalty",
        discretion=[{"order": 1, "circumstances": "首次", "penalty": "警告"}],
    )
    for i in range(n):
        publish(agency, f"第{i}项处罚", category="penalty", process=f"流程{i % 3}")
        disclose(agency, published, kind="fine" if i % 2 else "warning", remedy_note="")


@pytest.mark.parametrize(
    ("page", "params", "bound"),
    [
        ("list", {}, 3),
        ("list", {"region": "220100", "agency": "AGENCY", "kind": "fine", "q": "处罚"}, 5),
        ("list", {"year": "2025", "page": "2"}, 3),
        ("detail", {}, 1),
        ("agency", {}, 7),  # R10: and the level split of the agency's domains
    ],
)
def test_every_page_runs_the_same_number_of_queries_as_the_data_grows(
    public_client, no_public_cache, django_assert_max_num_queries, agency_a, page, params, bound
):
    first = disclose(agency_a)
    params = {k: str(agency_a.pk) if v == "AGENCY" else v for k, v in params.items()}
    url = {"list": LIST, "detail": _detail(first.pk), "agency": _agency_page(agency_a)}[page]
    _grow(agency_a, 5)
    small = _queries(public_client, url, **params)
    for agency in [agency_a, *(AgencyFactory(region=agency_a.region) for _ in range(2))]:
        _grow(agency, 25)
    with django_assert_max_num_queries(small):
        public_client.get(url, params)
    assert small <= bound


def test_fines_are_shown_with_their_amount(public_client, agency_a):
    disclose(agency_a, kind="fine", fine_amount=Decimal("12345.60"), title="罚款决定")
    assert "12345.60" in _get(public_client, LIST)[1]
