"""R5, R7: a case's decision, the legal review of a major one, and the discretion it applies.

A decision is major when it meets its region's criteria (defaults: a fine of at least ¥10,000 on
a citizen or ¥100,000 on an organisation, stop production, revocation, a hearing held, a fine
outside the benchmark). A major decision is issued only after the latest legal review of it
agrees: the service refuses, and so does the database (a check constraint; on PostgreSQL a
composite foreign key naming an agreeing review of that very decision).
"""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from enforcement.models import (
    CaseEvent,
    Decision,
    DiscretionTier,
    LegalReview,
    MajorDecisionCriteria,
    Stage,
)
from enforcement.services import cases as case_services
from enforcement.services import decisions as services

from .staff_factories import make_published
from .test_cases import CITIZEN, COMPANY, add_record, open_case

pytestmark = pytest.mark.django_db

REFUSED = "重大执法决定须经法制审核同意后才能作出（R5）。"
PASSING = {
    "subject_lawful": True,
    "facts_proven": True,
    "basis_correct": True,
    "discretion_proper": True,
    "procedure_lawful": True,
}


def case_in_decision_stage(agency, item, officers, actor, party=COMPANY):
    case = open_case(agency, item, officers, actor, parties=[party])
    for _stage in (Stage.INITIATION, Stage.INVESTIGATION):
        add_record(case, actor)
        case = case_services.case_advance(case=case, actor=actor)
    assert case.stage == Stage.DECISION
    return case


@pytest.fixture
def citizen_case(agency_a, item_a, officers_a, inspector_a):
    return case_in_decision_stage(agency_a, item_a, officers_a, inspector_a, CITIZEN)


@pytest.fixture
def company_case(agency_a, item_a, officers_a, inspector_a):
    return case_in_decision_stage(agency_a, item_a, officers_a, inspector_a, COMPANY)


def draft(case, actor, **overrides) -> Decision:
    fields = {
        "case": case,
        "actor": actor,
        "kind": "fine",
        "fine_amount": Decimal("50000"),
        "explanation": "当事人销售超过保质期的食品，货值较大。",
        "draft": "决定对当事人处以罚款。",
    }
    return services.decision_save(**(fields | overrides))


def review(decision, actor, conclusion="agree", **checks) -> LegalReview:
    return services.legal_review_record(
        decision=decision,
        actor=actor,
        conclusion=conclusion,
        reasons="事实清楚，证据确凿，适用依据正确。",
        **(PASSING | checks),
    )


@pytest.fixture
def major(company_case, inspector_a) -> Decision:
    """A major decision (a fine of ¥200,000 on a company) submitted for legal review."""
    decision = draft(company_case, inspector_a, fine_amount=Decimal("200000"))
    return services.decision_submit(decision=decision, actor=inspector_a)


# R5: what is major ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "is_major"), [(Decimal("10000"), True), (Decimal("9999.99"), False)]
)
def test_a_fine_on_a_citizen_is_major_from_ten_thousand_yuan(
    citizen_case, inspector_a, amount, is_major
):
    """R5 default criteria: a fine of at least ¥10,000 on a citizen is major."""
    decision = draft(citizen_case, inspector_a, fine_amount=amount)
    assert decision.is_major is is_major
    assert bool(decision.major_reasons) is is_major


@pytest.mark.parametrize(
    ("amount", "is_major"),
    [(Decimal("50000"), False), (Decimal("99999.99"), False), (Decimal("100000"), True)],
)
def test_a_fine_on_a_legal_person_is_major_from_a_hundred_thousand_yuan(
    company_case, inspector_a, amount, is_major
):
    """R5 default criteria: with a legal person as party the threshold is ¥100,000."""
    assert draft(company_case, inspector_a, fine_amount=amount).is_major is is_major


@pytest.mark.parametrize(
    "overrides",
    [
        {"kind": "stop_production", "fine_amount": None},
        {"kind": "revocation", "fine_amount": None},
        {"kind": "warning", "fine_amount": None, "hearing_held": True},
    ],
    ids=["stop_production", "revocation", "hearing_held"],
)
def test_stopping_production_revoking_a_licence_or_holding_a_hearing_is_major(
    company_case, inspector_a, overrides
):
    """R5 default criteria: stop production or business, revocation, a hearing held."""
    decision = draft(company_case, inspector_a, **overrides)
    assert decision.is_major and decision.major_reasons


def test_a_warning_without_hearing_is_not_major(company_case, inspector_a):
    """R5: none of the criteria met."""
    decision = draft(company_case, inspector_a, kind="warning", fine_amount=None)
    assert not decision.is_major and decision.major_reasons == []


def test_the_regions_criteria_override_the_defaults_and_the_nearest_region_applies(
    citizen_case, inspector_a, province, city_a
):
    """R5: the region configures its criteria; the nearest region up the tree applies."""
    assert draft(citizen_case, inspector_a, fine_amount=Decimal("20000")).is_major
    MajorDecisionCriteria.objects.create(region=province, citizen_fine=Decimal("5000"))
    assert draft(citizen_case, inspector_a, fine_amount=Decimal("8000")).is_major
    MajorDecisionCriteria.objects.create(region=city_a, citizen_fine=Decimal("30000"))
    assert not draft(citizen_case, inspector_a, fine_amount=Decimal("20000")).is_major
    assert not draft(citizen_case, inspector_a, fine_amount=Decimal("8000")).is_major
    assert draft(citizen_case, inspector_a, fine_amount=Decimal("30000")).is_major


def test_a_criterion_the_region_turns_off_does_not_make_a_decision_major(
    company_case, inspector_a, city_a
):
    """R5: e.g. a region that does not count a hearing held as making a decision major."""
    MajorDecisionCriteria.objects.create(region=city_a, hearing=False)
    decision = draft(company_case, inspector_a, kind="warning", fine_amount=None, hearing_held=True)
    assert not decision.is_major


# R5: the flow --------------------------------------------------------------------------------


def test_a_major_decision_cannot_be_issued_before_its_review(company_case, inspector_a):
    """R5: neither as a draft nor while in review; the decision is left as it was."""
    decision = draft(company_case, inspector_a, fine_amount=Decimal("200000"))
    with pytest.raises(ValidationError, match=r"须经法制审核同意后才能作出（R5）"):
        services.decision_issue(decision=decision, actor=inspector_a)
    services.decision_submit(decision=decision, actor=inspector_a)
    with pytest.raises(ValidationError) as refused:
        services.decision_issue(decision=decision, actor=inspector_a)
    assert refused.value.messages == [REFUSED]
    decision.refresh_from_db()
    assert decision.status == Decision.Status.IN_REVIEW and decision.issued_at is None


def test_the_legal_office_agrees_and_the_decision_is_issued(major, inspector_a, legal_office_a):
    """R5: submit → in review; the agency's legal office agrees; the decision is issued."""
    assert major.status == Decision.Status.IN_REVIEW and major.is_major
    agreed = review(major, legal_office_a)
    major.refresh_from_db()
    assert major.status == Decision.Status.AGREED and major.approved_review == agreed
    issued = services.decision_issue(decision=major, actor=inspector_a)
    assert issued.status == Decision.Status.ISSUED
    assert issued.issued_by == inspector_a and issued.issued_at is not None


@pytest.mark.parametrize("failed", list(PASSING))
def test_the_legal_office_agrees_only_when_all_five_checks_pass(major, legal_office_a, failed):
    """R5: subject, facts, basis, discretion and procedure each must pass to agree."""
    with pytest.raises(ValidationError, match="五项审核内容均合格才能同意"):
        review(major, legal_office_a, **{failed: False})
    assert not major.reviews.exists()
    major.refresh_from_db()
    assert major.status == Decision.Status.IN_REVIEW


@pytest.mark.parametrize("conclusion", ["disagree", "revise"])
def test_disagree_or_revise_returns_it_to_staff_who_revise_and_resubmit(
    major, inspector_a, legal_office_a, conclusion
):
    """R5: the decision goes back to staff, cannot be issued, and is resubmitted revised."""
    review(major, legal_office_a, conclusion, discretion_proper=False)
    major.refresh_from_db()
    assert major.status == Decision.Status.RETURNED and major.approved_review is None
    with pytest.raises(ValidationError, match=r"（R5）"):
        services.decision_issue(decision=major, actor=inspector_a)
    revised = draft(major.case, inspector_a, fine_amount=Decimal("150000"))
    assert revised.pk == major.pk and revised.status == Decision.Status.DRAFT
    services.decision_submit(decision=revised, actor=inspector_a)
    review(revised, legal_office_a)
    issued = services.decision_issue(decision=revised, actor=inspector_a)
    assert issued.status == Decision.Status.ISSUED and issued.fine_amount == Decimal("150000")


def test_an_earlier_agreement_no_longer_counts_once_resubmitted(
    company_case, inspector_a, legal_office_a
):
    """R5: issuing needs the LATEST review to agree; resubmission clears the agreement."""
    decision = draft(company_case, inspector_a, fine_amount=Decimal("200000"))
    services.decision_submit(decision=decision, actor=inspector_a)
    first = review(decision, legal_office_a)
    decision.refresh_from_db()
    assert decision.approved_review == first
    # Agreed decisions are not editable; a forged resubmission is refused too.
    with pytest.raises(ValidationError):
        draft(company_case, inspector_a, fine_amount=Decimal("300000"))
    with pytest.raises(ValidationError):
        services.decision_submit(decision=decision, actor=inspector_a)
    # Returned by a later review, revised and resubmitted: the first agreement is gone.
    decision.status = Decision.Status.RETURNED
    decision.save(update_fields=["status"])
    services.decision_submit(decision=decision, actor=inspector_a)
    decision.refresh_from_db()
    assert decision.status == Decision.Status.IN_REVIEW and decision.approved_review is None
    with pytest.raises(ValidationError, match=r"（R5）"):
        services.decision_issue(decision=decision, actor=inspector_a)
    review(decision, legal_office_a, "revise", facts_proven=False)
    decision.refresh_from_db()
    decision.status = Decision.Status.AGREED  # forged: the latest review did not agree
    decision.approved_review = first
    decision.save(update_fields=["status", "approved_review"])
    with pytest.raises(ValidationError, match=r"（R5）"):
        services.decision_issue(decision=decision, actor=inspector_a)
    decision.refresh_from_db()
    assert decision.status == Decision.Status.AGREED and decision.issued_at is None


def test_a_non_major_decision_is_issued_without_review(citizen_case, inspector_a):
    """R5: only major decisions need the legal review; submitting a minor one is refused."""
    decision = draft(citizen_case, inspector_a, fine_amount=Decimal("500"))
    with pytest.raises(ValidationError, match="无需法制审核"):
        services.decision_submit(decision=decision, actor=inspector_a)
    issued = services.decision_issue(decision=decision, actor=inspector_a)
    assert issued.status == Decision.Status.ISSUED and not issued.is_major


def test_inspector_a_cannot_review(major, inspector_a):
    """R5: only the agency's legal office reviews; staff are refused and nothing is recorded."""
    with pytest.raises(PermissionDenied):
        review(major, inspector_a)
    assert not major.reviews.exists()


def test_outsider_b_cannot_draft_submit_issue_or_review(
    company_case, major, outsider_b, inspector_a
):
    """R5: an officer of agency B touches nothing of agency A's case."""
    with pytest.raises(PermissionDenied):
        draft(company_case, outsider_b)
    with pytest.raises(PermissionDenied):
        services.decision_submit(decision=major, actor=outsider_b)
    with pytest.raises(PermissionDenied):
        services.decision_issue(decision=major, actor=outsider_b)
    with pytest.raises(PermissionDenied):
        review(major, outsider_b)
    major.refresh_from_db()
    assert major.status == Decision.Status.IN_REVIEW and not major.reviews.exists()


def test_a_legal_office_of_another_agency_cannot_review(major, agency_b):
    """R5: the legal office reviews its own agency's decisions only."""
    from portal.roles import Role
    from portal.services import user_assign_role
    from tests.factories import UserFactory

    other = user_assign_role(
        user=UserFactory(username="legal_office_b"),
        role=Role.LEGAL_OFFICE,
        actor=None,
        agency=agency_b,
    )
    with pytest.raises(PermissionDenied):
        review(major, other)


def test_a_decision_is_drafted_only_in_the_review_and_decision_stage(
    agency_a, item_a, officers_a, inspector_a
):
    """R5, R6: before the 审查决定 stage there is no decision to draft."""
    case = open_case(agency_a, item_a, officers_a, inspector_a)
    with pytest.raises(ValidationError, match="审查决定"):
        draft(case, inspector_a)
    assert not Decision.objects.exists()


def test_an_issued_decision_cannot_be_edited_or_issued_again(citizen_case, inspector_a):
    """R5: once issued, the decision stands."""
    decision = draft(citizen_case, inspector_a, fine_amount=Decimal("500"))
    services.decision_issue(decision=decision, actor=inspector_a)
    with pytest.raises(ValidationError, match="不能修改"):
        draft(citizen_case, inspector_a, fine_amount=Decimal("400"))
    with pytest.raises(ValidationError, match="已经作出"):
        services.decision_issue(decision=decision, actor=inspector_a)
    with pytest.raises(ValidationError):
        services.decision_submit(decision=decision, actor=inspector_a)
    decision.refresh_from_db()
    assert decision.fine_amount == Decimal("500")


# R5: two reviewers ---------------------------------------------------------------------------


def test_a_second_review_of_the_same_decision_is_refused(major, legal_office_a):
    """R5 race: the first review takes the decision out of review; the second is refused."""
    review(major, legal_office_a)
    with pytest.raises(ValidationError, match="不在待审核状态"):
        review(major, legal_office_a, "disagree", facts_proven=False)
    assert major.reviews.count() == 1


@pytest.mark.postgres("row locks")
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_make_exactly_one_review(major, legal_office_a):
    """R5 race: two threads review at the same moment; the row lock lets exactly one through."""
    barrier = threading.Barrier(2)
    outcomes = []

    def reviewer(conclusion, checks):
        try:
            barrier.wait(timeout=10)
            review(major, legal_office_a, conclusion, **checks)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=reviewer, args=("agree", {})),
        threading.Thread(target=reviewer, args=("disagree", {"facts_proven": False})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["not_in_review", "ok"]
    assert LegalReview.objects.filter(decision=major).count() == 1


# R5: the database ----------------------------------------------------------------------------


def test_the_database_refuses_an_issued_major_decision_without_its_review(major):
    """R5: a raw update that bypasses the service breaks the check constraint."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=major.pk).update(
            status="issued", issued_at=timezone.now(), is_major=True
        )
    major.refresh_from_db()
    assert major.status == Decision.Status.IN_REVIEW


def forge_issue(decision, approved_review) -> None:
    """A raw update naming `approved_review`, with the deferred foreign key checked now."""
    with transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(
            status="issued",
            issued_at=timezone.now(),
            is_major=True,
            approved_review=approved_review,
        )
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.postgres("composite foreign key")
def test_the_database_refuses_a_disagreeing_review_as_the_approval(major, legal_office_a):
    """R5: on PostgreSQL the approval must be an agreeing review of the decision."""
    disagreeing = review(major, legal_office_a, "disagree", facts_proven=False)
    with pytest.raises(IntegrityError, match="decision_approved_review_agreed"):
        forge_issue(major, disagreeing)
    major.refresh_from_db()
    assert major.status == Decision.Status.RETURNED


@pytest.mark.postgres("composite foreign key")
def test_the_database_refuses_an_agreeing_review_of_another_decision(
    major, citizen_case, inspector_a, legal_office_a
):
    """R5: on PostgreSQL another decision's agreement does not count for this one."""
    other = draft(citizen_case, inspector_a, fine_amount=Decimal("20000"))
    services.decision_submit(decision=other, actor=inspector_a)
    agreed_elsewhere = review(other, legal_office_a)
    # The other decision lets go of it (approved_review is one-to-one): only the foreign key
    # stands in the way.
    Decision.objects.filter(pk=other.pk).update(status="returned", approved_review=None)
    with pytest.raises(IntegrityError, match="decision_approved_review_agreed"):
        forge_issue(major, agreed_elsewhere)
    major.refresh_from_db()
    assert major.status == Decision.Status.IN_REVIEW


@pytest.mark.postgres("composite foreign key")
def test_the_database_accepts_the_agreeing_review_of_the_decision(major, legal_office_a):
    """R5: the composite foreign key lets the right approval through."""
    agreed = review(major, legal_office_a)
    forge_issue(major, agreed)
    major.refresh_from_db()
    assert major.status == Decision.Status.ISSUED


# R7: discretion ------------------------------------------------------------------------------


@pytest.fixture
def tiers(item_a):
    return [
        DiscretionTier.objects.create(
            item=item_a,
            order=1,
            circumstances="初次违法，货值较小",
            penalty="处五千元以上二万元以下罚款",
            fine_min=Decimal("5000"),
            fine_max=Decimal("20000"),
        ),
        DiscretionTier.objects.create(
            item=item_a,
            order=2,
            circumstances="多次违法或货值较大",
            penalty="处二万元以上五万元以下罚款",
            fine_min=Decimal("20000"),
            fine_max=Decimal("50000"),
        ),
    ]


def test_a_penalty_on_an_item_with_tiers_must_name_its_tier(company_case, inspector_a, tiers):
    """R7: the decision names the benchmark tier it applies."""
    with pytest.raises(ValidationError, match="裁量基准"):
        draft(company_case, inspector_a, fine_amount=Decimal("10000"))
    assert not Decision.objects.exists()
    decision = draft(company_case, inspector_a, fine_amount=Decimal("10000"), tier=tiers[0])
    assert decision.tier == tiers[0] and not decision.is_major


def test_a_tier_of_another_item_is_refused(
    company_case, inspector_a, agency_a, legal_office_a, city_supervisor, tiers
):
    """R7: only the case's own item's benchmark applies."""
    other = make_published(
        agency_a, inspector_a, legal_office_a, city_supervisor, code="330217002000"
    )
    foreign = DiscretionTier.objects.create(
        item=other, order=1, circumstances="情节轻微", penalty="警告", fine_min=None, fine_max=None
    )
    with pytest.raises(ValidationError, match="本案职权事项"):
        draft(company_case, inspector_a, fine_amount=Decimal("10000"), tier=foreign)
    assert not Decision.objects.exists()


@pytest.mark.parametrize("amount", [Decimal("4999.99"), Decimal("20000.01")])
def test_a_fine_outside_the_tiers_range_needs_a_reason_and_makes_it_major(
    company_case, inspector_a, tiers, amount
):
    """R7: outside the range without a reason is refused; with one it is saved and major."""
    with pytest.raises(ValidationError, match="须写明理由（R7）"):
        draft(company_case, inspector_a, fine_amount=amount, tier=tiers[0])
    assert not Decision.objects.exists()
    decision = draft(
        company_case,
        inspector_a,
        fine_amount=amount,
        tier=tiers[0],
        outside_tier_reason="当事人主动消除违法后果，依法减轻处罚。",
    )
    assert decision.is_major and decision.outside_tier_reason
    assert any("裁量基准" in reason for reason in decision.major_reasons)


@pytest.mark.parametrize("amount", [Decimal("5000"), Decimal("20000")])
def test_a_fine_inside_the_tiers_range_is_not_major_below_the_thresholds(
    company_case, inspector_a, tiers, amount
):
    """R7: inside the benchmark (bounds included) and below ¥100,000 on a company."""
    decision = draft(company_case, inspector_a, fine_amount=amount, tier=tiers[0])
    assert not decision.is_major and decision.major_reasons == []


# Timeline ------------------------------------------------------------------------------------


def test_every_step_of_the_decision_is_in_the_case_timeline_with_its_actor(
    company_case, inspector_a, legal_office_a
):
    """R5, R6: saving, submitting, the review and the issue are steps of the case's timeline."""
    decision = draft(company_case, inspector_a, fine_amount=Decimal("200000"))
    services.decision_submit(decision=decision, actor=inspector_a)
    review(decision, legal_office_a)
    services.decision_issue(decision=decision, actor=inspector_a)
    steps = list(
        company_case.timeline.filter(
            kind__in=[
                CaseEvent.Kind.DECISION_SAVED,
                CaseEvent.Kind.DECISION_SUBMITTED,
                CaseEvent.Kind.REVIEWED,
                CaseEvent.Kind.DECISION_ISSUED,
            ]
        ).order_by("pk")
    )
    assert [(s.kind, s.actor) for s in steps] == [
        (CaseEvent.Kind.DECISION_SAVED, inspector_a),
        (CaseEvent.Kind.DECISION_SUBMITTED, inspector_a),
        (CaseEvent.Kind.REVIEWED, legal_office_a),
        (CaseEvent.Kind.DECISION_ISSUED, inspector_a),
    ]
    assert "同意" in steps[2].note
