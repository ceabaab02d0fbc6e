"""R19, R20: who scores an assignment, the range and evidence of a score, and the scoring pages
and API (an evaluator's points per indicator, with what they rest on)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assessment.models import (
    AgencyFigures,
    Assignment,
    Cycle,
    CycleEvent,
    Indicator,
    Inspection,
    PublicOpinion,
    Score,
)
from assessment.services.permissions import assignment_can_score
from assessment.services.scoring import score_save
from portal.roles import Role
from portal.services import user_assign_role
from tests.conftest import client_for
from tests.factories import AgencyFactory, UserFactory

from .results_world import assign, give, scheme


@pytest.fixture
def indicators(cycle_2026):
    return scheme(cycle_2026, 10, 90)


@pytest.fixture
def assignment(cycle_2026, agency_a, city_a_legal_office, indicators):
    return assign(cycle_2026, agency_a, city_a_legal_office)


@pytest.fixture
def legal_office_staff(city_a_legal_office):
    user = UserFactory(username="sfj_staff", name="司法局工作人员")
    return user_assign_role(
        user=user, role=Role.AGENCY_STAFF, actor=None, agency=city_a_legal_office
    )


def _save(
    assignment, indicator, points, actor, evidence="抽查案卷 20 卷，发现 2 卷程序瑕疵。", **kw
):
    return score_save(
        assignment=assignment,
        indicator=indicator,
        points=points,
        evidence=evidence,
        actor=actor,
        **kw,
    )


def test_the_city_supervisor_scores_for_the_governments_legal_office(
    assignment, city_supervisor, legal_office_staff, inspector_a, outsider_b
):
    """R19: a local department is evaluated by its government through the legal office, whose
    staff and the region's supervisors act for it; the evaluated agency and outsiders do not."""
    assert assignment_can_score(city_supervisor, assignment)
    assert assignment_can_score(legal_office_staff, assignment)
    assert not assignment_can_score(inspector_a, assignment)
    assert not assignment_can_score(outsider_b, assignment)


def test_a_supervisor_of_another_city_cannot_score(assignment, city_b, indicators):
    """R19: the supervisors of city B are not city A's legal office."""
    supervisor_b = user_assign_role(
        user=UserFactory(username="sv_b"), role=Role.SUPERVISOR, actor=None, region=city_b
    )
    with pytest.raises(PermissionDenied):
        _save(assignment, indicators[0], 5, supervisor_b)
    assert not Score.objects.exists()


def test_an_evaluator_cannot_score_outside_their_assignment(assignment, outsider_b, indicators):
    """R19: outsider_b (agency B) is nobody's evaluator here."""
    with pytest.raises(PermissionDenied):
        _save(assignment, indicators[0], 5, outsider_b)
    assert not Score.objects.exists()


def test_a_score_is_saved_with_its_evidence_history_and_event(
    assignment, city_supervisor, indicators
):
    """R20: the points, the evidence, a version per change and the cycle's event."""
    score = _save(assignment, indicators[0], "8.5", city_supervisor)
    assert score.points == Decimal("8.50")
    score = _save(assignment, indicators[0], 9, city_supervisor, evidence="复查后改正。")
    assert Score.objects.count() == 1
    assert score.history.count() == 2
    events = CycleEvent.objects.filter(kind=CycleEvent.Kind.SCORED)
    assert events.count() == 2
    assert "原 8.50 分" in events.last().note


@pytest.mark.parametrize(
    "points", [11, "11", -1, "-1", "abc", "", None, True, "1e3", "9.999", "NaN"]
)
def test_points_outside_the_indicators_range_are_refused(
    assignment, city_supervisor, indicators, points
):
    """R20: 0 ≤ points ≤ the indicator's points; the message names the range."""
    with pytest.raises(ValidationError) as refused:
        _save(assignment, indicators[0], points, city_supervisor)
    assert "0 至 10 分" in str(refused.value)
    assert not Score.objects.exists()


@pytest.mark.parametrize(
    "evidence", ["", "   ", "=cmd|' /C calc'!A0", "<script>alert(1)</script>", "x" * 2001]
)
def test_evidence_is_required_and_clean(assignment, city_supervisor, indicators, evidence):
    """R20: what the points rest on must be said, without script or formula."""
    with pytest.raises(ValidationError):
        _save(assignment, indicators[0], 5, city_supervisor, evidence=evidence)
    assert not Score.objects.exists()


def test_an_indicator_of_another_cycle_is_refused(assignment, city_supervisor, city_a):
    """R20: the scheme is the cycle's own."""
    other = Cycle.objects.create(region=city_a, year=2025, opened_by=city_supervisor)
    foreign = scheme(other, 10)[0]
    with pytest.raises(ValidationError):
        _save(assignment, foreign, 5, city_supervisor)


def test_an_inspection_of_another_agency_is_refused(
    assignment, city_supervisor, indicators, county_agency_a, cycle_2026
):
    """R20: the inspections relied on are of the evaluated agency in this cycle."""
    elsewhere = Inspection.objects.create(
        cycle=cycle_2026,
        agency=county_agency_a,
        kind=Inspection.Kind.SPECIAL,
        held_on=datetime.date(2026, 5, 1),
        place="乙县",
        inspectors="张三",
        findings="无",
        recorded_by=city_supervisor,
    )
    with pytest.raises(ValidationError):
        _save(assignment, indicators[0], 5, city_supervisor, inspections=[elsewhere])
    assert not Score.objects.exists()


def test_a_closed_cycle_cannot_be_scored(assignment, city_supervisor, indicators, cycle_2026):
    """R20: scores are given while the cycle is open."""
    Cycle.objects.filter(pk=cycle_2026.pk).update(status="closed", closed_at=timezone.now())
    with pytest.raises(ValidationError):
        _save(assignment, indicators[0], 5, city_supervisor)
    assert not Score.objects.exists()


# --- pages -------------------------------------------------------------------------------------


def test_my_assignments_lists_what_the_evaluator_scores(assignment, city_supervisor, inspector_a):
    """R19: the evaluator's list; the evaluated agency's staff see none of it."""
    page = client_for(city_supervisor).get(reverse("assessment:scoring"))
    assert page.status_code == 200
    assert assignment.agency.name in page.content.decode()
    page = client_for(inspector_a).get(reverse("assessment:scoring"))
    assert assignment.agency.name not in page.content.decode()


def test_my_assignments_query_count_does_not_grow(
    cycle_2026,
    city_supervisor,
    city_a,
    city_a_legal_office,
    indicators,
    django_assert_max_num_queries,
):
    """The list costs the same for 2 assignments as for 20."""
    for n in range(20):
        assign(cycle_2026, AgencyFactory(region=city_a, name=f"单位{n}"), city_a_legal_office)
    client = client_for(city_supervisor)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("assessment:scoring"))
    assert page.content.decode().count("单位1") >= 11


def test_the_sheet_shows_the_evidence_beside_each_indicator(
    assignment, city_supervisor, cycle_2026, agency_a
):
    """R20: figures, inspections, approved opinions and case-file average are shown."""
    Indicator.objects.filter(code="I1").update(figure=Indicator.Figure.COMPLAINTS)
    AgencyFigures.objects.create(
        cycle=cycle_2026,
        agency=agency_a,
        complaints_received=7,
        complaints_substantiated=2,
        case_reviews=4,
        case_review_average=Decimal("86.5"),
        computed_at=timezone.now(),
    )
    Inspection.objects.create(
        cycle=cycle_2026,
        agency=agency_a,
        kind=Inspection.Kind.UNANNOUNCED,
        held_on=datetime.date(2026, 6, 2),
        place="甲市政务大厅",
        inspectors="李四",
        findings="窗口人员未佩戴执法证件",
        recorded_by=city_supervisor,
    )
    for rating, moderation in ((5, "approved"), (3, "approved"), (1, "pending")):
        PublicOpinion.objects.create(
            agency=agency_a,
            period=2026,
            source=PublicOpinion.Source.HOTLINE,
            lawful=rating,
            civil=rating,
            efficient=rating,
            moderation=moderation,
            source_note="12345 热线",
        )
    text = (
        client_for(city_supervisor)
        .get(reverse("assessment:scoring-sheet", args=[assignment.pk]))
        .content.decode()
    )
    assert "收到投诉 7 件，属实 2 件" in text
    assert "窗口人员未佩戴执法证件" in text
    assert "已审核意见 2 条" in text and "4.00" in text
    assert "86.5" in text
    assert "评分标准1" in text


def test_a_score_posted_on_the_sheet_is_saved_and_a_typed_total_ignored(
    assignment, city_supervisor, indicators
):
    """R20: the total is computed from the scores; one typed in is never read."""
    url = reverse("assessment:scoring-sheet", args=[assignment.pk])
    response = client_for(city_supervisor).post(
        url,
        {
            "indicator": indicators[0].pk,
            "points": "10",
            "evidence": "全部按时告知。",
            "total": "100",
            "grade": "excellent",
        },
    )
    assert response.status_code == 302
    assert Score.objects.get().points == 10
    text = client_for(city_supervisor).get(url).content.decode()
    assert "10.00 / 100" in text


@pytest.mark.parametrize("points", ["11", "-1", "abc"])
def test_a_bad_score_on_the_sheet_is_refused_in_chinese(
    assignment, city_supervisor, indicators, points
):
    response = client_for(city_supervisor).post(
        reverse("assessment:scoring-sheet", args=[assignment.pk]),
        {"indicator": indicators[0].pk, "points": points, "evidence": "依据"},
    )
    assert response.status_code == 400
    assert "0 至 10 分" in response.content.decode()
    assert not Score.objects.exists()


def test_the_evaluated_agency_cannot_open_its_own_sheet(assignment, inspector_a, outsider_b):
    for user in (inspector_a, outsider_b):
        assert (
            client_for(user)
            .get(reverse("assessment:scoring-sheet", args=[assignment.pk]))
            .status_code
            == 404
        )


# --- API ---------------------------------------------------------------------------------------


def _api(cycle):
    return reverse("api:assessment-cycle-scores", args=[cycle.pk])


def test_the_api_scores_by_json(assignment, city_supervisor, indicators, cycle_2026):
    """R20: POST a score as JSON; GET lists it."""
    client = client_for(city_supervisor)
    body = {
        "assignment": assignment.pk,
        "indicator": indicators[1].pk,
        "points": 80.5,
        "evidence": "依据充分。",
        "grade": "excellent",
    }
    response = client.post(_api(cycle_2026), body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["points"] == "80.50"
    listed = client.get(_api(cycle_2026)).json()
    assert listed["count"] == 1


@pytest.mark.parametrize(
    "change",
    [
        {"points": "abc"},
        {"points": 91},
        {"points": [1]},
        {"points": True},
        {"evidence": 123},
        {"assignment": "1"},
        {"indicator": None},
        {"inspections": "1"},
        {"inspections": [0]},
    ],
)
def test_the_api_refuses_wrong_types_in_chinese(
    assignment, city_supervisor, indicators, cycle_2026, change
):
    body = {
        "assignment": assignment.pk,
        "indicator": indicators[1].pk,
        "points": 50,
        "evidence": "依据。",
    }
    body |= change
    response = client_for(city_supervisor).post(
        _api(cycle_2026), body, content_type="application/json"
    )
    assert response.status_code == 400
    text = (
        response.content.decode("unicode_escape")
        if "\\u" in response.content.decode()
        else response.content.decode()
    )
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert not Score.objects.exists()


def test_the_api_refuses_outsiders_and_the_evaluated(
    assignment, indicators, cycle_2026, inspector_a, outsider_b
):
    body = {
        "assignment": assignment.pk,
        "indicator": indicators[0].pk,
        "points": 5,
        "evidence": "依据。",
    }
    assert (
        client_for(inspector_a)
        .post(_api(cycle_2026), body, content_type="application/json")
        .status_code
        == 403
    )
    assert (
        client_for(outsider_b)
        .post(_api(cycle_2026), body, content_type="application/json")
        .status_code
        == 404
    )
    assert not Score.objects.exists()


def test_the_scores_api_query_count_does_not_grow(
    cycle_2026,
    city_supervisor,
    city_a,
    city_a_legal_office,
    indicators,
    django_assert_max_num_queries,
):
    for n in range(15):
        a = assign(cycle_2026, AgencyFactory(region=city_a, name=f"单位{n}"), city_a_legal_office)
        give(a, indicators, [5, 50], by=city_supervisor)
    client = client_for(city_supervisor)
    with django_assert_max_num_queries(12):
        data = client.get(_api(cycle_2026)).json()
    assert data["count"] == 30


def test_assignment_role_labels(assignment):
    assert assignment.role == Assignment.Role.LOCAL


def test_forged_ids_are_404(assignment, city_supervisor, cycle_2026):
    client = client_for(city_supervisor)
    assert client.get(reverse("assessment:scoring-sheet", args=[987654])).status_code == 404
    assert client.get(reverse("api:assessment-cycle-scores", args=[987654])).status_code == 404
    assert client.get(reverse("assessment:cycle-results", args=[987654])).status_code == 404
    assert client.get(reverse("assessment:result-print", args=[987654])).status_code == 404
    assert client.get(reverse("assessment:rectification", args=[987654])).status_code == 404


def test_an_indicator_id_of_another_cycle_is_refused_on_the_sheet(
    assignment, city_supervisor, city_a
):
    other = Cycle.objects.create(region=city_a, year=2025, opened_by=city_supervisor)
    foreign = scheme(other, 10)[0]
    response = client_for(city_supervisor).post(
        reverse("assessment:scoring-sheet", args=[assignment.pk]),
        {"indicator": foreign.pk, "points": "5", "evidence": "依据"},
    )
    assert response.status_code == 400
    assert "该指标不属于本考核周期" in response.content.decode()


def test_the_api_refuses_scoring_a_closed_cycle(
    assignment, city_supervisor, indicators, cycle_2026
):
    Cycle.objects.filter(pk=cycle_2026.pk).update(status="closed", closed_at=timezone.now())
    body = {
        "assignment": assignment.pk,
        "indicator": indicators[0].pk,
        "points": 5,
        "evidence": "依据。",
    }
    response = client_for(city_supervisor).post(
        _api(cycle_2026), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "已结束" in response.json()["detail"][0]
    assert not Score.objects.exists()


def test_a_vertical_assignment_is_scored_by_the_department_above(
    cycle_2026, indicators, agency_a, province, city_supervisor
):
    """R19: a vertically managed department is evaluated by the department above it: that
    department's staff score it and see it in their list; the city's supervisor does not."""
    above = AgencyFactory(name="测试省市场监督管理厅", region=province)
    staff = user_assign_role(
        user=UserFactory(username="province_staff"),
        role=Role.AGENCY_STAFF,
        actor=None,
        agency=above,
    )
    vertical = assign(cycle_2026, agency_a, above, role=Assignment.Role.VERTICAL)
    assert assignment_can_score(staff, vertical)
    assert not assignment_can_score(city_supervisor, vertical)
    _save(vertical, indicators[0], 7, staff)
    page = client_for(staff).get(reverse("assessment:scoring")).content.decode()
    assert "甲市市场监督管理局" in page


def test_a_county_departments_local_assignment_is_the_countys(
    cycle_2026, indicators, county_agency_a, county_a, city_supervisor
):
    """R19: the county government's legal office evaluates the county's departments; the city's
    supervisors are not that office."""
    county_office = AgencyFactory(name="乙县司法局", region=county_a, is_legal_office=True)
    county_sv = user_assign_role(
        user=UserFactory(username="county_sv"), role=Role.SUPERVISOR, actor=None, region=county_a
    )
    local = assign(cycle_2026, county_agency_a, county_office)
    assert assignment_can_score(county_sv, local)
    assert not assignment_can_score(city_supervisor, local)
