"""Issue 14: the result sheet (考核结果通知单) prints one department's result on A4 with every
indicator and the points each evaluator gave, the totals, the grade as a badge that says it in
words, and the lines to sign and seal; it is read by those who may read the result."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import AgencyResult, Indicator
from tests.conftest import client_for

from .results_world import assign, give, scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def result(cycle_2026, agency_a, city_a_legal_office, city_supervisor):
    indicators = scheme(cycle_2026, 40, 60)
    assignment = assign(cycle_2026, agency_a, city_a_legal_office)
    give(assignment, indicators[:1], [38], by=city_supervisor)  # the second left unscored
    return AgencyResult.objects.create(
        cycle=cycle_2026,
        agency=agency_a,
        local_total=Decimal("63.33"),
        total=Decimal("63.33"),
        grade="qualified",
        computed_at=timezone.now(),
        disclosure="internal",
        disclosed_at=timezone.now(),
    )


def _sheet(user, result):
    return client_for(user).get(reverse("assessment:result-print", args=[result.pk]))


def test_the_sheet_lists_every_indicator_with_the_evaluators_points(result, inspector_a):
    response = _sheet(inspector_a, result)
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count("data-indicator=") == 2
    assert "38.00" in text and "未评分" in text
    assert "甲市市场监督管理局" in text and "63.33" in text
    assert 'data-status="qualified">合格</span>' in text  # the grade in words, as a badge
    assert "考核单位（盖章）" in text and "被考核单位签收" in text
    on = timezone.localtime(result.computed_at)
    assert f"{on.year}年{on.month}月{on.day}日" in text


def test_the_supervisor_reads_the_sheet_and_an_outsider_gets_a_404(
    result, city_supervisor, outsider_b
):
    assert _sheet(city_supervisor, result).status_code == 200
    assert _sheet(outsider_b, result).status_code == 404


def test_an_undisclosed_result_is_not_the_departments_to_print(result, inspector_a):
    AgencyResult.objects.filter(pk=result.pk).update(disclosure="none", disclosed_at=None)
    assert _sheet(inspector_a, result).status_code == 404


def test_the_sheet_reads_in_the_same_queries_whatever_the_scheme(
    cycle_2026, result, city_supervisor, django_assert_max_num_queries
):
    Indicator.objects.bulk_create(
        Indicator(
            cycle=cycle_2026,
            code=f"X{n}",
            name=f"附加{n}",
            category="enforcement",
            max_points=Decimal(1),
            order=10 + n,
        )
        for n in range(30)
    )
    client = client_for(city_supervisor)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("assessment:result-print", args=[result.pk])).status_code == 200
