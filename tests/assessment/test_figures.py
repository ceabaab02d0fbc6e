"""R20: the figures the portal computes itself for each agency evaluated in a cycle, over the
cycle's year in Asia/Shanghai; their page, API and recomputation."""

import itertools
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.models import AgencyFigures, Assignment, Cycle, CycleEvent
from assessment.services.figures import figures_compute, figures_compute_request
from complaints.models import Complaint, Result
from enforcement.models import (
    Agency,
    BasisChange,
    Case,
    CaseFileReview,
    Decision,
    LegalReview,
    RemedyOutcome,
    RevisionTask,
)
from tests.conftest import client_for
from tests.enforcement.staff_factories import make_draft
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 12, 6)
_serial = itertools.count(1)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def complaint(agency, *, registered, ack_by=None, decided=None, result="", status=None):
    n = next(_serial)
    made = Complaint.objects.create(
        region=agency.region,
        year=registered.year,
        sequence=n,
        number=f"T-{n}",
        received_on=registered.date(),
        agency=agency,
        occurred_on=registered.date(),
        category="slow",
        description="测试投诉",
        anonymous=True,
        acknowledge_by=ack_by or registered.date(),
        decided_at=decided if decided or status else registered,
        result=result,
        status=status or (Complaint.Status.CLOSED if result else Complaint.Status.ACCEPTED),
        fingerprint=f"f{n}",
    )
    Complaint.objects.filter(pk=made.pk).update(registered_at=registered)
    return made


def case(agency, item, actor, *, closed=None) -> Case:
    return Case.objects.create(
        agency=agency,
        power_item=item,
        item_code=item.code,
        item_name=item.name,
        source=Case.Source.INSPECTION,
        summary="销售过期食品。",
        opened_by=actor,
        opened_at=at(2025, 6, 1, 9),
        closed_at=closed,
    )


def file_review(of_case, actor, *, when, full: bool) -> CaseFileReview:
    scores = {"completeness": 25, "procedure": 15, "evidence": 15, "decision": 20}
    scores |= {"service": 10, "archive": 15 if full else 0}
    review = CaseFileReview.objects.create(
        case=of_case, reviewer=actor, total=sum(scores.values()), findings="规范。", **scores
    )
    CaseFileReview.objects.filter(pk=review.pk).update(reviewed_at=when)
    return review


def legal_review(of_case, actor, *, when, conclusion) -> LegalReview:
    decision, _ = Decision.objects.get_or_create(
        case=of_case, defaults={"kind": "warning", "explanation": "说明", "draft": "草稿"}
    )
    agree = conclusion == LegalReview.Conclusion.AGREE
    review = LegalReview.objects.create(
        decision=decision,
        reviewer=actor,
        draft_version=1,
        subject_lawful=True,
        facts_proven=True,
        basis_correct=True,
        discretion_proper=agree,
        procedure_lawful=True,
        conclusion=conclusion,
        reasons="理由",
    )
    LegalReview.objects.filter(pk=review.pk).update(at=when)
    return review


def remedy(of_case, actor, *, on, outcome) -> RemedyOutcome:
    return RemedyOutcome.objects.create(
        case=of_case,
        kind=RemedyOutcome.Kind.RECONSIDERATION,
        body="甲市人民政府",
        reference=f"甲复〔{on.year}〕{next(_serial)}号",
        decided_on=on,
        outcome=outcome,
        summary="理由",
        recorded_by=actor,
    )


def revision(agency, actor, *, due, closed=None) -> RevisionTask:
    change = BasisChange.objects.create(
        kind=BasisChange.Kind.FUNCTIONS_CHANGED,
        agency=agency,
        published_on=due,
        summary="职能调整",
        recorded_by=actor,
    )
    return RevisionTask.objects.create(
        change=change,
        agency=agency,
        due_on=due,
        status=RevisionTask.Status.CLOSED if closed else RevisionTask.Status.OPEN,
        closed_at=closed,
    )


@pytest.fixture
def government_a(city_a):
    return AgencyFactory(name="甲市人民政府", region=city_a, kind=Agency.Kind.GOVERNMENT)


@pytest.fixture
def records_a(agency_a, county_agency_a, agency_b, inspector_a, city_supervisor):
    """Agency A's records around 2026, and one of agency B (another city) that never counts."""
    sv = city_supervisor
    # Complaints registered: the year's bounds are Shanghai's (UTC+8).
    complaint(agency_a, registered=at(2026, 1, 1, 0, 5), result=Result.SUBSTANTIATED)
    complaint(agency_a, registered=at(2026, 12, 31, 23, 30), result=Result.PARTLY)
    complaint(agency_a, registered=at(2026, 5, 1, 10), result=Result.NOT_SUBSTANTIATED)
    complaint(agency_a, registered=at(2025, 12, 31, 23, 59))  # the year before
    complaint(agency_a, registered=at(2027, 1, 1, 0, 10))  # 2026-12-31 16:10 UTC: next year
    complaint(agency_b, registered=at(2026, 5, 1, 10), result=Result.SUBSTANTIATED)
    # R16 acknowledgements: on time (decided on the deadline, late evening in Shanghai), late,
    # open past the deadline (late), open with the deadline ahead (not yet due).
    ack = date(2026, 3, 10)
    complaint(agency_a, registered=at(2025, 3, 1, 9), ack_by=ack, decided=at(2026, 3, 10, 23))
    complaint(agency_a, registered=at(2025, 3, 1, 9), ack_by=ack, decided=at(2026, 3, 11, 0, 30))
    complaint(
        agency_a, registered=at(2025, 3, 1, 9), ack_by=ack, status=Complaint.Status.REGISTERED
    )
    complaint(
        agency_a,
        registered=at(2025, 3, 1, 9),
        ack_by=date(2026, 12, 10),
        status=Complaint.Status.REGISTERED,
    )
    # R2 list revisions: on time, late, open past due (late), open and not yet due.
    revision(agency_a, sv, due=date(2026, 4, 30), closed=at(2026, 4, 30, 20))
    revision(agency_a, sv, due=date(2026, 4, 30), closed=at(2026, 5, 2, 9))
    revision(agency_a, sv, due=date(2026, 6, 30))
    revision(agency_a, sv, due=date(2026, 12, 20))
    revision(agency_a, sv, due=date(2025, 6, 30), closed=at(2025, 6, 1, 9))
    # Cases closed, reviews, legal reviews and remedies.
    item = make_draft(agency_a, inspector_a)
    closed = case(agency_a, item, inspector_a, closed=at(2026, 2, 1, 9))
    other = case(agency_a, item, inspector_a, closed=at(2026, 11, 1, 9))
    case(agency_a, item, inspector_a, closed=at(2025, 11, 1, 9))
    case(agency_a, item, inspector_a)
    file_review(closed, sv, when=at(2026, 3, 1, 9), full=True)  # 100
    file_review(other, sv, when=at(2026, 11, 20, 9), full=False)  # 85
    file_review(other, sv, when=at(2025, 12, 31, 9), full=False)
    legal_review(closed, sv, when=at(2026, 1, 10, 9), conclusion=LegalReview.Conclusion.REVISE)
    legal_review(closed, sv, when=at(2026, 1, 20, 9), conclusion=LegalReview.Conclusion.AGREE)
    legal_review(other, sv, when=at(2026, 10, 1, 9), conclusion=LegalReview.Conclusion.DISAGREE)
    legal_review(other, sv, when=at(2025, 10, 1, 9), conclusion=LegalReview.Conclusion.AGREE)
    remedy(closed, sv, on=date(2026, 6, 1), outcome=RemedyOutcome.Outcome.UPHELD)
    remedy(other, sv, on=date(2026, 12, 1), outcome=RemedyOutcome.Outcome.REVOKED)
    remedy(other, sv, on=date(2025, 12, 1), outcome=RemedyOutcome.Outcome.CHANGED)


def test_each_figure_counts_the_agencys_records_of_the_cycle_year_in_shanghai_time(
    cycle_2026, records_a, agency_a, city_supervisor
):
    """R20: complaints received and substantiated, the acknowledgement on-time rate with open
    overdue complaints counted late, list revisions on time, legal reviews and refusals, cases
    closed, case-file reviews and their average, unfavourable remedy outcomes: for 2026 only."""
    assert figures_compute(cycle=cycle_2026, actor=city_supervisor, today=TODAY) == 2
    row = AgencyFigures.objects.get(cycle=cycle_2026, agency=agency_a)
    assert (row.complaints_received, row.complaints_substantiated) == (3, 2)
    # Three of the year's register decided on the day, and the three deadlines of 10 March.
    assert (row.acknowledgements_due, row.acknowledgements_on_time) == (6, 4)
    assert (row.revisions_due, row.revisions_on_time) == (3, 1)
    assert (row.legal_reviews, row.legal_reviews_refused) == (3, 2)
    assert row.cases == 2
    assert (row.case_reviews, row.case_review_average) == (2, Decimal("92.50"))
    assert (row.remedies, row.remedies_unfavourable) == (2, 1)
    assert row.accountability_findings == 0  # no accountability sanction among these records


def test_the_cycle_evaluates_its_own_regions_agencies_but_not_governments_counties_or_other_cities(
    cycle_2026, records_a, agency_a, county_agency_a, agency_b, city_a_legal_office, government_a
):
    """R19, R20: before assignments exist, every non-government agency of the city gets a row,
    with zeros where it has no records; the county's agencies are its own government's to
    evaluate, and agency B (another city) is not the city's either: the same agencies as the
    assignments are derived for (`assessment.services.coverage`)."""
    figures_compute(cycle=cycle_2026, today=TODAY)
    agencies = set(AgencyFigures.objects.filter(cycle=cycle_2026).values_list("agency", flat=True))
    assert agencies == {agency_a.pk, city_a_legal_office.pk}
    office = AgencyFigures.objects.get(cycle=cycle_2026, agency=city_a_legal_office)
    assert office.complaints_received == office.cases == 0
    assert office.case_review_average is None


def test_once_assignments_exist_only_the_assigned_agencies_have_figures(
    cycle_2026, records_a, agency_a, county_agency_a, city_a_legal_office
):
    """R19: the evaluated agencies are the assigned ones; recomputing drops the others' rows."""
    figures_compute(cycle=cycle_2026, today=TODAY)
    Assignment.objects.create(
        cycle=cycle_2026,
        agency=agency_a,
        role=Assignment.Role.LOCAL,
        evaluator=city_a_legal_office,
        weight=100,
    )
    assert figures_compute(cycle=cycle_2026, today=TODAY) == 1
    rows = AgencyFigures.objects.filter(cycle=cycle_2026)
    assert list(rows.values_list("agency", flat=True)) == [agency_a.pk]


def test_recomputing_replaces_the_figures_and_records_each_computation(
    cycle_2026, records_a, agency_a, city_supervisor
):
    """R20: idempotent; each computation is on the cycle's timeline with who asked and the note
    of what the accountability findings count."""
    figures_compute(cycle=cycle_2026, actor=city_supervisor, today=TODAY)
    complaint(agency_a, registered=at(2026, 7, 1, 9), result=Result.SUBSTANTIATED)
    figures_compute(cycle=cycle_2026, today=TODAY)
    row = AgencyFigures.objects.get(cycle=cycle_2026, agency=agency_a)
    assert (row.complaints_received, row.complaints_substantiated) == (4, 3)
    assert AgencyFigures.objects.filter(cycle=cycle_2026).count() == 2
    events = list(CycleEvent.objects.filter(cycle=cycle_2026, kind="figures_computed"))
    assert [e.actor for e in events] == [city_supervisor, None]
    assert "2 个单位" in events[0].note and "责任追究" in events[0].note


def test_a_closed_cycle_is_not_recomputed(cycle_2026, records_a, city_supervisor):
    """R20: the figures of a closed cycle are the evidence its results rest on."""
    Cycle.objects.filter(pk=cycle_2026.pk).update(status="closed", closed_at=timezone.now())
    with pytest.raises(ValidationError, match="已结束"):
        figures_compute(cycle=cycle_2026, actor=city_supervisor)
    with pytest.raises(ValidationError, match="已结束"):
        cycle_2026.refresh_from_db()
        figures_compute_request(cycle=cycle_2026, actor=city_supervisor)
    assert not AgencyFigures.objects.exists()
    assert not CycleEvent.objects.filter(kind="figures_computed").exists()


def test_only_a_supervisor_of_the_cycles_region_or_above_may_ask_for_a_recomputation(
    cycle_2026, inspector_a, outsider_b, sysadmin
):
    """R20: agency staff, another city's people and the administrator are refused."""
    for user in (inspector_a, outsider_b, sysadmin):
        with pytest.raises(PermissionDenied):
            figures_compute_request(cycle=cycle_2026, actor=user)


def _agencies(region, count):
    return [AgencyFactory(name=f"甲市第{next(_serial)}局", region=region) for _n in range(count)]


def test_the_computation_costs_the_same_queries_for_few_or_many_agencies(
    cycle_2026, city_a, agency_a, inspector_a, city_supervisor
):
    """R20 (scale): set-based, no query per agency."""
    complaint(agency_a, registered=at(2026, 5, 1, 10), result=Result.SUBSTANTIATED)
    with CaptureQueriesContext(connection) as few:
        figures_compute(cycle=cycle_2026, today=TODAY)
    for agency in _agencies(city_a, 30):
        complaint(agency, registered=at(2026, 5, 1, 10))
    with CaptureQueriesContext(connection) as many:
        # the 30, agency A and the city's legal office (the supervisor's agency)
        assert figures_compute(cycle=cycle_2026, today=TODAY) == 32
    assert len(many.captured_queries) == len(few.captured_queries)


# --- the page ----------------------------------------------------------------------------------


def page(cycle) -> str:
    return reverse("assessment:cycle-figures", args=[cycle.pk])


def compute_url(cycle) -> str:
    return reverse("assessment:cycle-figures-compute", args=[cycle.pk])


def test_the_supervisor_reads_every_agencys_figures_with_rates_and_the_time_computed(
    cycle_2026, records_a, agency_a, city_supervisor
):
    """R20: the table with the on-time percentages and when it was computed."""
    figures_compute(cycle=cycle_2026, today=TODAY)
    response = client_for(city_supervisor).get(page(cycle_2026))
    assert response.status_code == 200
    text = response.content.decode()
    assert "甲市市场监督管理局" in text and "甲市司法局" in text
    assert "乙县市场监督管理局" not in text  # the county government's to evaluate
    assert "4 / 6（66.7%）" in text and "1 / 3（33.3%）" in text  # the on-time rates
    assert "计算时间" in text and "重新计算" in text
    assert "计入本年度考核的问责处理" in text


def test_agency_staff_see_their_own_agencys_row_only_and_no_recompute_button(
    cycle_2026, records_a, agency_a, inspector_a
):
    """R20: staff read their agency's figures, not their neighbours'."""
    figures_compute(cycle=cycle_2026, today=TODAY)
    response = client_for(inspector_a).get(page(cycle_2026))
    assert response.status_code == 200
    text = response.content.decode()
    assert "甲市市场监督管理局" in text and "乙县市场监督管理局" not in text
    assert "重新计算" not in text


def test_another_citys_staff_and_forged_ids_get_404(cycle_2026, outsider_b, city_supervisor):
    """R20: a cycle out of scope is indistinguishable from none."""
    assert client_for(outsider_b).get(page(cycle_2026)).status_code == 404
    assert client_for(outsider_b).post(compute_url(cycle_2026)).status_code == 404
    forged = Cycle(pk=cycle_2026.pk + 1000)
    assert client_for(city_supervisor).get(page(forged)).status_code == 404
    assert client_for(city_supervisor).post(compute_url(forged)).status_code == 404
    assert client_for(city_supervisor).get("/assessment/cycles/1x/figures/").status_code == 404


def test_recompute_runs_the_task_after_commit(
    cycle_2026, records_a, agency_a, city_supervisor, django_capture_on_commit_callbacks
):
    """R20: the button queues the computation (in process in tests) once the request commits."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(city_supervisor).post(compute_url(cycle_2026))
    assert response.status_code == 302 and response["Location"] == page(cycle_2026)
    assert len(callbacks) == 1
    assert AgencyFigures.objects.filter(cycle=cycle_2026).count() == 2
    event = CycleEvent.objects.get(cycle=cycle_2026, kind="figures_computed")
    assert event.actor == city_supervisor


def test_recompute_is_refused_to_staff_and_on_a_closed_cycle(
    cycle_2026, inspector_a, city_supervisor, django_capture_on_commit_callbacks
):
    """R20: staff get 403; a closed cycle says why and nothing runs."""
    assert client_for(inspector_a).post(compute_url(cycle_2026)).status_code == 403
    Cycle.objects.filter(pk=cycle_2026.pk).update(status="closed", closed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(city_supervisor).post(compute_url(cycle_2026), follow=True)
    assert callbacks == []
    assert "已结束" in response.content.decode()
    assert not AgencyFigures.objects.exists()


def test_the_page_turns_a_malformed_page_number_into_the_first_page(
    cycle_2026, records_a, city_supervisor
):
    figures_compute(cycle=cycle_2026, today=TODAY)
    response = client_for(city_supervisor).get(page(cycle_2026), {"page": "=cmd|x"})
    assert response.status_code == 200


def _figures_for(cycle, agencies):
    now = timezone.now()
    AgencyFigures.objects.bulk_create(
        AgencyFigures(cycle=cycle, agency=a, computed_at=now, acknowledgements_due=2)
        for a in agencies
    )


def test_the_page_costs_the_same_queries_for_few_or_many_agencies(
    cycle_2026, city_a, city_supervisor, django_assert_max_num_queries
):
    """Scale: the list page's query count does not grow with the agencies."""
    client = client_for(city_supervisor)
    _figures_for(cycle_2026, _agencies(city_a, 3))
    with CaptureQueriesContext(connection) as few:
        assert client.get(page(cycle_2026)).status_code == 200
    _figures_for(cycle_2026, _agencies(city_a, 57))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(page(cycle_2026))
    assert response.content.decode().count("data-agency=") == 60


# --- the API -----------------------------------------------------------------------------------


def api(cycle) -> str:
    return reverse("api:assessment-cycle-figures", args=[cycle.pk])


def test_the_api_lists_the_figures_in_scope_with_rates(
    cycle_2026, records_a, agency_a, city_supervisor, inspector_a, outsider_b
):
    """R20: scoped like the page."""
    figures_compute(cycle=cycle_2026, today=TODAY)
    data = client_for(city_supervisor).get(api(cycle_2026)).json()
    assert data["count"] == 2
    mine = client_for(inspector_a).get(api(cycle_2026)).json()["results"]
    assert [row["agency"] for row in mine] == [agency_a.pk]
    assert mine[0]["acknowledgement_rate"] == 66.7
    assert mine[0]["revision_rate"] == 33.3
    assert mine[0]["case_review_average"] == "92.50"
    assert client_for(outsider_b).get(api(cycle_2026)).status_code == 404
    missing = client_for(city_supervisor).get(api(Cycle(pk=cycle_2026.pk + 99)))
    assert missing.status_code == 404
    assert "detail" in missing.json() and "Not found" not in missing.content.decode()


def test_the_api_costs_the_same_queries_for_few_or_many_agencies(
    cycle_2026, city_a, city_supervisor, django_assert_max_num_queries
):
    """Scale: the list endpoint's query count does not grow with the agencies."""
    client = client_for(city_supervisor)
    _figures_for(cycle_2026, _agencies(city_a, 3))
    with CaptureQueriesContext(connection) as few:
        assert client.get(api(cycle_2026)).status_code == 200
    _figures_for(cycle_2026, _agencies(city_a, 57))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(api(cycle_2026)).json()["count"] == 60


def test_the_figures_endpoint_is_in_the_openapi_schema(sysadmin):
    paths = client_for(sysadmin).get(reverse("api:schema"), {"format": "json"}).json()["paths"]
    operation = paths["/api/v1/assessment/cycles/{id}/figures/"]["get"]
    assert set(operation["responses"]) >= {"200", "404"}


def test_the_api_answers_a_malformed_page_in_chinese(cycle_2026, records_a, city_supervisor):
    figures_compute(cycle=cycle_2026, today=TODAY)
    response = client_for(city_supervisor).get(api(cycle_2026), {"page": "=cmd|x"})
    assert response.status_code == 400
    assert "页码" in response.content.decode()
