"""R5, the legal-review gate (§ 四(一): 应审尽审; 应审未审或审核未通过的，不得作出执法决定).

A decision once submitted for legal review stays subject to it, whatever the redraft: it is issued
only after the latest review of its latest draft agrees. Every save is a new draft version and a
review names the draft it reviewed; reviews that disagreed stay in the file. Staff or the legal
office mark a decision major with a reason; only the legal office takes the mark off. The service
refuses, and so does the database (check constraints; on PostgreSQL a composite foreign key that
ties the approval to this decision, agreeing, and to its current draft).
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from enforcement.models import CaseEvent, Decision, Ground, LegalReview, MajorDecisionCriteria
from enforcement.services import decisions as services
from tests.conftest import client_for

from .test_cases import CITIZEN, COMPANY
from .test_decisions import PASSING, case_in_decision_stage

pytestmark = pytest.mark.django_db

REDRAFT_REFUSED = "法制审核未通过的决定，重新拟定后仍须提交法制审核"
JSON = {"content_type": "application/json"}


@pytest.fixture
def company_case(agency_a, item_a, officers_a, inspector_a):
    return case_in_decision_stage(agency_a, item_a, officers_a, inspector_a, COMPANY)


@pytest.fixture
def citizen_case(agency_a, item_a, officers_a, inspector_a):
    return case_in_decision_stage(agency_a, item_a, officers_a, inspector_a, CITIZEN)


def draft(case, actor, **overrides) -> Decision:
    fields = {
        "case": case,
        "actor": actor,
        "kind": "fine",
        "fine_amount": Decimal("200000"),
        "explanation": "当事人销售超过保质期的食品，货值较大。",
        "draft": "决定对当事人处以罚款。",
    }
    return services.decision_save(**(fields | overrides))


def review(decision, actor, conclusion="agree", **extra) -> LegalReview:
    checks = PASSING if conclusion == "agree" else PASSING | {"discretion_proper": False}
    return services.legal_review_record(
        decision=decision,
        actor=actor,
        conclusion=conclusion,
        reasons="罚款数额明显不当。" if conclusion != "agree" else "事实清楚，依据正确。",
        **(checks | extra),
    )


@pytest.fixture
def refused_fine(company_case, inspector_a, legal_office_a) -> Decision:
    """The bypass of issue 11: the legal office disagreed with a ¥200,000 fine on a company."""
    decision = draft(company_case, inspector_a)
    services.decision_submit(decision=decision, actor=inspector_a)
    review(decision, legal_office_a, "disagree")
    decision.refresh_from_db()
    assert decision.status == Decision.Status.RETURNED
    return decision


# --- the bypass: redrafting around the thresholds -------------------------------------------------


@pytest.mark.parametrize(
    "redraft",
    [
        {"fine_amount": Decimal("99999")},
        {"kind": "warning", "fine_amount": None},
    ],
    ids=["fine-below-the-threshold", "a-warning"],
)
@pytest.mark.parametrize("conclusion", ["disagree", "revise"])
def test_a_decision_that_failed_review_cannot_be_redrafted_below_the_criteria_and_issued(
    company_case, inspector_a, legal_office_a, redraft, conclusion
):
    """R5 (审核未通过的，不得作出): the legal office disagrees with ¥200,000 on a company; staff
    redraft it to ¥99,999 (or a warning), which the thresholds alone would not make major; it
    still cannot be issued, and nothing is issued."""
    decision = draft(company_case, inspector_a)
    services.decision_submit(decision=decision, actor=inspector_a)
    review(decision, legal_office_a, conclusion)

    redrafted = draft(company_case, inspector_a, **redraft)
    assert redrafted.is_major and redrafted.review_required
    assert redrafted.major_reasons == ["已提交过法制审核，重新拟定后仍须经法制审核同意（应审尽审）"]
    with pytest.raises(ValidationError, match=REDRAFT_REFUSED) as refused:
        services.decision_issue(decision=redrafted, actor=inspector_a)
    assert refused.value.code == "review_required"
    redrafted.refresh_from_db()
    assert redrafted.status == Decision.Status.DRAFT and redrafted.issued_at is None
    assert not hasattr(redrafted, "disclosure") or redrafted.disclosure is None


def test_the_redraft_is_resubmitted_agreed_and_then_issued(
    refused_fine, inspector_a, legal_office_a
):
    """R5: the way out of a refusal is a new review of the new draft, agreeing."""
    redrafted = draft(refused_fine.case, inspector_a, fine_amount=Decimal("99999"))
    assert redrafted.draft_version == 2
    services.decision_submit(decision=redrafted, actor=inspector_a)
    agreed = review(redrafted, legal_office_a)
    assert agreed.draft_version == 2
    issued = services.decision_issue(decision=redrafted, actor=inspector_a)
    assert issued.status == Decision.Status.ISSUED and issued.fine_amount == Decimal("99999")
    assert issued.approved_review == agreed and issued.review_required


def test_submitting_once_is_enough_to_stay_subject_to_review(company_case, inspector_a):
    """R5 (应审尽审): the flag is set at submission and a redraft never clears it, even before
    any review: staff cannot take a decision back out of the legal office's hands."""
    decision = draft(company_case, inspector_a)
    services.decision_submit(decision=decision, actor=inspector_a)
    decision.refresh_from_db()
    assert decision.review_required
    # A later regional catalogue with higher thresholds changes nothing for it either.
    MajorDecisionCriteria.objects.create(
        region=company_case.agency.region, organisation_fine=Decimal("500000")
    )
    with pytest.raises(ValidationError, match="须经法制审核同意"):
        services.decision_issue(decision=decision, actor=inspector_a)
    decision.refresh_from_db()
    assert decision.is_major and decision.status == Decision.Status.IN_REVIEW


def test_a_decision_never_submitted_may_be_redrafted_below_the_threshold(company_case, inspector_a):
    """R5: before submission a draft is only a draft: ¥200,000 lowered to ¥50,000 is not major."""
    draft(company_case, inspector_a)
    lowered = draft(company_case, inspector_a, fine_amount=Decimal("50000"))
    assert not lowered.is_major and not lowered.review_required
    assert services.decision_issue(decision=lowered, actor=inspector_a).status == "issued"


# --- the latest review of the latest draft -----------------------------------------------------


def test_every_save_is_a_new_draft_and_each_review_names_the_draft_it_reviewed(
    refused_fine, inspector_a, legal_office_a
):
    """R5: draft 1 was refused; draft 2 is reviewed as draft 2; the case's timeline says which."""
    assert refused_fine.reviews.get().draft_version == 1
    redrafted = draft(refused_fine.case, inspector_a, fine_amount=Decimal("150000"))
    services.decision_submit(decision=redrafted, actor=inspector_a)
    review(redrafted, legal_office_a)
    assert list(redrafted.reviews.values_list("draft_version", "conclusion")) == [
        (1, "disagree"),
        (2, "agree"),
    ]
    notes = list(
        refused_fine.case.timeline.filter(kind=CaseEvent.Kind.REVIEWED).values_list(
            "note", flat=True
        )
    )
    assert notes[0].startswith("第 1 稿，不同意") and notes[1].startswith("第 2 稿，同意")


def test_an_agreement_of_an_earlier_draft_does_not_open_the_way(
    company_case, inspector_a, legal_office_a
):
    """R5: forged to a later draft still "agreed", the agreement of draft 1 is refused: the
    latest review must be of the current draft. (On PostgreSQL the composite foreign key
    refuses the forgery itself; the service's own check is what stands on SQLite.)"""
    decision = draft(company_case, inspector_a)
    services.decision_submit(decision=decision, actor=inspector_a)
    review(decision, legal_office_a)
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError, match="decision_approved_review_agreed"):
            forge_issue(decision, decision.reviews.get(), draft_version=2, status="agreed")
        return
    Decision.objects.filter(pk=decision.pk).update(draft_version=F("draft_version") + 1)
    with pytest.raises(ValidationError, match="须经法制审核同意后才能作出（R5）"):
        services.decision_issue(decision=decision, actor=inspector_a)
    decision.refresh_from_db()
    assert decision.status == Decision.Status.AGREED and decision.issued_at is None


def test_a_review_of_a_draft_since_replaced_is_refused(refused_fine, inspector_a, legal_office_a):
    """R5: the legal office read draft 1; staff have since redrafted and resubmitted draft 2: a
    review naming draft 1 is refused, in Chinese, and nothing is recorded."""
    redrafted = draft(refused_fine.case, inspector_a, fine_amount=Decimal("99999"))
    services.decision_submit(decision=redrafted, actor=inspector_a)
    with pytest.raises(ValidationError) as refused:
        review(redrafted, legal_office_a, draft_version=1)
    assert refused.value.error_dict["draft_version"][0].code == "stale_draft"
    assert "您审核的是第 1 稿，该决定现为第 2 稿" in refused.value.message_dict["draft_version"][0]
    assert redrafted.reviews.count() == 1
    redrafted.refresh_from_db()
    assert redrafted.status == Decision.Status.IN_REVIEW
    assert review(redrafted, legal_office_a, draft_version=2).draft_version == 2


def test_reviews_that_disagreed_stay_in_the_file(refused_fine, inspector_a, legal_office_a):
    """R5: the refusal is never lost: after the redraft is agreed and issued, the API still gives
    both reviews, each with its draft."""
    redrafted = draft(refused_fine.case, inspector_a, fine_amount=Decimal("99999"))
    services.decision_submit(decision=redrafted, actor=inspector_a)
    review(redrafted, legal_office_a)
    services.decision_issue(decision=redrafted, actor=inspector_a)
    url = reverse("api:staff-case-decision", args=[refused_fine.case_id])
    data = client_for(inspector_a).get(url).json()
    assert [(r["draft_version"], r["conclusion"]) for r in data["reviews"]] == [
        (1, "disagree"),
        (2, "agree"),
    ]
    assert (data["draft_version"], data["review_required"]) == (2, True)


# --- the database -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"review_required": True, "is_major": False}, "decision_review_required_is_major"),
        ({"review_required": False}, "decision_submitted_stays_subject_to_review"),
        (
            {"marked_major": True, "marked_major_reason": "", "is_major": True},
            "decision_marked_major_has_reason",
        ),
        ({"marked_major": True, "marked_major_reason": "案情复杂", "is_major": False},
         "decision_marked_major_is_major"),
    ],
    ids=["required-not-major", "returned-not-required", "mark-without-reason", "mark-not-major"],
)  # fmt: skip
def test_the_database_keeps_a_decision_once_submitted_subject_to_review(
    refused_fine, fields, constraint
):
    """R5: a raw update around the service cannot free a refused decision from its review."""
    named = constraint if connection.vendor != "sqlite" else None
    with pytest.raises(IntegrityError, match=named), transaction.atomic():
        Decision.objects.filter(pk=refused_fine.pk).update(**fields)
    refused_fine.refresh_from_db()
    assert refused_fine.review_required and refused_fine.is_major


def forge_issue(decision, approved_review, **fields) -> None:
    """A raw update naming `approved_review`, with the deferred foreign key checked now."""
    with transaction.atomic():
        forged = {"status": "issued", "issued_at": timezone.now()} | fields
        Decision.objects.filter(pk=decision.pk).update(approved_review=approved_review, **forged)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.postgres("composite foreign key")
def test_the_database_refuses_an_approval_of_an_earlier_draft(
    company_case, inspector_a, legal_office_a
):
    """R5: on PostgreSQL the approval must be an agreeing review of this decision's current
    draft: the agreement of draft 1 cannot issue draft 2."""
    decision = draft(company_case, inspector_a)
    services.decision_submit(decision=decision, actor=inspector_a)
    agreed = review(decision, legal_office_a)
    with pytest.raises(IntegrityError, match="decision_approved_review_agreed"):
        forge_issue(decision, agreed, draft_version=2)
    decision.refresh_from_db()
    assert decision.status == Decision.Status.AGREED and decision.draft_version == 1
    forge_issue(decision, agreed)  # the agreement of the current draft goes through
    decision.refresh_from_db()
    assert decision.status == Decision.Status.ISSUED


# --- marking major by hand ------------------------------------------------------------------------


@pytest.fixture
def small_fine(citizen_case, inspector_a) -> Decision:
    """A fine of ¥500 on a citizen: below every threshold."""
    decision = draft(citizen_case, inspector_a, fine_amount=Decimal("500"))
    assert not decision.is_major
    return decision


@pytest.mark.parametrize("persona", ["inspector_a", "legal_office_a"])
def test_staff_or_the_legal_office_mark_a_decision_major_with_a_reason(
    request, small_fine, inspector_a, persona
):
    """R5: a person marks it major (重大公共利益), with a reason; from then on it needs the
    legal review; the case's timeline names who marked it and why."""
    actor = request.getfixturevalue(persona)
    marked = services.decision_mark_major(
        decision=small_fine,
        actor=actor,
        grounds=[Ground.PUBLIC_INTEREST],
        reason="涉及学校周边食品安全，社会关注度高。",
    )
    assert marked.is_major and marked.marked_major and marked.marked_major_by == actor
    assert marked.major_grounds == ["public_interest"]
    assert "人工认定为重大执法决定（涉及重大公共利益）" in marked.major_reasons[0]
    with pytest.raises(ValidationError, match="须经法制审核同意"):
        services.decision_issue(decision=marked, actor=inspector_a)
    event = small_fine.case.timeline.get(kind=CaseEvent.Kind.MAJOR_MARKED)
    assert event.actor == actor and "社会关注度高" in event.note


def test_a_mark_without_a_reason_is_refused(small_fine, inspector_a):
    """R5: marking needs its reason, in Chinese; nothing changes."""
    with pytest.raises(ValidationError) as refused:
        services.decision_mark_major(decision=small_fine, actor=inspector_a, reason="  ")
    assert refused.value.message_dict == {"reason": ["请填写认定为重大执法决定的理由。"]}
    small_fine.refresh_from_db()
    assert not small_fine.marked_major and not small_fine.is_major
    assert not small_fine.case.timeline.filter(kind=CaseEvent.Kind.MAJOR_MARKED).exists()


def test_only_the_legal_office_takes_the_mark_off(small_fine, inspector_a, legal_office_a):
    """R5: staff may mark but not unmark; the legal office unmarks with a reason, and the
    decision, never submitted and below the thresholds, may then be issued directly."""
    services.decision_mark_major(decision=small_fine, actor=inspector_a, reason="案情疑难。")
    with pytest.raises(PermissionDenied, match="只有本单位的法制审核机构"):
        services.decision_unmark_major(decision=small_fine, actor=inspector_a, reason="不需要。")
    small_fine.refresh_from_db()
    assert small_fine.marked_major and small_fine.is_major
    with pytest.raises(ValidationError, match="取消认定的理由"):
        services.decision_unmark_major(decision=small_fine, actor=legal_office_a, reason="")
    unmarked = services.decision_unmark_major(
        decision=small_fine, actor=legal_office_a, reason="经研究，案情并不复杂。"
    )
    assert not unmarked.marked_major and not unmarked.is_major and unmarked.major_grounds == []
    event = small_fine.case.timeline.get(kind=CaseEvent.Kind.MAJOR_UNMARKED)
    assert event.actor == legal_office_a and event.note == "经研究，案情并不复杂。"
    assert services.decision_issue(decision=unmarked, actor=inspector_a).status == "issued"


def test_unmarking_does_not_free_a_decision_already_submitted(
    small_fine, inspector_a, legal_office_a
):
    """R5: once submitted, a decision stays subject to review even when its mark is taken off."""
    services.decision_mark_major(decision=small_fine, actor=inspector_a, reason="案情疑难。")
    services.decision_submit(decision=small_fine, actor=inspector_a)
    unmarked = services.decision_unmark_major(
        decision=small_fine, actor=legal_office_a, reason="不属于疑难案件。"
    )
    assert unmarked.is_major and unmarked.review_required and not unmarked.marked_major
    with pytest.raises(ValidationError, match="须经法制审核同意"):
        services.decision_issue(decision=unmarked, actor=inspector_a)


def test_a_redraft_never_takes_a_mark_off(small_fine, inspector_a):
    """R5: the mark survives every redraft; only the legal office's unmark removes it."""
    services.decision_mark_major(
        decision=small_fine, actor=inspector_a, grounds=["complex"], reason="涉及多个法律关系。"
    )
    redrafted = draft(small_fine.case, inspector_a, fine_amount=Decimal("300"))
    assert redrafted.marked_major and redrafted.is_major and redrafted.major_grounds == ["complex"]


def test_ticking_a_ground_when_drafting_marks_the_decision_major(citizen_case, inspector_a):
    """R5: grounds no rule computes are ticked when drafting, with a reason."""
    with pytest.raises(ValidationError) as refused:
        draft(citizen_case, inspector_a, fine_amount=Decimal("500"), grounds=["third_party"])
    assert "grounds_reason" in refused.value.message_dict
    assert not Decision.objects.exists()
    decision = draft(
        citizen_case,
        inspector_a,
        fine_amount=Decimal("500"),
        grounds=["third_party"],
        grounds_reason="决定直接影响相邻商户的经营。",
    )
    assert decision.is_major and decision.marked_major and decision.major_grounds == ["third_party"]
    assert decision.marked_major_reason == "决定直接影响相邻商户的经营。"


def test_a_ground_the_regions_catalogue_does_not_list_is_refused(citizen_case, inspector_a, city_a):
    """R5: the region's catalogue says which grounds staff may invoke."""
    MajorDecisionCriteria.objects.create(region=city_a, public_interest=False)
    with pytest.raises(ValidationError, match="目录没有所选的情形"):
        draft(
            citizen_case,
            inspector_a,
            fine_amount=Decimal("500"),
            grounds=["public_interest"],
            grounds_reason="理由",
        )
    assert not Decision.objects.exists()


def test_outsider_b_can_neither_mark_nor_unmark(small_fine, outsider_b, inspector_a):
    """R5: another agency's staff touch nothing of agency A's decision."""
    with pytest.raises(PermissionDenied):
        services.decision_mark_major(decision=small_fine, actor=outsider_b, reason="理由")
    services.decision_mark_major(decision=small_fine, actor=inspector_a, reason="理由")
    with pytest.raises(PermissionDenied):
        services.decision_unmark_major(decision=small_fine, actor=outsider_b, reason="理由")
    small_fine.refresh_from_db()
    assert small_fine.marked_major_by == inspector_a


# --- the API ------------------------------------------------------------------------------------


def _api(case, name):
    return reverse(f"api:staff-case-decision-{name}", args=[case.pk])


def test_the_api_marks_and_only_the_legal_office_unmarks(small_fine, inspector_a, legal_office_a):
    """R5: the same rules through the API: a mark without reason is a Chinese 400, an unmark by
    staff a 403, and neither changes anything."""
    case, staff = small_fine.case, client_for(inspector_a)
    refused = staff.post(_api(case, "mark"), {"reason": ""}, **JSON)
    assert refused.status_code == 400
    assert refused.json()["reason"] == ["请填写认定为重大执法决定的理由（R5）。"]
    marked = staff.post(
        _api(case, "mark"), {"reason": "案情复杂。", "grounds": ["complex"]}, **JSON
    )
    assert marked.status_code == 200, marked.json()
    assert marked.json()["is_major"] and marked.json()["major_grounds"] == ["complex"]
    denied = staff.post(_api(case, "unmark"), {"reason": "不需要。"}, **JSON)
    assert denied.status_code == 403 and "法制审核机构" in denied.json()["detail"]
    small_fine.refresh_from_db()
    assert small_fine.marked_major
    office = client_for(legal_office_a)
    unmarked = office.post(_api(case, "unmark"), {"reason": "并不复杂。"}, **JSON)
    assert unmarked.status_code == 200 and unmarked.json()["is_major"] is False


def test_the_api_refuses_a_review_of_a_stale_draft(refused_fine, inspector_a, legal_office_a):
    """R5: the API names the draft reviewed; a review of a replaced draft is a Chinese 400."""
    case = refused_fine.case
    staff = client_for(inspector_a)
    body = {
        "kind": "fine",
        "fine_amount": "99999.00",
        "explanation": "重新拟定。",
        "draft": "决定对当事人处以罚款。",
    }
    saved = staff.put(reverse("api:staff-case-decision", args=[case.pk]), body, **JSON)
    assert saved.status_code == 200 and saved.json()["is_major"] is True
    refused = staff.post(_api(case, "issue"))
    assert refused.status_code == 400 and REDRAFT_REFUSED in refused.json()["detail"][0]
    staff.post(_api(case, "submit"))
    office = client_for(legal_office_a)
    stale = office.post(
        _api(case, "reviews"),
        {"conclusion": "agree", "reasons": "同意。", "draft_version": 1, **PASSING},
        **JSON,
    )
    assert stale.status_code == 400 and "请刷新页面" in stale.json()["draft_version"][0]
    assert refused_fine.reviews.count() == 1
    agreed = office.post(
        _api(case, "reviews"),
        {"conclusion": "agree", "reasons": "同意。", "draft_version": 2, **PASSING},
        **JSON,
    )
    assert agreed.status_code == 201 and agreed.json()["draft_version"] == 2
    assert staff.post(_api(case, "issue")).json()["status"] == "issued"
