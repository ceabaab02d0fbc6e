"""The supervisors' dashboard (the workspace): R13, the unfavourable reconsideration and
litigation outcomes of their region and below that await accountability screening, the count and
the oldest twenty; the administrator sees every region's; agency staff do not see the section."""

import pytest
from django.urls import reverse
from django.utils import timezone

from enforcement.models import Case, RemedyOutcome
from enforcement.services.remedies import remedy_screen
from portal.roles import Role
from portal.services import user_assign_role
from tests.conftest import client_for
from tests.enforcement.staff_factories import make_published
from tests.factories import UserFactory

from .todo_world import BUDGET

pytestmark = pytest.mark.django_db

WORKSPACE = reverse("portal:workspace")


@pytest.fixture
def item_a(agency_a, inspector_a, legal_office_a, city_supervisor):
    return make_published(agency_a, inspector_a, legal_office_a, city_supervisor)


def a_case(agency, item, opened_by, summary="案由") -> Case:
    # The dashboard only reads outcomes: a bare case row is enough (the rules of recording them
    # are tested in tests/enforcement/test_remedies.py).
    return Case.objects.create(
        agency=agency,
        power_item=item,
        item_code=item.code,
        item_name=item.name,
        source=Case.Source.INSPECTION,
        summary=summary,
        opened_by=opened_by,
        stage="service",
    )


def an_outcome(case, n, recorded_by, outcome="revoked") -> RemedyOutcome:
    return RemedyOutcome.objects.create(
        case=case,
        kind=RemedyOutcome.Kind.RECONSIDERATION,
        body="人民政府",
        reference=f"复决〔2025〕{case.pk}-{n}号",
        decided_on=timezone.localdate(),
        outcome=outcome,
        summary="理由",
        recorded_by=recorded_by,
        needs_screening=outcome in RemedyOutcome.UNFAVOURABLE,
    )


@pytest.fixture
def cases(agency_a, county_agency_a, agency_b, item_a, inspector_a) -> dict[str, Case]:
    return {
        "city": a_case(agency_a, item_a, inspector_a, "市级案件"),
        "county": a_case(county_agency_a, item_a, inspector_a, "县级案件"),
        "other": a_case(agency_b, item_a, inspector_a, "丙市案件"),
    }


def section(html: str) -> str:
    start = html.index('id="remedy-screening"')
    return html[start : html.index("</section>", start)]


def test_the_supervisor_sees_the_flagged_unscreened_outcomes_of_the_city_and_its_counties(
    cases, inspector_a, city_supervisor
):
    """R13: the city's and the county's flagged outcomes; not the upheld, not the screened,
    not another city's."""
    city = an_outcome(cases["city"], 1, inspector_a)
    county = an_outcome(cases["county"], 1, inspector_a, outcome="ordered_to_perform")
    an_outcome(cases["city"], 2, inspector_a, outcome="upheld")
    screened = an_outcome(cases["city"], 3, inspector_a)
    remedy_screen(outcome=screened, actor=city_supervisor, note="不予问责。")
    elsewhere = an_outcome(cases["other"], 1, inspector_a)
    html = section(client_for(city_supervisor).get(WORKSPACE).content.decode())
    assert "复议诉讼不利结果 · 待问责筛查" in html and 'data-count="screening">2<' in html
    assert f"#remedy-{city.pk}" in html and f"#remedy-{county.pk}" in html
    assert "乙县市场监督管理局" in html and "责令履行" in html and "行政复议" in html
    assert f"#remedy-{screened.pk}" not in html and f"#remedy-{elsewhere.pk}" not in html
    assert timezone.localdate().strftime("%Y-%m-%d") in html


def test_only_the_oldest_twenty_are_listed_with_the_full_count(cases, inspector_a, city_supervisor):
    outcomes = [an_outcome(cases["city"], n, inspector_a) for n in range(22)]
    html = section(client_for(city_supervisor).get(WORKSPACE).content.decode())
    assert 'data-count="screening">22<' in html
    assert all(f'#remedy-{o.pk}"' in html for o in outcomes[:20])
    assert not any(f'#remedy-{o.pk}"' in html for o in outcomes[20:])
    assert "仅列出录入最早的 20 件" in html


def test_the_administrator_sees_every_region(cases, inspector_a, sysadmin):
    other = an_outcome(cases["other"], 1, inspector_a)
    city = an_outcome(cases["city"], 1, inspector_a)
    html = section(client_for(sysadmin).get(WORKSPACE).content.decode())
    assert f"#remedy-{other.pk}" in html and f"#remedy-{city.pk}" in html


def test_another_citys_supervisor_sees_only_its_own(cases, inspector_a, city_b):
    user = UserFactory(username="city_b_supervisor", name="city_b_supervisor")
    supervisor_b = user_assign_role(user=user, role=Role.SUPERVISOR, region=city_b, actor=None)
    other = an_outcome(cases["other"], 1, inspector_a)
    city = an_outcome(cases["city"], 1, inspector_a)
    html = section(client_for(supervisor_b).get(WORKSPACE).content.decode())
    assert f"#remedy-{other.pk}" in html and f"#remedy-{city.pk}" not in html


def test_an_empty_dashboard_says_so(city_supervisor):
    html = section(client_for(city_supervisor).get(WORKSPACE).content.decode())
    assert 'data-count="screening">0<' in html and "没有待问责筛查的复议、诉讼结果" in html


@pytest.mark.parametrize("who", ["inspector_a", "legal_office_a", "outsider_b"])
def test_agency_staff_do_not_see_the_section(request, who, cases, inspector_a):
    an_outcome(cases["city"], 1, inspector_a)
    html = client_for(request.getfixturevalue(who)).get(WORKSPACE).content.decode()
    assert 'id="remedy-screening"' not in html and "待问责筛查" not in html
    assert reverse("cases:file-reviews") not in html


def test_the_supervisor_is_linked_to_the_file_reviews(city_supervisor, sysadmin):
    for user in (city_supervisor, sysadmin):
        html = client_for(user).get(WORKSPACE).content.decode()
        assert f'href="{reverse("cases:file-reviews")}"' in html


def test_the_public_is_sent_to_log_in(public_client):
    response = public_client.get(WORKSPACE)
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("count", [2, 25])
@pytest.mark.parametrize("who", ["city_supervisor", "sysadmin"])
def test_the_dashboard_stays_constant_in_queries(
    request, who, count, cases, inspector_a, django_assert_max_num_queries
):
    for n in range(count):
        an_outcome(cases["city" if n % 2 else "county"], n, inspector_a)
    client = client_for(request.getfixturevalue(who))
    # The workspace with its to-do list: a fixed count, whatever the outcomes (2 or 25).
    with django_assert_max_num_queries(BUDGET[who]):
        response = client.get(WORKSPACE)
    assert section(response.content.decode()).count("#remedy-") == min(count, 20)
