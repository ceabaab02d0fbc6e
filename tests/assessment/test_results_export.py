"""R23: the cycle's results as an Excel workbook (results, scores with evidence, officers,
internal units and, when merged, the rule-of-law component) and a printable A4 sheet."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessment.models import AgencyResult, Cycle, OfficerResult, UnitEvaluation
from tests.conftest import client_for
from tests.factories import AgencyFactory, OfficerFactory

from .results_world import assign, give, scheme


@pytest.fixture
def scored(cycle_2026, agency_a, city_a_legal_office, city_supervisor):
    indicators = scheme(cycle_2026, 40, 60)
    a = assign(cycle_2026, agency_a, city_a_legal_office)
    give(a, indicators, [38, 55], by=city_supervisor)
    a.scores.filter(indicator=indicators[0]).update(evidence="=cmd|' /C calc'!A0")
    AgencyResult.objects.create(
        cycle=cycle_2026,
        agency=agency_a,
        local_total=Decimal("93"),
        total=Decimal("93"),
        grade="excellent",
        performance_score=Decimal("93"),
        award_share_enforcement=1,
        computed_at=timezone.now(),
    )
    return a


def _workbook(user, cycle):
    response = client_for(user).get(reverse("assessment:results-export", args=[cycle.pk]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_workbook_has_the_results_and_the_scores(scored, cycle_2026, city_supervisor):
    book = _workbook(city_supervisor, cycle_2026)
    assert book.sheetnames == ["单位考核结果", "评分明细", "执法人员考核结果", "内设机构考核"]
    rows = list(book["单位考核结果"].values)
    assert rows[0][:6] == (
        "单位",
        "本级政府评分",
        "上级主管部门评分",
        "总分",
        "等次",
        "计入绩效考核分",
    )
    assert rows[1][0] == "甲市市场监督管理局" and rows[1][3] == "93.00" and rows[1][4] == "优秀"
    assert rows[1][7] == "1"
    scores = list(book["评分明细"].values)
    assert len(scores) == 3
    evidence = [row[7] for row in scores[1:]]
    assert "'=cmd|' /C calc'!A0" in evidence  # neutralised: text, never a formula


def test_officers_and_units_are_exported_and_the_merged_component(
    scored, cycle_2026, agency_a, city_supervisor
):
    officer = OfficerFactory(agency=agency_a, name="王五")
    OfficerResult.objects.create(
        cycle=cycle_2026,
        officer=officer,
        agency=agency_a,
        everyday_score=Decimal("80"),
        special_score=Decimal("70"),
        total=Decimal("76"),
        grade="qualified",
        computed_at=timezone.now(),
    )
    UnitEvaluation.objects.create(
        cycle=cycle_2026, agency=agency_a, unit="执法一科", points=Decimal("88"), grade="qualified"
    )
    Cycle.objects.filter(pk=cycle_2026.pk).update(merged_with_rule_of_law=True)
    book = _workbook(city_supervisor, cycle_2026)
    assert book.sheetnames[-1] == "依法行政考核组成部分"
    assert list(book["执法人员考核结果"].values)[1][1] == "王五"
    assert list(book["内设机构考核"].values)[1][1] == "执法一科"
    assert list(book["依法行政考核组成部分"].values)[1][:3] == (
        "甲市市场监督管理局",
        "93.00",
        "优秀",
    )


def test_only_supervisors_and_the_administrator_export(
    scored, cycle_2026, inspector_a, outsider_b, sysadmin
):
    url = reverse("assessment:results-export", args=[cycle_2026.pk])
    assert client_for(inspector_a).get(url).status_code == 403
    assert client_for(outsider_b).get(url).status_code == 404
    assert client_for(sysadmin).get(url).status_code == 200


def test_the_print_sheet_is_laid_out_for_a4(scored, cycle_2026, inspector_a, city_a):
    result = AgencyResult.objects.get()
    AgencyResult.objects.update(disclosure="internal", disclosed_at=timezone.now())
    page = client_for(inspector_a).get(reverse("assessment:result-print", args=[result.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "results_print.css" in text and "result-sheet" in text and "93.00" in text
    from django.contrib.staticfiles import finders

    css = Path(finders.find("assessment/results_print.css")).read_text(encoding="utf-8")
    assert "size: A4" in css


def test_the_export_query_count_does_not_grow(
    cycle_2026, city_a, city_supervisor, django_assert_max_num_queries
):
    for i in range(20):
        AgencyResult.objects.create(
            cycle=cycle_2026,
            agency=AgencyFactory(region=city_a, name=f"单位{i:02d}"),
            total=Decimal(60 + i),
            grade="qualified",
            performance_score=Decimal(60 + i),
            computed_at=timezone.now(),
        )
    client = client_for(city_supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("assessment:results-export", args=[cycle_2026.pk]))
        body = b"".join(response.streaming_content)
    assert len(list(load_workbook(io.BytesIO(body))["单位考核结果"].values)) == 21
