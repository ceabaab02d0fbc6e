"""R21: officers' yearly results computed from the records, set-based, with the composition
stored; published with an objection period of N working days."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessment.models import Assignment, CycleEvent, Grade, OfficerRecord, OfficerResult
from assessment.services.officers import officer_results_compute, officer_results_publish
from complaints.models import Result
from enforcement.models import Agency
from tests.factories import AgencyFactory, OfficerFactory

from .officer_world import at, closed_case, complaint

IN_2026 = at(date(2026, 6, 1))


@pytest.fixture
def officer(agency_a):
    return OfficerFactory(agency=agency_a, name="李执法", certificate_number="22010012345")


def _record(officer, kind, score, actor):
    return OfficerRecord.objects.create(
        officer=officer,
        year=2026,
        kind=kind,
        score=score,
        occurred_on=date(2026, 5, 1),
        note="记录",
        recorded_by=actor,
    )


def test_the_result_is_composed_from_cases_reviews_complaints_commendations_and_tests(
    officer, agency_a, agency_b, inspector_a, legal_office_a, city_supervisor, cycle_2026
):
    """R21: everyday = review average 85 − 2 substantiated complaints × 10 + 1 commendation × 5
    = 70; special = (90 + 70) / 2 = 80; total = 70 × 60 % + 80 × 40 % = 74 (合格)."""
    partner = OfficerFactory(agency=agency_a, name="赵执法")
    closed_case(agency_a, inspector_a, [officer, partner], IN_2026, reviews=[90])
    closed_case(agency_a, inspector_a, [officer], IN_2026, reviews=[80])
    closed_case(agency_a, inspector_a, [officer], at(date(2025, 12, 31), 23), reviews=[10])
    closed_case(agency_a, inspector_a, [officer], None)  # not closed
    complaint(agency_a, "执法证号22010012345的执法人员", closed_at=IN_2026)
    complaint(agency_a, "李执法", closed_at=IN_2026)
    complaint(agency_b, "李执法", closed_at=IN_2026)  # another agency's 李执法
    complaint(agency_a, "李执法", result=Result.NOT_SUBSTANTIATED, closed_at=IN_2026)
    complaint(agency_a, "李执法", closed_at=at(date(2025, 6, 1)))
    _record(officer, OfficerRecord.Kind.COMMENDATION, None, legal_office_a)
    _record(officer, OfficerRecord.Kind.LEGAL_TEST, Decimal("90"), legal_office_a)
    _record(officer, OfficerRecord.Kind.CONFORMITY_TEST, Decimal("70"), legal_office_a)

    assert officer_results_compute(cycle=cycle_2026, actor=city_supervisor) == 2

    result = OfficerResult.objects.get(officer=officer)
    assert (result.cases_handled, result.case_review_average) == (2, Decimal("85.00"))
    assert (result.complaints_substantiated, result.commendations) == (2, 1)
    assert (result.legal_test, result.conformity_test) == (Decimal("90"), Decimal("70"))
    assert (result.everyday_score, result.special_score) == (Decimal("70"), Decimal("80"))
    assert result.total == Decimal("74") and result.grade == Grade.QUALIFIED
    assert result.agency == agency_a and result.published_at is None
    other = OfficerResult.objects.get(officer=partner)
    assert (other.cases_handled, other.case_review_average) == (1, Decimal("90"))
    assert cycle_2026.events.filter(kind=CycleEvent.Kind.OFFICER_RESULTS_COMPUTED).exists()


def test_an_officer_without_records_gets_the_documented_base_and_no_test_points(
    agency_a, city_supervisor, cycle_2026
):
    """R21 (local choice): no reviewed case → base 80; no test sat → 0; total 48 → 不合格."""
    officer = OfficerFactory(agency=agency_a)
    officer_results_compute(cycle=cycle_2026, actor=city_supervisor)
    result = OfficerResult.objects.get(officer=officer)
    assert (result.everyday_score, result.special_score, result.total) == (
        Decimal("80"),
        Decimal("0"),
        Decimal("48"),
    )
    assert result.grade == Grade.UNQUALIFIED


def test_the_formula_is_a_setting_and_a_malformed_one_fails_loudly(
    agency_a, city_supervisor, cycle_2026, settings
):
    OfficerFactory(agency=agency_a)
    settings.ASSESSMENT_OFFICER_FORMULA = {"everyday_weight": 100}
    officer_results_compute(cycle=cycle_2026, actor=city_supervisor)
    assert OfficerResult.objects.get().total == Decimal("80")
    settings.ASSESSMENT_OFFICER_FORMULA = {"everyday_weight": "sixty"}
    with pytest.raises(ImproperlyConfigured):
        officer_results_compute(cycle=cycle_2026, actor=city_supervisor)
    settings.ASSESSMENT_OFFICER_FORMULA = {"typo": 1}
    with pytest.raises(ImproperlyConfigured):
        officer_results_compute(cycle=cycle_2026, actor=city_supervisor)
    from assessment.services.officers import check_officer_formula

    assert [error.id for error in check_officer_formula()] == ["assessment.E001"]
    settings.ASSESSMENT_OFFICER_FORMULA = {}
    assert check_officer_formula() == []


def test_only_the_evaluated_agencies_officers_are_computed(
    agency_a, agency_b, city_a, city_a_legal_office, city_supervisor, cycle_2026
):
    """R19, R21: without assignments, the agencies of the cycle's region except governments;
    with assignments, the agencies assigned."""
    government = AgencyFactory(region=city_a, kind=Agency.Kind.GOVERNMENT)
    second = AgencyFactory(region=city_a)
    ours, theirs = OfficerFactory(agency=agency_a), OfficerFactory(agency=agency_b)
    in_government = OfficerFactory(agency=government)
    in_second = OfficerFactory(agency=second)
    officer_results_compute(cycle=cycle_2026, actor=city_supervisor)
    computed = set(OfficerResult.objects.values_list("officer", flat=True))
    assert ours.pk in computed and in_second.pk in computed
    assert theirs.pk not in computed and in_government.pk not in computed

    Assignment.objects.create(
        cycle=cycle_2026, agency=agency_a, role="local", evaluator=city_a_legal_office, weight=100
    )
    officer_results_compute(cycle=cycle_2026, actor=city_supervisor)
    assert set(OfficerResult.objects.values_list("officer", flat=True)) == {ours.pk}


def test_the_computation_takes_the_same_queries_for_3_officers_as_for_30(
    agency_a, inspector_a, city_supervisor, cycle_2026
):
    """R21: a handful of GROUP BY queries and one upsert a batch, never a query an officer."""

    def queries():
        with CaptureQueriesContext(connection) as captured:
            officer_results_compute(cycle=cycle_2026, actor=city_supervisor)
        return len(captured)

    few = [OfficerFactory(agency=agency_a) for _ in range(3)]
    closed_case(agency_a, inspector_a, few, IN_2026, reviews=[70])
    queries()  # the first call also reads the actor's role, once a request
    small = queries()
    # 30 in all: SQLite splits an INSERT past 999 parameters, and a history row has 26 columns.
    many = [OfficerFactory(agency=agency_a) for _ in range(27)]
    closed_case(agency_a, inspector_a, many, IN_2026, reviews=[75])
    again = queries()
    assert again == small, (again, small)
    assert small <= 18
    assert OfficerResult.objects.count() == 30


def test_recomputing_after_publication_is_refused_and_changes_nothing(
    agency_a, city_supervisor, cycle_2026, legal_office_a
):
    officer = OfficerFactory(agency=agency_a)
    officer_results_compute(cycle=cycle_2026, actor=city_supervisor)
    officer_results_publish(cycle=cycle_2026, actor=city_supervisor)
    _record(officer, OfficerRecord.Kind.LEGAL_TEST, Decimal("100"), legal_office_a)
    with pytest.raises(ValidationError, match="已经公布，不能重新计算"):
        officer_results_compute(cycle=cycle_2026, actor=city_supervisor)
    assert OfficerResult.objects.get().legal_test is None


def test_only_a_supervisor_of_the_region_computes_and_publishes(
    agency_a, cycle_2026, legal_office_a, outsider_b, city_supervisor
):
    OfficerFactory(agency=agency_a)
    for actor in (legal_office_a, outsider_b):
        with pytest.raises(PermissionDenied):
            officer_results_compute(cycle=cycle_2026, actor=actor)
    officer_results_compute(cycle=cycle_2026, actor=city_supervisor)
    with pytest.raises(PermissionDenied):
        officer_results_publish(cycle=cycle_2026, actor=legal_office_a)


@pytest.mark.parametrize(
    "published_on, days, due",
    [
        # Monday before National Day 2026: 29, 30 Sept, (1–7 Oct holiday), 8, 9, and Saturday
        # 10 Oct, a 调休 working day, is the fifth.
        (date(2026, 9, 28), 5, date(2026, 10, 10)),
        (date(2026, 9, 30), 5, date(2026, 10, 13)),
        # A Friday: the weekend is passed over.
        (date(2026, 6, 5), 3, date(2026, 6, 10)),
    ],
)
def test_the_objection_period_ends_n_working_days_after_publication(
    agency_a, city_supervisor, cycle_2026, monkeypatch, published_on, days, due
):
    """R21: the objection period in working days (the holiday schedule and its 调休)."""
    OfficerFactory(agency=agency_a)
    cycle_2026.objection_working_days = days
    cycle_2026.save()
    officer_results_compute(cycle=cycle_2026, actor=city_supervisor)
    moment = datetime.combine(published_on, datetime.min.time(), timezone.get_default_timezone())
    monkeypatch.setattr(timezone, "now", lambda: moment.replace(hour=9))
    assert officer_results_publish(cycle=cycle_2026, actor=city_supervisor) == due
    result = OfficerResult.objects.get()
    assert result.objection_due == due and result.published_at is not None
    assert cycle_2026.events.filter(kind=CycleEvent.Kind.OFFICER_RESULTS_PUBLISHED).exists()


def test_publishing_twice_or_before_computing_is_refused(agency_a, city_supervisor, cycle_2026):
    OfficerFactory(agency=agency_a)
    with pytest.raises(ValidationError, match="尚未计算"):
        officer_results_publish(cycle=cycle_2026, actor=city_supervisor)
    officer_results_compute(cycle=cycle_2026, actor=city_supervisor)
    officer_results_publish(cycle=cycle_2026, actor=city_supervisor)
    with pytest.raises(ValidationError, match="已经公布"):
        officer_results_publish(cycle=cycle_2026, actor=city_supervisor)


# --- the pages and the API -----------------------------------------------------------------------

from django.urls import reverse  # noqa: E402

from tests.conftest import client_for  # noqa: E402

from .officer_world import result_for  # noqa: E402


def _results(cycle, agency, count):
    return [result_for(cycle, OfficerFactory(agency=agency), total="70") for _ in range(count)]


def test_the_supervisor_reads_the_cycles_results_per_agency_in_constant_queries(
    cycle_2026, agency_a, county_agency_a, city_supervisor, django_assert_max_num_queries
):
    """R21: the page does not grow with the results."""
    _results(cycle_2026, agency_a, 2)
    client = client_for(city_supervisor)
    url = reverse("assessment:officer-results", args=[cycle_2026.pk])
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    _results(cycle_2026, agency_a, 25)
    _results(cycle_2026, county_agency_a, 5)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    assert "计算考核结果" in response.content.decode()


def test_the_legal_office_sees_only_its_own_agencys_officers(
    cycle_2026, agency_a, county_agency_a, legal_office_a
):
    mine = _results(cycle_2026, agency_a, 1)[0]
    other = _results(cycle_2026, county_agency_a, 1)[0]
    page = client_for(legal_office_a).get(
        reverse("assessment:officer-results", args=[cycle_2026.pk])
    )
    text = page.content.decode()
    assert mine.officer.name in text and other.officer.name not in text
    assert "计算考核结果" not in text
    api = client_for(legal_office_a).get(
        reverse("api:assessment-cycle-officer-results", args=[cycle_2026.pk])
    )
    assert [row["id"] for row in api.json()["results"]] == [mine.pk]


def test_outsider_b_cannot_read_agency_as_grades(cycle_2026, agency_a, outsider_b, inspector_a):
    """R22: grades are read by supervisors in scope and the agency's legal office only."""
    result = _results(cycle_2026, agency_a, 1)[0]
    for user in (outsider_b, inspector_a):
        client = client_for(user)
        page = client.get(reverse("assessment:officer-results", args=[cycle_2026.pk]))
        assert page.status_code == 403
        assert client.get(reverse("assessment:officer-result", args=[result.pk])).status_code in (
            403,
            404,
        )
        api = client.get(reverse("api:assessment-cycle-officer-results", args=[cycle_2026.pk]))
        assert api.status_code == 403 and "法制" in api.json()["detail"]
        sheet = client.get(reverse("assessment:officer-result-sheet", args=[result.pk]))
        assert sheet.status_code == 404


def test_a_forged_cycle_or_result_id_is_a_404(city_supervisor, city_b, cycle_2026):
    elsewhere = cycle_2026.__class__.objects.create(
        region=city_b, year=2026, opened_by=city_supervisor
    )
    client = client_for(city_supervisor)
    assert client.get(reverse("assessment:officer-results", args=[999999])).status_code == 404
    assert client.get(reverse("assessment:officer-results", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("assessment:officer-result", args=[999999])).status_code == 404
    api = client.get(reverse("api:assessment-cycle-officer-results", args=[999999]))
    assert api.status_code == 404


def test_the_api_lists_the_composition_in_constant_queries(
    cycle_2026, agency_a, city_supervisor, django_assert_max_num_queries
):
    _results(cycle_2026, agency_a, 2)
    client = client_for(city_supervisor)
    url = reverse("api:assessment-cycle-officer-results", args=[cycle_2026.pk])
    client.get(url)
    _results(cycle_2026, agency_a, 30)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    body = response.json()
    assert body["count"] == 32
    assert {"everyday_score", "special_score", "grade_display"} <= body["results"][0].keys()
    bad = client.get(url, {"agency": "abc"})
    assert bad.status_code == 400 and "数字" in str(bad.json())


def test_the_supervisor_computes_and_publishes_from_the_page(cycle_2026, agency_a, city_supervisor):
    OfficerFactory(agency=agency_a)
    client = client_for(city_supervisor)
    client.post(reverse("assessment:officer-results-compute", args=[cycle_2026.pk]))
    client.post(reverse("assessment:officer-results-publish", args=[cycle_2026.pk]))
    assert OfficerResult.objects.get().published_at is not None
    again = client.post(
        reverse("assessment:officer-results-compute", args=[cycle_2026.pk]), follow=True
    )
    assert "不能重新计算" in again.content.decode()


def test_the_records_page_adds_a_test_and_refuses_120(agency_a, legal_office_a):
    officer = OfficerFactory(agency=agency_a)
    client = client_for(legal_office_a)
    url = reverse("assessment:officer-records", args=[officer.pk])
    data = {
        "kind": "legal_test",
        "year": "2026",
        "score": "120",
        "occurred_on": "2026-03-02",
        "note": "测试",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400 and "0 至 100" in refused.content.decode()
    assert client.post(url, data | {"score": "88"}).status_code == 302
    assert OfficerRecord.objects.get().score == Decimal("88")


def test_a_reloaded_holiday_schedule_moves_open_objection_periods_once(
    cycle_2026, agency_a, city_supervisor
):
    """R21 and the working-day rules: open deadlines follow the loaded schedule."""
    from assessment.services.officers import objection_dues_recompute

    moment = at(date(2026, 9, 28), 9)
    stale = result_for(
        cycle_2026,
        OfficerFactory(agency=agency_a),
        published_at=moment,
        objection_due=date(2026, 10, 5),
    )
    final = result_for(
        cycle_2026,
        OfficerFactory(agency=agency_a),
        published_at=moment,
        objection_due=date(2026, 10, 5),
        final_at=moment,
    )
    assert objection_dues_recompute(2026) == 1
    stale.refresh_from_db()
    final.refresh_from_db()
    assert stale.objection_due == date(2026, 10, 10)
    assert final.objection_due == date(2026, 10, 5)
    assert "2026-10-10" in cycle_2026.events.get().note
    assert objection_dues_recompute(2026) == 0


def test_the_records_page_does_not_grow_with_the_records(
    agency_a, legal_office_a, django_assert_max_num_queries
):
    officer = OfficerFactory(agency=agency_a)
    client = client_for(legal_office_a)
    url = reverse("assessment:officer-records", args=[officer.pk])
    client.get(url)
    for _n in range(20):
        _record(officer, OfficerRecord.Kind.COMMENDATION, None, legal_office_a)
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.content.decode().count("表彰奖励") >= 20
