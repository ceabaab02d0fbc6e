"""Case-file review (案卷评查, R20, R21): a supervisor over the agency scores a closed case
against the checklist (completeness 25, procedure 15, evidence 15, decision 20, service 10,
archive 15); the total is the sum; the assessment aggregates the totals per agency and year."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from enforcement.models import CHECKLIST, Agency, CaseEvent, CaseFileReview
from enforcement.selectors.remedies import (
    current_records_by_stage,
    file_review_scores,
    unreviewed_closed_cases,
)
from enforcement.services.cases import case_record_correct
from enforcement.services.file_reviews import case_file_review_record
from portal.roles import Role
from portal.services import user_assign_role
from tests.factories import UserFactory

from .test_cases import PDF, upload
from .test_closing import archived, closed

pytestmark = pytest.mark.django_db

FULL = {name: points for name, _label, points in CHECKLIST}
SCORES = {
    "completeness": 20,
    "procedure": 15,
    "evidence": 12,
    "decision": 18,
    "service": 10,
    "archive": 11,
}


@pytest.fixture
def closed_case(agency_a, item_a, officers_a, inspector_a):
    return closed(agency_a, item_a, officers_a, inspector_a)


@pytest.fixture
def province_supervisor(province):
    user = UserFactory(username="province_supervisor", name="province_supervisor")
    return user_assign_role(user=user, role=Role.SUPERVISOR, region=province, actor=None)


@pytest.fixture
def other_city_supervisor(city_b):
    user = UserFactory(username="city_b_supervisor", name="city_b_supervisor")
    return user_assign_role(user=user, role=Role.SUPERVISOR, region=city_b, actor=None)


def review(case, actor, findings="卷内目录齐全，证据链完整。", **overrides) -> CaseFileReview:
    return case_file_review_record(
        case=case, actor=actor, findings=findings, **(SCORES | overrides)
    )


def nothing_reviewed(case) -> bool:
    return (
        not CaseFileReview.objects.exists()
        and not case.timeline.filter(kind=CaseEvent.Kind.FILE_REVIEWED).exists()
    )


def test_a_supervisor_scores_a_closed_case(closed_case, city_supervisor):
    """案卷评查: each item scored, the total is their sum, the timeline says so."""
    saved = review(closed_case, city_supervisor)
    assert saved.total == sum(SCORES.values()) == 86
    assert saved.reviewer == city_supervisor and saved.evidence == 12
    step = closed_case.timeline.get(kind=CaseEvent.Kind.FILE_REVIEWED)
    assert step.actor == city_supervisor and "总分 86" in step.note


def test_the_checklist_adds_up_to_a_hundred(closed_case, city_supervisor):
    assert sum(FULL.values()) == 100
    assert review(closed_case, city_supervisor, **FULL).total == 100


def test_an_open_case_is_not_reviewed(agency_a, item_a, officers_a, inspector_a, city_supervisor):
    case = archived(agency_a, item_a, officers_a, inspector_a)
    with pytest.raises(ValidationError, match="案件结案后才能进行案卷评查"):
        review(case, city_supervisor)
    assert nothing_reviewed(case)


@pytest.mark.parametrize(("name", "points"), list(FULL.items()))
def test_a_score_above_its_points_is_refused(closed_case, city_supervisor, name, points):
    label = next(label for n, label, _p in CHECKLIST if n == name)
    with pytest.raises(ValidationError) as refused:
        review(closed_case, city_supervisor, **{name: points + 1})
    assert refused.value.message_dict[name] == [f"“{label}”的得分须为 0 至 {points} 之间的整数。"]
    assert nothing_reviewed(closed_case)


@pytest.mark.parametrize("bad", [-1, 2.5, "10", None, True])
def test_a_score_that_is_not_a_whole_number_in_range_is_refused(closed_case, city_supervisor, bad):
    with pytest.raises(ValidationError) as refused:
        review(closed_case, city_supervisor, procedure=bad)
    assert "procedure" in refused.value.message_dict
    assert nothing_reviewed(closed_case)


def test_an_unknown_checklist_item_is_a_programming_error(closed_case, city_supervisor):
    with pytest.raises(TypeError):
        review(closed_case, city_supervisor, punctuality=5)
    assert nothing_reviewed(closed_case)


def test_findings_are_required(closed_case, city_supervisor):
    with pytest.raises(ValidationError) as refused:
        review(closed_case, city_supervisor, findings="  ")
    assert refused.value.message_dict["findings"] == ["请填写评查意见。"]
    assert nothing_reviewed(closed_case)


def test_a_reviewer_reviews_a_case_once(closed_case, city_supervisor, province_supervisor):
    """A repeated post is not counted twice; another supervisor over the agency may review."""
    review(closed_case, city_supervisor)
    with pytest.raises(ValidationError, match="您已评查过本案卷"):
        review(closed_case, city_supervisor)
    review(closed_case, province_supervisor)
    assert CaseFileReview.objects.filter(case=closed_case).count() == 2


@pytest.mark.parametrize(
    "who", ["inspector_a", "legal_office_a", "outsider_b", "other_city_supervisor", "sysadmin"]
)
def test_only_a_supervisor_over_the_agency_reviews(request, closed_case, who):
    """The agency does not score itself; a supervisor of another city cannot either."""
    with pytest.raises(PermissionDenied):
        review(closed_case, request.getfixturevalue(who))
    assert nothing_reviewed(closed_case)


def test_the_database_keeps_the_total_the_sum(closed_case, city_supervisor):
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFileReview.objects.create(
            case=closed_case, reviewer=city_supervisor, findings="x", total=99, **SCORES
        )


def test_the_database_keeps_each_score_within_its_points(closed_case, city_supervisor):
    scores = SCORES | {"service": 11}
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFileReview.objects.create(
            case=closed_case,
            reviewer=city_supervisor,
            findings="x",
            total=sum(scores.values()),
            **scores,
        )


# --- selectors -----------------------------------------------------------------------------------


def test_the_scores_are_counted_and_averaged_per_agency_and_year(
    closed_case,
    agency_a,
    agency_b,
    item_a,
    officers_a,
    inspector_a,
    city_supervisor,
    province_supervisor,
):
    """What the assessment aggregates: per agency, the count and the average total of a year."""
    second = closed(agency_a, item_a, officers_a, inspector_a, summary="第二案")
    review(closed_case, city_supervisor)  # 86
    review(closed_case, province_supervisor, **FULL)  # 100
    last_year = review(second, city_supervisor, **(SCORES | {"archive": 0}))  # 75
    moved = timezone.now() - datetime.timedelta(days=400)
    last_year.reviewed_at = moved  # saved, so that the monthly tallies move with it
    last_year.save(update_fields=["reviewed_at"])
    year = timezone.localdate().year
    rows = list(file_review_scores(agencies=Agency.objects.all(), year=year))
    assert rows == [
        {"agency": agency_a.pk, "agency_name": agency_a.name, "count": 2, "average": 93.0}
    ]
    earlier = list(
        file_review_scores(agencies=Agency.objects.all(), year=timezone.localtime(moved).year)
    )
    assert [(r["count"], r["average"]) for r in earlier] == [(1, 75.0)]
    assert not file_review_scores(agencies=Agency.objects.filter(pk=agency_b.pk), year=year)


def test_the_unreviewed_closed_cases_are_listed_in_scope(
    closed_case,
    agency_a,
    item_a,
    officers_a,
    inspector_a,
    city_supervisor,
    other_city_supervisor,
    sysadmin,
):
    reviewed = closed(agency_a, item_a, officers_a, inspector_a, summary="已评查")
    archived(agency_a, item_a, officers_a, inspector_a, summary="未结案")
    review(reviewed, city_supervisor)
    assert list(unreviewed_closed_cases(user=city_supervisor)) == [closed_case]
    assert list(unreviewed_closed_cases(user=sysadmin)) == [closed_case]
    assert not unreviewed_closed_cases(user=other_city_supervisor).exists()


def test_a_review_takes_its_file_out_of_the_queue_until_it_is_deleted(
    closed_case, city_supervisor, province_supervisor
):
    """The queue reads the case's reviewed marker: the first review sets it, and it stays while
    any review of the file remains."""
    first = review(closed_case, city_supervisor)
    second = review(closed_case, province_supervisor, **FULL)
    closed_case.refresh_from_db()
    assert closed_case.file_reviewed and first.agency_id == closed_case.agency_id
    assert not unreviewed_closed_cases(user=city_supervisor).exists()
    second.delete()
    assert not unreviewed_closed_cases(user=city_supervisor).exists()
    first.delete()
    assert list(unreviewed_closed_cases(user=city_supervisor)) == [closed_case]


def test_record_counts_per_stage_leave_out_superseded_versions(
    agency_a, item_a, officers_a, inspector_a
):
    case = archived(agency_a, item_a, officers_a, inspector_a)
    first = case.records.get(stage="initiation")
    case_record_correct(record=first, actor=inspector_a, file=upload("a.pdf", PDF), reason="补正")
    counts = current_records_by_stage(case=case)
    assert counts == {
        "initiation": 1,
        "investigation": 1,
        "decision": 1,
        "service": 1,
        "archiving": 1,
    }
