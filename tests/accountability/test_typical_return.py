"""R18: a submitted typical case sent back to its drafter. The reviewer — a supervisor over the
unit other than the drafter, the same person who may approve — returns it to draft with written
reasons, a row of the proceeding's timeline; the drafter reads them on the case's page, edits and
submits again. A draft or a published case is not returned; a refusal changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accountability.models import ProceedingEvent, TypicalCase
from accountability.services.typical import (
    typical_approve,
    typical_return,
    typical_submit,
    typical_update,
)
from tests.conftest import client_for

from .test_typical_cases import TEXTS, decided, draft

Status = TypicalCase.Status
REASONS = "案例剖析过于简略，请补充执法人员违反的具体条款。"


@pytest.fixture
def decided_case(city_supervisor, agency_a):
    return decided(city_supervisor, agency_a)


@pytest.fixture
def submitted(decided_case, city_supervisor):
    return typical_submit(typical=draft(decided_case, city_supervisor), actor=city_supervisor)


def _returns(typical):
    return typical.proceeding.timeline.filter(kind=ProceedingEvent.Kind.TYPICAL_RETURNED)


def _unchanged(typical, status, events):
    typical.refresh_from_db()
    assert typical.status == status
    assert typical.proceeding.timeline.count() == events
    assert typical.history.count() == events


def test_the_reviewer_returns_with_reasons_and_the_drafter_resubmits(
    submitted, city_supervisor, colleague
):
    """R18: returned, the case is a draft again and the reasons are a timeline row by the
    reviewer; the drafter edits and submits again, and the reviewer then approves."""
    returned = typical_return(typical=submitted, reasons=f"  {REASONS}\n", actor=colleague)
    assert returned.status == Status.DRAFT and returned.approved_by is None
    event = _returns(returned).get()
    assert event.actor == colleague and event.note == REASONS
    typical_update(
        typical=returned,
        actor=city_supervisor,
        **(TEXTS | {"analysis": "执法人员违反行政处罚法第四十四条，未履行告知义务。"}),
    )
    typical_submit(typical=returned, actor=city_supervisor)
    published = typical_approve(typical=returned, actor=colleague)
    assert published.status == Status.PUBLISHED and "第四十四条" in published.analysis
    kinds = list(published.proceeding.timeline.values_list("kind", flat=True))
    assert kinds == [
        "typical_drafted",
        "typical_submitted",
        "typical_returned",
        "typical_submitted",
        "typical_published",
    ]


def test_only_a_reviewer_other_than_the_drafter_returns(
    submitted, city_supervisor, city_b_supervisor, inspector_a, sysadmin
):
    """R18: the drafter cannot return their own case, nor can a supervisor of another city,
    agency staff or the administrator; nothing changes."""
    with pytest.raises(PermissionDenied, match="撰写人不能审核自己撰写"):
        typical_return(typical=submitted, reasons=REASONS, actor=city_supervisor)
    for actor in (city_b_supervisor, inspector_a, sysadmin):
        with pytest.raises(PermissionDenied, match="只有管辖该单位"):
            typical_return(typical=submitted, reasons=REASONS, actor=actor)
    _unchanged(submitted, Status.SUBMITTED, 2)


@pytest.mark.parametrize(
    ("reasons", "message"),
    [
        ("   ", "请填写退回理由"),
        ("改" * 2001, "退回理由不能超过 2000 个字"),
        ('=HYPERLINK("http://x")', "不能以公式开头"),
    ],
)
def test_reasons_are_required_and_cleaned(submitted, colleague, reasons, message):
    """R18: a return without written reasons (or with too long or unsafe ones) is refused."""
    with pytest.raises(ValidationError, match=message):
        typical_return(typical=submitted, reasons=reasons, actor=colleague)
    _unchanged(submitted, Status.SUBMITTED, 2)


def test_a_draft_or_a_published_case_is_not_returned(decided_case, city_supervisor, colleague):
    """R18: only a submitted case is returned; a published one stays published."""
    typical = draft(decided_case, city_supervisor)
    with pytest.raises(ValidationError, match="只有待审核的典型案例可以退回"):
        typical_return(typical=typical, reasons=REASONS, actor=colleague)
    _unchanged(typical, Status.DRAFT, 1)
    typical_submit(typical=typical, actor=city_supervisor)
    typical_approve(typical=typical, actor=colleague)
    with pytest.raises(ValidationError, match="已经发布，不能退回"):
        typical_return(typical=typical, reasons=REASONS, actor=colleague)
    _unchanged(typical, Status.PUBLISHED, 3)
    assert not _returns(typical).exists()


# --- the page and the API ------------------------------------------------------------------------


def test_the_reviewer_returns_on_the_page_and_the_drafter_reads_the_reasons(
    submitted, city_supervisor, colleague
):
    """R18: the reviewer's page offers the return with its reasons; empty reasons are re-shown
    with the message (400) and nothing changes; returned, the drafter's page shows the reasons
    and offers the edit and the submission again."""
    reviewer = client_for(colleague)
    detail = reverse("accountability:typical-detail", args=[submitted.pk])
    url = reverse("accountability:typical-return", args=[submitted.pk])
    page = reviewer.get(detail)
    assert url in page.text and "退回撰写人修改" in page.text
    assert url not in client_for(city_supervisor).get(detail).text
    refused = reviewer.post(url, {"reasons": ""})
    assert refused.status_code == 400 and "请填写退回理由" in refused.text
    _unchanged(submitted, Status.SUBMITTED, 2)
    done = reviewer.post(url, {"reasons": REASONS})
    assert done.status_code == 302 and done["Location"] == detail
    drafter = client_for(city_supervisor).get(detail)
    assert "审核人退回修改" in drafter.text and REASONS in drafter.text
    assert reverse("accountability:typical-edit", args=[submitted.pk]) in drafter.text
    assert reverse("accountability:typical-submit", args=[submitted.pk]) in drafter.text


def test_the_drafters_return_is_refused_before_the_reasons_are_read(submitted, city_supervisor):
    """R18: the drafter's return, even without reasons, is refused for who they are (403)."""
    url = reverse("accountability:typical-return", args=[submitted.pk])
    refused = client_for(city_supervisor).post(url, {"reasons": ""})
    assert refused.status_code == 403 and "撰写人不能审核自己撰写" in refused.text
    _unchanged(submitted, Status.SUBMITTED, 2)


def test_a_published_case_is_refused_on_the_page(submitted, colleague):
    """R18: a return of a published case is refused with the reason (400)."""
    typical_approve(typical=submitted, actor=colleague)
    url = reverse("accountability:typical-return", args=[submitted.pk])
    refused = client_for(colleague).post(url, {"reasons": REASONS})
    assert refused.status_code == 400 and "已经发布，不能退回" in refused.text
    _unchanged(submitted, Status.PUBLISHED, 3)


def test_the_page_and_the_api_read_the_returns_in_constant_queries(
    submitted, city_supervisor, colleague, django_assert_max_num_queries
):
    """R18: the case's page and the API detail list every return, latest first, in the same
    number of queries however many there were."""
    for n in range(4):
        typical_return(typical=submitted, reasons=f"第 {n} 次退回：{REASONS}", actor=colleague)
        typical_submit(typical=submitted, actor=city_supervisor)
    typical_return(typical=submitted, reasons="最后一次退回。", actor=colleague)
    client = client_for(city_supervisor)
    detail = reverse("accountability:typical-detail", args=[submitted.pk])
    client.get(detail)
    with django_assert_max_num_queries(9):
        page = client.get(detail)
    assert page.text.count("次退回：") == 4 and "最后一次退回。" in page.text
    api = reverse("api:accountability-typical-case", args=[submitted.pk])
    with django_assert_max_num_queries(7):
        body = client.get(api).json()
    assert [r["reasons"] for r in body["returns"]][:2] == [
        "最后一次退回。",
        f"第 3 次退回：{REASONS}",
    ]
    assert body["returns"][0]["returned_by"] == str(colleague) and body["status"] == "draft"
