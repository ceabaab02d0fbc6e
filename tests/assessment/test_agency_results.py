"""R23: a department's result is computed from its evaluators' scores, never typed: the total out
of 100, weighted for dual management, graded by the cycle's thresholds, entered as the
performance score; agencies with unscored indicators are listed, not graded."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assessment.models import AgencyResult, Assignment, Cycle, CycleEvent, Grade
from assessment.services.results import results_compute
from tests.conftest import client_for
from tests.factories import AgencyFactory

from .results_world import assign, give, scheme


@pytest.fixture
def indicators(cycle_2026):
    return scheme(cycle_2026, 40, 60)


@pytest.fixture
def province_department(province):
    return AgencyFactory(name="测试省市场监督管理厅", region=province)


def test_a_local_departments_total_is_its_points_over_the_scheme(
    cycle_2026, indicators, agency_a, city_a_legal_office, city_supervisor
):
    """R23: 36 + 55 of 40 + 60 → 91.00, excellent at the default 90, performance score 91."""
    a = assign(cycle_2026, agency_a, city_a_legal_office)
    give(a, indicators, [36, 55], by=city_supervisor)
    outcome = results_compute(cycle=cycle_2026, actor=city_supervisor)
    result = AgencyResult.objects.get(agency=agency_a)
    assert outcome.results == [result]
    assert (result.total, result.grade) == (Decimal("91.00"), Grade.EXCELLENT)
    assert result.local_total == Decimal("91.00") and result.vertical_total is None
    assert result.performance_score == result.total
    assert CycleEvent.objects.filter(kind=CycleEvent.Kind.RESULTS_COMPUTED).count() == 1


def test_a_dual_managed_departments_total_is_weighted(
    cycle_2026, indicators, agency_a, city_a_legal_office, province_department, city_supervisor
):
    """R19, R23: 60% vertical (cycle's local choice) of 80 + 40% local of 50 = 68.00."""
    Cycle.objects.filter(pk=cycle_2026.pk).update(dual_vertical_weight=60)
    local = assign(cycle_2026, agency_a, city_a_legal_office, weight=40)
    vertical = assign(
        cycle_2026, agency_a, province_department, role=Assignment.Role.VERTICAL, weight=60
    )
    give(local, indicators, [20, 30], by=city_supervisor)
    give(vertical, indicators, [30, 50], by=city_supervisor)
    results_compute(cycle=cycle_2026, actor=city_supervisor)
    result = AgencyResult.objects.get(agency=agency_a)
    assert result.local_total == Decimal("50.00")
    assert result.vertical_total == Decimal("80.00")
    assert result.total == Decimal("68.00")
    assert result.grade == Grade.QUALIFIED


def test_the_grade_follows_the_cycles_own_thresholds(
    cycle_2026, indicators, agency_a, city_a_legal_office, city_supervisor
):
    """R22: thresholds are the cycle's local choice: 59.99 is unqualified at 60."""
    a = assign(cycle_2026, agency_a, city_a_legal_office)
    scheme_total = [Decimal("23.99"), Decimal("36")]
    give(a, indicators, scheme_total, by=city_supervisor)
    results_compute(cycle=cycle_2026, actor=city_supervisor)
    result = AgencyResult.objects.get()
    assert (result.total, result.grade) == (Decimal("59.99"), Grade.UNQUALIFIED)


def test_an_incomplete_agency_is_listed_not_graded(
    cycle_2026, indicators, agency_a, county_agency_a, city_a_legal_office, city_supervisor
):
    """R23: an assignment with an unscored indicator is incomplete; the others are computed."""
    done = assign(cycle_2026, agency_a, city_a_legal_office)
    half = assign(cycle_2026, county_agency_a, city_a_legal_office)
    give(done, indicators, [40, 60], by=city_supervisor)
    give(half, indicators[:1], [40], by=city_supervisor)
    outcome = results_compute(cycle=cycle_2026, actor=city_supervisor)
    assert [r.agency for r in outcome.results] == [agency_a]
    assert outcome.incomplete == [(county_agency_a, 1)]
    assert "乙县市场监督管理局（1 项未评分）" in outcome.incomplete_message
    assert not AgencyResult.objects.filter(agency=county_agency_a).exists()


def test_recomputing_updates_the_result_and_keeps_history(
    cycle_2026, indicators, agency_a, city_a_legal_office, city_supervisor
):
    a = assign(cycle_2026, agency_a, city_a_legal_office)
    give(a, indicators, [40, 60], by=city_supervisor)
    results_compute(cycle=cycle_2026, actor=city_supervisor)
    AgencyResult.objects.update(award_share_enforcement=1)
    a.scores.filter(indicator=indicators[1]).update(points=20)
    results_compute(cycle=cycle_2026, actor=city_supervisor)
    result = AgencyResult.objects.get()
    assert result.total == Decimal("60.00")
    assert result.award_share_enforcement == 0  # the rank changed: allot again
    assert result.history.count() == 2


def test_only_the_regions_supervisor_computes(
    cycle_2026, indicators, agency_a, city_a_legal_office, inspector_a, sysadmin, outsider_b
):
    for user in (inspector_a, sysadmin, outsider_b):
        with pytest.raises(PermissionDenied):
            results_compute(cycle=cycle_2026, actor=user)
    assert not CycleEvent.objects.exists()


def test_nothing_to_compute_is_refused(cycle_2026, city_supervisor):
    with pytest.raises(ValidationError) as refused:
        results_compute(cycle=cycle_2026, actor=city_supervisor)
    assert "指标" in str(refused.value)


def test_a_closed_cycle_is_not_recomputed(cycle_2026, indicators, city_supervisor):
    Cycle.objects.filter(pk=cycle_2026.pk).update(status="closed", closed_at=timezone.now())
    with pytest.raises(ValidationError):
        results_compute(cycle=cycle_2026, actor=city_supervisor)


def test_a_typed_grade_or_total_is_ignored_by_the_page(
    cycle_2026, indicators, agency_a, city_a_legal_office, city_supervisor
):
    """R23: the results are computed; a grade or total posted with the request is never read."""
    a = assign(cycle_2026, agency_a, city_a_legal_office)
    give(a, indicators, [10, 10], by=city_supervisor)
    response = client_for(city_supervisor).post(
        reverse("assessment:results-compute", args=[cycle_2026.pk]),
        {"grade": "excellent", "total": "99", "agency": agency_a.pk},
    )
    assert response.status_code == 302
    result = AgencyResult.objects.get()
    assert (result.total, result.grade) == (Decimal("20.00"), Grade.UNQUALIFIED)


def test_the_page_lists_incomplete_agencies(
    cycle_2026, indicators, agency_a, city_a_legal_office, city_supervisor
):
    assign(cycle_2026, agency_a, city_a_legal_office)
    client = client_for(city_supervisor)
    response = client.post(reverse("assessment:results-compute", args=[cycle_2026.pk]), follow=True)
    assert "以下单位尚有指标未评分" in response.content.decode()


def test_the_results_page_labels_the_performance_score(
    cycle_2026, indicators, agency_a, city_a_legal_office, city_supervisor
):
    a = assign(cycle_2026, agency_a, city_a_legal_office)
    give(a, indicators, [40, 50], by=city_supervisor)
    results_compute(cycle=cycle_2026, actor=city_supervisor)
    text = (
        client_for(city_supervisor)
        .get(reverse("assessment:cycle-results", args=[cycle_2026.pk]))
        .content.decode()
    )
    assert "计入绩效考核分" in text and "90.00" in text


def _many_results(cycle, region, n):
    now = timezone.now()
    for i in range(n):
        AgencyResult.objects.create(
            cycle=cycle,
            agency=AgencyFactory(region=region, name=f"单位{i:02d}"),
            total=Decimal(50 + i),
            grade=cycle.grade_for(Decimal(50 + i)),
            performance_score=Decimal(50 + i),
            computed_at=now,
        )


def test_the_results_page_query_count_does_not_grow(
    cycle_2026, city_a, city_supervisor, django_assert_max_num_queries
):
    _many_results(cycle_2026, city_a, 25)
    client = client_for(city_supervisor)
    with django_assert_max_num_queries(14):
        text = client.get(reverse("assessment:cycle-results", args=[cycle_2026.pk])).content
    assert text.decode().count("单位") >= 25


def test_the_results_api_query_count_does_not_grow(
    cycle_2026, city_a, city_supervisor, django_assert_max_num_queries
):
    _many_results(cycle_2026, city_a, 25)
    client = client_for(city_supervisor)
    with django_assert_max_num_queries(10):
        data = client.get(reverse("api:assessment-cycle-results", args=[cycle_2026.pk])).json()
    assert data["count"] == 25
    assert data["results"][0]["total"] == "74.00"
