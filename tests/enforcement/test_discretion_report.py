"""R7: the supervisors' check of how discretion benchmarks (裁量权基准) are applied.

Per agency and power item: the issued penalty decisions of a year, how many name a tier, how
many fines fall within the applied tier's range, below it or above it, the smallest and largest
fine; then the decisions to look at: fines outside their tier's range (with the tier's range and
the reason stated) and penalties naming no tier although the item has tiers, each linking to its
case. Scoped to the supervisor's region; the administrator sees everything.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from enforcement.models import Decision
from portal.roles import Role
from portal.services import user_assign_role
from tests.conftest import client_for
from tests.factories import OfficerFactory, UserFactory

from .staff_factories import make_published, make_tiers
from .test_fines import case_in_decision, draft_decision, issue

pytestmark = pytest.mark.django_db

URL = "cases:discretion-report"


class Agency:
    """What it takes to issue decisions for one agency."""

    def __init__(self, agency, item, officers, staff, office):
        self.agency, self.item, self.officers = agency, item, officers
        self.staff, self.office = staff, office

    def decide(self, kind="fine", amount=None, tier=None, reason="", summary=None) -> Decision:
        case = case_in_decision(self.agency, self.item, self.officers, self.staff, summary=summary)
        decision = draft_decision(
            case,
            self.staff,
            kind=kind,
            amount=Decimal(amount) if amount else None,
            tier=tier,
            outside_tier_reason=reason,
        )
        return issue(decision, self.staff, self.office)


@pytest.fixture
def a(agency_a, item_a, officers_a, inspector_a, legal_office_a) -> Agency:
    return Agency(agency_a, item_a, officers_a, inspector_a, legal_office_a)


@pytest.fixture
def b(agency_b, outsider_b, sysadmin) -> Agency:
    office = user_assign_role(
        user=UserFactory(username="legal_b"), role=Role.LEGAL_OFFICE, actor=None, agency=agency_b
    )
    item = make_published(agency_b, outsider_b, office, sysadmin)
    officers = [OfficerFactory(agency=agency_b) for _ in range(2)]
    return Agency(agency_b, item, officers, outsider_b, office)


@pytest.fixture
def applied(a) -> dict[str, Decision]:
    """Agency A's decisions this year: one fine issued before the item had a benchmark, then
    one fine within its tier, one above and one below (each with its reason), a warning, and a
    decision of another kind (not a penalty)."""
    untiered = a.decide(amount="8000", summary="基准制定前的罚款")
    tiers = make_tiers(a.item)
    return {
        "untiered": untiered,
        "within": a.decide(amount="20000", tier=tiers[1]),
        "above": a.decide(amount="40000", tier=tiers[1], reason="当事人拒不改正，多次违法。"),
        "below": a.decide(amount="3000", tier=tiers[1], reason="当事人主动消除违法后果。"),
        "warning": a.decide(kind="warning", tier=tiers[0]),
        "other": a.decide(kind="other"),
    }


def _cells(page: str, table_id: str) -> list[list[str]]:
    if f'id="{table_id}"' not in page:
        return []
    table = page[page.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    body = table[table.index("<tbody>") :]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    ]


def _outlier_links(page: str) -> set[int]:
    if 'id="discretion-outliers"' not in page:
        return set()
    table = page[page.index('id="discretion-outliers"') :]
    table = table[: table.index("</table>")]
    return {int(pk) for pk in re.findall(r'href="/cases/(\d+)/"', table)}


def test_the_report_counts_how_each_items_benchmark_is_applied(applied, city_supervisor):
    """R7: five penalties (the other decision is not one), four naming a tier, one fine within
    its range, one below, one above; the smallest and largest fine."""
    page = client_for(city_supervisor).get(reverse(URL)).content.decode()
    rows = _cells(page, "discretion-report")
    assert len(rows) == 1
    agency, item, *counts = rows[0]
    assert agency == "甲市市场监督管理局" and item.startswith("330217001000")
    assert counts == ["5", "4", "1", "1", "1", "3000.00", "40000.00"]


def test_the_outliers_are_fines_outside_their_range_and_penalties_without_a_tier(
    applied, city_supervisor
):
    """R7: each outlier links to its case with the tier's range and the reason stated; the fine
    within its range, the warning and the non-penalty decision are not listed."""
    page = client_for(city_supervisor).get(reverse(URL)).content.decode()
    expected = {applied[k].case_id for k in ("untiered", "above", "below")}
    assert _outlier_links(page) == expected
    rows = {r[3]: r for r in _cells(page, "discretion-outliers")}
    above, below, untiered = rows["40000.00"], rows["3000.00"], rows["8000.00"]
    assert above[5:8] == ["5000.00 至 30000.00", "高于幅度", "当事人拒不改正，多次违法。"]
    assert below[5:8] == ["5000.00 至 30000.00", "低于幅度", "当事人主动消除违法后果。"]
    assert untiered[4:7] == ["—", "—", "未适用裁量基准"]


def test_a_supervisor_sees_its_region_and_the_sysadmin_everything(
    applied, b, city_supervisor, sysadmin
):
    """R7: agency B (city B) is outside city A's report."""
    untiered_b = b.decide(amount="6000")
    make_tiers(b.item)
    supervisor = client_for(city_supervisor).get(reverse(URL)).content.decode()
    assert untiered_b.case_id not in _outlier_links(supervisor)
    assert "丙市生态环境局" not in supervisor
    admin = client_for(sysadmin).get(reverse(URL)).content.decode()
    assert untiered_b.case_id in _outlier_links(admin)
    assert len(_cells(admin, "discretion-report")) == 2


def test_the_report_filters_by_year_and_agency(applied, city_supervisor, county_agency_a):
    """R7: this year by default; a decision issued last year is in last year's report only."""
    last_year = timezone.now() - datetime.timedelta(days=400)
    above = Decision.objects.get(pk=applied["above"].pk)
    above.issued_at = last_year  # through save(), which keeps the report's tally
    above.save(update_fields=["issued_at"])
    client = client_for(city_supervisor)
    assert applied["above"].case_id not in _outlier_links(client.get(reverse(URL)).content.decode())
    year = timezone.localtime(last_year).year
    page = client.get(reverse(URL), {"year": year}).content.decode()
    assert _outlier_links(page) == {applied["above"].case_id}
    assert _cells(page, "discretion-report")[0][2:5] == ["1", "1", "0"]
    page = client.get(reverse(URL), {"agency": county_agency_a.pk}).content.decode()
    assert _cells(page, "discretion-report") == [] and _outlier_links(page) == set()
    assert "没有需要关注的决定。" in page


def test_a_bad_year_is_shown_and_this_year_used(applied, city_supervisor):
    page = client_for(city_supervisor).get(reverse(URL), {"year": "二〇二四"}).content.decode()
    assert "请填写四位数的年度。" in page and len(_outlier_links(page)) == 3


def test_the_outliers_are_paginated(applied, city_supervisor, monkeypatch):
    monkeypatch.setattr("enforcement.views.fines.PAGE_SIZE", 2)
    client = client_for(city_supervisor)
    first = client.get(reverse(URL)).content.decode()
    second = client.get(reverse(URL), {"page": 2}).content.decode()
    assert len(_outlier_links(first)) == 2 and len(_outlier_links(second)) == 1
    assert _outlier_links(first) | _outlier_links(second) == {
        applied[k].case_id for k in ("untiered", "above", "below")
    }
    assert "第 1 页，共 2 页" in first


@pytest.mark.parametrize("who", ["inspector_a", "legal_office_a", "outsider_b"])
def test_the_report_is_the_supervisors(request, who):
    """R7: agencies do not read the supervisors' check of their own discretion."""
    assert client_for(request.getfixturevalue(who)).get(reverse(URL)).status_code == 403


def test_the_public_is_sent_to_log_in(public_client):
    response = public_client.get(reverse(URL))
    assert response.status_code == 302 and reverse("login") in response.url


@pytest.mark.parametrize("extra", [0, 4])
def test_the_report_stays_constant_in_queries(
    extra, applied, a, city_supervisor, django_assert_max_num_queries
):
    tier = a.item.discretion_tiers.get(order=3)
    for n in range(extra):
        a.decide(amount=str(60000 + n), tier=tier, reason="情节特别严重。")
    client = client_for(city_supervisor)
    with django_assert_max_num_queries(9):
        response = client.get(reverse(URL))
    assert len(_outlier_links(response.content.decode())) == 3 + extra
