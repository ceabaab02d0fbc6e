"""Defaults that are local choices, not the policy's (DESIGN: "configurable per region and labelled
as such"): the thresholds of a major decision (¥10,000 / ¥100,000), the 60-day complaint
handling period, the agency's 10-working-day answer, and the weights of the case-file checklist.

Each is configurable per region, and the code, the admin's help and the public pages say that it
is a local default (本地区设定的默认值，非政策规定).
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from complaints.models import ComplaintChannel
from enforcement.models import CaseFileChecklist, CaseFileReview
from enforcement.services.file_reviews import case_file_checklist_save, case_file_review_record
from tests.conftest import client_for

from .test_closing import closed
from .test_file_reviews import SCORES

pytestmark = pytest.mark.django_db

LABEL = "本地区设定的默认值（非政策规定）"


@pytest.fixture
def closed_case(agency_a, item_a, officers_a, inspector_a):
    return closed(agency_a, item_a, officers_a, inspector_a)


@pytest.mark.parametrize(
    ("url", "label"),
    [
        (reverse("admin:enforcement_majordecisioncriteria_add"), LABEL),
        (reverse("admin:complaints_complaintchannel_add"), LABEL),
        (reverse("admin:enforcement_casefilechecklist_add"), "本地区设定的默认分值（非政策规定）"),
    ],
    ids=["major-thresholds", "complaint-periods", "checklist-weights"],
)
def test_the_admin_says_which_values_are_local_defaults(city_supervisor, url, label):
    """Local choices: the admin's help next to each value says it is not the policy's."""
    page = client_for(city_supervisor).get(url).content.decode()
    assert label in page


def test_the_channels_page_gives_the_regions_periods_as_local_choices(public_client, city_a):
    """Local choices: the public channel page shows the region's handling period and the
    agency's answer period, labelled as local defaults; the 5 working days are the policy's."""
    ComplaintChannel.objects.create(
        region=city_a,
        office="甲市司法局",
        hotline="12345",
        handling_days=45,
        extension_days=15,
        agency_response_working_days=7,
    )
    page = public_client.get(reverse("complaints:channels")).content.decode()
    assert "受理后 45 日内办结" in page and "延长 15 日" in page
    assert "7 个工作日内作出书面说明" in page
    assert "办理期限和书面说明期限是本地区设定的默认值（非政策规定）" in page


# --- the case-file checklist's weights ----------------------------------------------------------

WEIGHTS = {
    "completeness": 30,
    "procedure": 20,
    "evidence": 15,
    "decision": 15,
    "service": 10,
    "archive": 10,
}


def test_a_region_weighs_the_checklist_itself_and_a_review_keeps_its_weights(
    closed_case, city_a, city_supervisor
):
    """Local choice: city A gives completeness 30 points; 30 is accepted, 31 refused; the review
    keeps the weights it was scored against, even after the region changes them again."""
    checklist = case_file_checklist_save(
        checklist=CaseFileChecklist(region=city_a, **WEIGHTS), actor=city_supervisor
    )
    assert checklist.history.get().history_user == city_supervisor
    with pytest.raises(ValidationError, match="0 至 30 之间的整数"):
        case_file_review_record(
            case=closed_case,
            actor=city_supervisor,
            findings="意见",
            **(SCORES | {"completeness": 31}),
        )
    review = case_file_review_record(
        case=closed_case,
        actor=city_supervisor,
        findings="卷内目录齐全。",
        **(SCORES | {"completeness": 30, "decision": 15, "archive": 10}),
    )
    assert review.points() == WEIGHTS and review.total == 30 + 15 + 12 + 15 + 10 + 10
    checklist.completeness, checklist.procedure = 25, 25
    case_file_checklist_save(checklist=checklist, actor=city_supervisor)
    review.refresh_from_db()
    review.full_clean()
    assert review.completeness_points == 30


def test_the_review_page_shows_the_regions_weights_and_says_they_are_local(
    closed_case, city_a, city_supervisor
):
    """Local choice: the form's maxima are the region's, and the page says whose they are."""
    client = client_for(city_supervisor)
    url = reverse("cases:file-review", args=[closed_case.pk])
    assert "本平台的默认值" in client.get(url).content.decode()
    CaseFileChecklist.objects.create(region=city_a, **WEIGHTS)
    page = client.get(url).content.decode()
    assert "（满分 30 分）" in page and "各项分值由甲市设定" in page and "非政策规定" in page


def test_weights_that_do_not_add_up_to_100_are_refused(city_a, city_supervisor):
    """The checklist is out of 100: the service (in Chinese) and the database refuse more."""
    with pytest.raises(ValidationError, match="六项分值合计须为 100 分"):
        case_file_checklist_save(
            checklist=CaseFileChecklist(region=city_a, **(WEIGHTS | {"archive": 20})),
            actor=city_supervisor,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFileChecklist.objects.create(region=city_a, **(WEIGHTS | {"archive": 20}))
    assert not CaseFileChecklist.objects.exists()


def test_the_database_keeps_each_score_within_the_weight_it_was_scored_against(
    closed_case, city_supervisor
):
    """The range constraint reads the review's own weights, not fixed numbers."""
    review = case_file_review_record(
        case=closed_case, actor=city_supervisor, findings="意见", **SCORES
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFileReview.objects.filter(pk=review.pk).update(completeness=26, total=review.total + 6)
