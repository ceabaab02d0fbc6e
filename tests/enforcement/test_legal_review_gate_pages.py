"""R5 on the case page: a decision the legal office refused stays subject to review whatever the
redraft, the review form names the draft it reviews, every review stays on the page with its
draft, and staff or the legal office mark a decision major (only the legal office unmarks)."""

import pytest
from django.urls import reverse

from enforcement.models import CaseEvent, Decision
from tests.conftest import client_for

from .test_cases import COMPANY
from .test_decisions import case_in_decision_stage

pytestmark = pytest.mark.django_db

REDRAFT_REFUSED = "法制审核未通过的决定，重新拟定后仍须提交法制审核，经审核同意后才能作出"
CHECKS = (
    "subject_lawful",
    "facts_proven",
    "basis_correct",
    "discretion_proper",
    "procedure_lawful",
)


@pytest.fixture
def case(agency_a, item_a, officers_a, inspector_a):
    return case_in_decision_stage(agency_a, item_a, officers_a, inspector_a, COMPANY)


def _draft(amount: str, **extra) -> dict:
    return {
        "decision-kind": "fine",
        "decision-fine_amount": amount,
        "decision-explanation": "当事人销售超过保质期的食品。",
        "decision-draft": "决定对当事人处以罚款。",
        **extra,
    }


def _review(conclusion: str, version: int, passed=CHECKS, reasons="罚款数额明显不当。") -> dict:
    data = {f"review-{name}": "on" for name in passed}
    data |= {
        "review-conclusion": conclusion,
        "review-reasons": reasons,
        "review-draft_version": version,
    }
    return data


def _url(name: str, case) -> str:
    return reverse(f"cases:{name}", args=[case.pk])


def test_a_refused_fine_redrafted_below_the_threshold_is_refused_until_reviewed_again(
    case, inspector_a, legal_office_a
):
    """R5, the bypass of issue 11 on the pages: ¥200,000 on a company, the legal office
    disagrees; staff redraft to ¥99,999; the page says it still needs review and issuing is
    refused; resubmitted, the legal office reviews draft 2 and agrees; it is issued, and the
    refusal of draft 1 stays on the page."""
    staff, office = client_for(inspector_a), client_for(legal_office_a)
    assert staff.post(_url("decision-save", case), _draft("200000")).status_code == 302
    assert staff.post(_url("decision-submit", case)).status_code == 302
    page = office.get(case.get_absolute_url()).content.decode()
    assert "审核第 1 稿" in page and 'name="review-draft_version" value="1"' in page
    refused = _review("disagree", 1, passed=CHECKS[:3])
    assert office.post(_url("review", case), refused).status_code == 302

    assert staff.post(_url("decision-save", case), _draft("99999")).status_code == 302
    decision = Decision.objects.get(case=case)
    assert (decision.draft_version, decision.is_major) == (2, True)
    page = staff.get(case.get_absolute_url()).content.decode()
    assert 'id="review-required"' in page and "第 2 稿" in page
    issued = staff.post(_url("decision-issue", case))
    assert issued.status_code == 400 and REDRAFT_REFUSED in issued.content.decode()
    decision.refresh_from_db()
    assert decision.status == Decision.Status.DRAFT and decision.issued_at is None

    assert staff.post(_url("decision-submit", case)).status_code == 302
    agreed = _review("agree", 2, reasons="数额适当，同意。")
    assert office.post(_url("review", case), agreed).status_code == 302
    assert staff.post(_url("decision-issue", case)).status_code == 302
    decision.refresh_from_db()
    assert decision.status == Decision.Status.ISSUED and decision.fine_amount == 99999

    page = staff.get(case.get_absolute_url()).content.decode()
    reviews = page[page.index('id="reviews"') :]
    assert reviews.index('data-conclusion="disagree"') < reviews.index('data-conclusion="agree"')
    assert "罚款数额明显不当" in reviews and "第 1 稿" in reviews and "不适用于最新草稿" in reviews


def test_a_review_posted_for_a_replaced_draft_is_a_chinese_400_and_records_nothing(
    case, inspector_a, legal_office_a
):
    """R5: the reviewer read draft 1; the decision is now draft 2 in review: refused."""
    staff, office = client_for(inspector_a), client_for(legal_office_a)
    staff.post(_url("decision-save", case), _draft("200000"))
    staff.post(_url("decision-submit", case))
    office.post(_url("review", case), _review("revise", 1, passed=CHECKS[:4]))
    staff.post(_url("decision-save", case), _draft("180000"))
    staff.post(_url("decision-submit", case))
    stale = office.post(_url("review", case), _review("agree", 1, reasons="同意。"))
    assert stale.status_code == 400
    assert "您审核的是第 1 稿，该决定现为第 2 稿" in stale.content.decode()
    decision = Decision.objects.get(case=case)
    assert decision.status == Decision.Status.IN_REVIEW and decision.reviews.count() == 1


def test_staff_mark_a_decision_major_on_the_page_and_a_mark_without_reason_is_refused(
    case, inspector_a
):
    """R5: a fine of ¥5,000 on a company is not major by the thresholds; staff mark it major
    with a reason (without one: a Chinese 400, nothing changes)."""
    staff = client_for(inspector_a)
    staff.post(_url("decision-save", case), _draft("5000"))
    page = staff.get(case.get_absolute_url()).content.decode()
    assert 'id="mark-form"' in page and 'id="unmark-form"' not in page
    refused = staff.post(_url("decision-mark", case), {"mark-reason": ""})
    assert (
        refused.status_code == 400 and "请填写认定为重大执法决定的理由" in refused.content.decode()
    )
    assert not Decision.objects.get(case=case).marked_major
    marked = staff.post(
        _url("decision-mark", case),
        {"mark-grounds": ["public_interest"], "mark-reason": "涉及学校周边食品安全。"},
    )
    assert marked.status_code == 302
    decision = Decision.objects.get(case=case)
    assert decision.is_major and decision.major_grounds == ["public_interest"]
    page = staff.get(case.get_absolute_url()).content.decode()
    assert 'id="major-mark"' in page and "涉及学校周边食品安全" in page
    assert 'id="mark-form"' not in page and 'id="unmark-form"' not in page


def test_only_the_legal_office_unmarks_on_the_page(case, inspector_a, legal_office_a):
    """R5: staff posting an unmark get a 403 and the mark stays; the legal office sees the
    form and takes the mark off with a reason, recorded in the timeline."""
    staff, office = client_for(inspector_a), client_for(legal_office_a)
    staff.post(_url("decision-save", case), _draft("5000"))
    staff.post(_url("decision-mark", case), {"mark-reason": "案情复杂。"})
    denied = staff.post(_url("decision-unmark", case), {"unmark-reason": "不复杂。"})
    assert denied.status_code == 403 and "法制审核机构" in denied.content.decode()
    assert Decision.objects.get(case=case).marked_major
    assert 'id="unmark-form"' in office.get(case.get_absolute_url()).content.decode()
    assert office.post(_url("decision-unmark", case), {"unmark-reason": ""}).status_code == 400
    done = office.post(_url("decision-unmark", case), {"unmark-reason": "经研究并不复杂。"})
    assert done.status_code == 302
    decision = Decision.objects.get(case=case)
    assert not decision.marked_major and not decision.is_major
    event = case.timeline.get(kind=CaseEvent.Kind.MAJOR_UNMARKED)
    assert event.actor == legal_office_a and event.note == "经研究并不复杂。"


def test_the_drafting_form_offers_the_catalogues_grounds(case, inspector_a):
    """R5: ticking a ground when drafting, with a reason, marks the decision major; ticking
    one without a reason is a Chinese 400 and saves nothing."""
    staff = client_for(inspector_a)
    page = staff.get(case.get_absolute_url()).content.decode()
    assert 'name="decision-grounds" value="complex"' in page
    refused = staff.post(
        _url("decision-save", case), _draft("5000", **{"decision-grounds": "complex"})
    )
    assert refused.status_code == 400 and "勾选重大情形的，须写明理由" in refused.content.decode()
    assert not Decision.objects.filter(case=case).exists()
    data = _draft(
        "5000", **{"decision-grounds": "complex", "decision-grounds_reason": "多方当事人。"}
    )
    assert staff.post(_url("decision-save", case), data).status_code == 302
    decision = Decision.objects.get(case=case)
    assert decision.is_major and decision.major_grounds == ["complex"]
    # The ground marked is shown, not offered again.
    page = staff.get(case.get_absolute_url()).content.decode()
    assert 'name="decision-grounds" value="complex"' not in page and "多方当事人" in page


def test_the_supervisor_is_offered_neither_mark_nor_unmark(case, inspector_a, city_supervisor):
    """R5: marking is the agency's (staff, legal office); the supervisor reads only."""
    client_for(inspector_a).post(_url("decision-save", case), _draft("5000"))
    supervisor = client_for(city_supervisor)
    page = supervisor.get(case.get_absolute_url()).content.decode()
    assert 'id="mark-form"' not in page and 'id="unmark-form"' not in page
    assert supervisor.post(_url("decision-mark", case), {"mark-reason": "理由"}).status_code == 403
    assert not Decision.objects.get(case=case).marked_major
