"""R23: the region's award quotas are shared among departments by result (local choice: only
excellent departments, highest total first, one each until the quota is used)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assessment.models import AgencyResult, CycleEvent
from assessment.services.results import award_quotas_allocate
from tests.conftest import client_for
from tests.factories import AgencyFactory


@pytest.fixture
def ranked(cycle_2026, city_a):
    """Four excellent (98, 95, 95, 91) and two below (89.99 qualified, 40 unqualified)."""
    rows = {}
    for name, total in (
        ("丁局", "95"),
        ("甲局", "98"),
        ("乙局", "95"),
        ("戊局", "91"),
        ("己局", "89.99"),
        ("庚局", "40"),
    ):
        total = Decimal(total)
        rows[name] = AgencyResult.objects.create(
            cycle=cycle_2026,
            agency=AgencyFactory(region=city_a, name=name),
            total=total,
            grade=cycle_2026.grade_for(total),
            performance_score=total,
            computed_at=timezone.now(),
        )
    return rows


def _shares(field):
    return list(
        AgencyResult.objects.filter(**{f"{field}__gt": 0})
        .order_by("-total", "agency__name")
        .values_list("agency__name", flat=True)
    )


def test_shares_go_to_excellent_departments_in_rank_order(ranked, cycle_2026, city_supervisor):
    """R23: three awards: 甲 (98), then the tie at 95 by name (丁 before 乙 in code order)."""
    award_quotas_allocate(cycle=cycle_2026, rule_of_law=3, enforcement=1, actor=city_supervisor)
    assert _shares("award_share_rule_of_law") == ["甲局", "丁局", "乙局"]
    assert _shares("award_share_enforcement") == ["甲局"]
    assert CycleEvent.objects.get(kind=CycleEvent.Kind.AWARDS_ALLOCATED).actor == city_supervisor


def test_a_quota_larger_than_the_excellent_leaves_the_rest_unallotted(
    ranked, cycle_2026, city_supervisor
):
    award_quotas_allocate(cycle=cycle_2026, rule_of_law=10, enforcement=0, actor=city_supervisor)
    assert set(_shares("award_share_rule_of_law")) == {"甲局", "丁局", "乙局", "戊局"}
    assert _shares("award_share_enforcement") == []


def test_allotting_again_replaces_the_earlier_shares(ranked, cycle_2026, city_supervisor):
    award_quotas_allocate(cycle=cycle_2026, rule_of_law=4, enforcement=4, actor=city_supervisor)
    award_quotas_allocate(cycle=cycle_2026, rule_of_law=1, enforcement=0, actor=city_supervisor)
    assert _shares("award_share_rule_of_law") == ["甲局"]
    assert _shares("award_share_enforcement") == []


@pytest.mark.parametrize("bad", [-1, "3", 1.5, True, None, 1001])
def test_a_bad_quota_is_refused(ranked, cycle_2026, city_supervisor, bad):
    with pytest.raises(ValidationError):
        award_quotas_allocate(
            cycle=cycle_2026, rule_of_law=bad, enforcement=1, actor=city_supervisor
        )
    assert not AgencyResult.objects.filter(award_share_enforcement__gt=0).exists()


def test_only_the_regions_supervisor_allots(ranked, cycle_2026, inspector_a, sysadmin):
    for user in (inspector_a, sysadmin):
        with pytest.raises(PermissionDenied):
            award_quotas_allocate(cycle=cycle_2026, rule_of_law=1, enforcement=1, actor=user)


def test_the_page_allots_and_shows_the_rule(ranked, cycle_2026, city_supervisor):
    client = client_for(city_supervisor)
    url = reverse("assessment:results-awards", args=[cycle_2026.pk])
    response = client.post(url, {"rule_of_law": "2", "enforcement": "abc"})
    assert response.status_code == 400
    assert "名额应为整数" in response.content.decode()
    assert not AgencyResult.objects.filter(award_share_rule_of_law__gt=0).exists()
    assert client.post(url, {"rule_of_law": "2", "enforcement": "1"}).status_code == 302
    page = client.get(reverse("assessment:cycle-results", args=[cycle_2026.pk])).content.decode()
    assert "分配规则（本地选择）" in page
    assert "1 / 1" in page and "1 / 0" in page
