"""R23: the results are disclosed within a scope the supervisor chooses: internal (supervisors
and each department its own), the region (every staff of the cycle's region and below) or the
public (the public pages and the public API, no login)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assessment.models import AgencyResult, Cycle, CycleEvent
from assessment.services.results import results_disclose
from portal.roles import Role
from portal.services import user_assign_role
from tests.conftest import client_for
from tests.factories import AgencyFactory, UserFactory


def _result(cycle, agency, total):
    total = Decimal(total)
    return AgencyResult.objects.create(
        cycle=cycle,
        agency=agency,
        total=total,
        grade=cycle.grade_for(total),
        performance_score=total,
        computed_at=timezone.now(),
    )


@pytest.fixture
def results(cycle_2026, agency_a, county_agency_a):
    return [_result(cycle_2026, agency_a, 92), _result(cycle_2026, county_agency_a, 55)]


@pytest.fixture
def county_staff(county_agency_a):
    user = UserFactory(username="county_staff")
    return user_assign_role(user=user, role=Role.AGENCY_STAFF, actor=None, agency=county_agency_a)


def _page(user, cycle):
    return client_for(user).get(reverse("assessment:cycle-results", args=[cycle.pk]))


def test_disclosing_sets_scope_time_history_and_event(results, cycle_2026, city_supervisor):
    assert results_disclose(cycle=cycle_2026, scope="region", actor=city_supervisor) == 2
    for result in AgencyResult.objects.all():
        assert result.disclosure == "region" and result.disclosed_at is not None
        assert result.history.count() == 2
    assert CycleEvent.objects.get(kind=CycleEvent.Kind.RESULTS_DISCLOSED).actor == city_supervisor


@pytest.mark.parametrize("scope", ["none", "everyone", "", None])
def test_an_unknown_scope_is_refused(results, cycle_2026, city_supervisor, scope):
    with pytest.raises(ValidationError):
        results_disclose(cycle=cycle_2026, scope=scope, actor=city_supervisor)
    assert not AgencyResult.objects.exclude(disclosure="none").exists()


def test_nothing_to_disclose_is_refused(cycle_2026, city_supervisor):
    with pytest.raises(ValidationError):
        results_disclose(cycle=cycle_2026, scope="public", actor=city_supervisor)


def test_only_the_regions_supervisor_discloses(results, cycle_2026, inspector_a, sysadmin):
    for user in (inspector_a, sysadmin):
        with pytest.raises(PermissionDenied):
            results_disclose(cycle=cycle_2026, scope="public", actor=user)


def test_undisclosed_results_are_the_supervisors_only(
    results, cycle_2026, city_supervisor, inspector_a
):
    assert "甲市市场监督管理局" in _page(city_supervisor, cycle_2026).content.decode()
    text = _page(inspector_a, cycle_2026).content.decode()
    assert "甲市市场监督管理局</a>" not in text and "暂无可查看的考核结果" in text


def test_internal_results_show_each_department_its_own(
    results, cycle_2026, city_supervisor, inspector_a, county_staff
):
    results_disclose(cycle=cycle_2026, scope="internal", actor=city_supervisor)
    text = _page(inspector_a, cycle_2026).content.decode()
    assert "甲市市场监督管理局</a>" in text and "乙县市场监督管理局" not in text
    text = _page(county_staff, cycle_2026).content.decode()
    assert "乙县市场监督管理局</a>" in text and "甲市市场监督管理局" not in text


def test_region_results_are_seen_by_the_regions_staff_only(
    results, cycle_2026, city_supervisor, county_staff, outsider_b
):
    results_disclose(cycle=cycle_2026, scope="region", actor=city_supervisor)
    text = _page(county_staff, cycle_2026).content.decode()
    assert "甲市市场监督管理局</a>" in text and "乙县市场监督管理局</a>" in text
    assert _page(outsider_b, cycle_2026).status_code == 404
    assert (
        client_for(outsider_b)
        .get(reverse("assessment:result-print", args=[results[0].pk]))
        .status_code
        == 404
    )
    assert (
        client_for(None)
        .get(reverse("assessment:public-cycle-results", args=[cycle_2026.pk]))
        .status_code
        == 404
    )


def test_public_results_are_on_the_public_pages_and_api(
    results, cycle_2026, city_supervisor, outsider_b
):
    anonymous = client_for(None)
    assert "甲市" not in anonymous.get(reverse("assessment:public-results")).content.decode()
    results_disclose(cycle=cycle_2026, scope="public", actor=city_supervisor)
    index = anonymous.get(reverse("assessment:public-results")).content.decode()
    assert "甲市 2026 年度（2 个单位）" in index
    page = anonymous.get(
        reverse("assessment:public-cycle-results", args=[cycle_2026.pk])
    ).content.decode()
    assert "甲市市场监督管理局" in page and "92.00" in page and "优秀" in page
    data = anonymous.get(reverse("api:assessment-public-results")).json()
    assert [r["agency"] for r in data["results"]] == ["甲市市场监督管理局", "乙县市场监督管理局"]
    assert (
        client_for(outsider_b)
        .get(reverse("assessment:result-print", args=[results[0].pk]))
        .status_code
        == 200
    )


def test_the_public_api_shows_only_public_results(results, cycle_2026, city_supervisor, city_b):
    cycle_b = Cycle.objects.create(region=city_b, year=2026, opened_by=city_supervisor)
    _result(cycle_b, AgencyFactory(region=city_b, name="丙市某局"), 70)
    results_disclose(cycle=cycle_2026, scope="region", actor=city_supervisor)
    AgencyResult.objects.filter(cycle=cycle_b).update(
        disclosure="public", disclosed_at=timezone.now()
    )
    data = client_for(None).get(reverse("api:assessment-public-results")).json()
    assert [r["agency"] for r in data["results"]] == ["丙市某局"]
    bad = client_for(None).get(reverse("api:assessment-public-results") + "?cycle=abc")
    assert bad.status_code == 400 and "考核周期编号" in bad.json()["cycle"][0]


def test_the_public_api_is_in_the_schema(db):
    schema = client_for(None).get(reverse("api:schema") + "?format=json")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/assessment/public/results/" in text
    assert "/api/v1/assessment/cycles/{id}/scores/" in text
    assert "/api/v1/assessment/cycles/{id}/results/" in text


def test_the_public_pages_and_api_query_counts_do_not_grow(
    cycle_2026, city_a, city_supervisor, django_assert_max_num_queries
):
    for i in range(20):
        _result(cycle_2026, AgencyFactory(region=city_a, name=f"单位{i:02d}"), 60 + i)
    AgencyResult.objects.update(disclosure="public", disclosed_at=timezone.now())
    anonymous = client_for(None)
    with django_assert_max_num_queries(6):
        anonymous.get(reverse("assessment:public-results"))
    with django_assert_max_num_queries(6):
        page = anonymous.get(reverse("assessment:public-cycle-results", args=[cycle_2026.pk]))
    assert page.content.decode().count("单位") >= 20
    with django_assert_max_num_queries(6):
        data = anonymous.get(reverse("api:assessment-public-results")).json()
    assert data["count"] == 20
