"""R25: responsibility divided along the enforcement case's own record: who opened the case,
who investigated, who proposed the decision, who submitted it (internal review), who reviewed it
(legal review) and who issued it; each one's share proposed by the portal (a local default of
weights), confirmed or changed with a reason by the handler, summing to 100."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accountability.models import ProceedingEvent, ResponsibilityShare
from accountability.services.responsibility import (
    STAGE_WEIGHTS,
    proposed_percents,
    shares_confirm,
    shares_propose,
)

pytestmark = pytest.mark.django_db
Stage = ResponsibilityShare.Stage


def test_the_default_weights_are_a_local_choice_summing_to_100():
    """R25: the weights are this portal's default, one per step of the record."""
    assert sum(STAGE_WEIGHTS.values()) == 100
    assert set(STAGE_WEIGHTS) == set(Stage.values)


@pytest.mark.parametrize(
    "people",
    [
        {Stage.DISCOVERY: 1, Stage.INVESTIGATION: 2, Stage.DECISION: 1},
        dict.fromkeys(Stage.values, 3),
        {Stage.LEGAL_REVIEW: 7},
    ],
)
def test_proposed_percents_are_whole_and_sum_to_100(people):
    """R25: whatever the steps present, the proposal sums to 100 in whole percents."""
    result = proposed_percents(people)
    assert sum(sum(v) for v in result.values()) == 100
    assert {s: len(v) for s, v in result.items()} == people


def test_the_shares_follow_the_case_s_record(
    case_proceeding, inspector_a, legal_office_a, officers_a
):
    """R25: each step of the record names who did it; the legal office's reviewer has the legal
    review; the investigation names the officer who recorded it."""
    shares = {s.stage: s for s in case_proceeding.shares.all()}
    assert set(shares) == set(Stage.values)
    assert shares[Stage.DISCOVERY].person == inspector_a
    assert shares[Stage.INVESTIGATION].person == inspector_a  # the officer has no login
    assert shares[Stage.INVESTIGATION].officer == officers_a[0]
    assert shares[Stage.PROPOSAL].person == inspector_a
    assert shares[Stage.INTERNAL_REVIEW].person == inspector_a
    assert shares[Stage.LEGAL_REVIEW].person == legal_office_a
    assert shares[Stage.DECISION].person == inspector_a
    assert {s: v.proposed_percent for s, v in shares.items()} == STAGE_WEIGHTS
    assert all(s.percent is None for s in shares.values())


def test_the_handler_confirms_the_proposal(case_proceeding, colleague):
    """R25: confirming as proposed needs no reason."""
    shares = list(case_proceeding.shares.all())
    shares_confirm(
        proceeding=case_proceeding,
        percents={s.pk: s.proposed_percent for s in shares},
        reasons={},
        actor=colleague,
    )
    assert all(s.percent == s.proposed_percent for s in case_proceeding.shares.all())
    assert case_proceeding.timeline.filter(kind=ProceedingEvent.Kind.SHARES_CONFIRMED).exists()


def _moved(shares, by=5):
    """Five points from the decision to the legal review."""
    percents = {s.pk: s.proposed_percent for s in shares}
    legal = next(s for s in shares if s.stage == Stage.LEGAL_REVIEW)
    decision = next(s for s in shares if s.stage == Stage.DECISION)
    percents[legal.pk] += by
    percents[decision.pk] -= by
    return percents, legal, decision


def test_a_change_needs_its_reason(case_proceeding, colleague):
    """R25: a share changed from the proposal carries the handler's reason; without it, refused
    and nothing changed."""
    shares = list(case_proceeding.shares.all())
    percents, legal, decision = _moved(shares)
    with pytest.raises(ValidationError, match="须写明理由"):
        shares_confirm(
            proceeding=case_proceeding,
            percents=percents,
            reasons={legal.pk: "审核时未发现明显错误。"},
            actor=colleague,
        )
    assert not case_proceeding.shares.filter(percent__isnull=False).exists()
    shares_confirm(
        proceeding=case_proceeding,
        percents=percents,
        reasons={legal.pk: "法制审核未指出证据不足。", decision.pk: "负责人依审核意见作出决定。"},
        actor=colleague,
    )
    legal.refresh_from_db()
    assert legal.percent == legal.proposed_percent + 5 and legal.reason


def test_shares_not_summing_to_100_are_refused(case_proceeding, colleague):
    """R25: the shares add up to 100."""
    shares = list(case_proceeding.shares.all())
    percents = {s.pk: s.proposed_percent for s in shares}
    first = shares[0]
    percents[first.pk] += 1
    with pytest.raises(ValidationError, match="之和应为 100%"):
        shares_confirm(
            proceeding=case_proceeding,
            percents=percents,
            reasons={first.pk: "多承担一点。"},
            actor=colleague,
        )
    assert not case_proceeding.shares.filter(percent__isnull=False).exists()


@pytest.mark.parametrize("bad", [-1, 101, "50", True, 2.5])
def test_a_percent_must_be_a_whole_number_from_0_to_100(case_proceeding, colleague, bad):
    """R25: bad input is refused and nothing changes."""
    shares = list(case_proceeding.shares.all())
    percents = {s.pk: s.proposed_percent for s in shares}
    percents[shares[0].pk] = bad
    with pytest.raises(ValidationError):
        shares_confirm(proceeding=case_proceeding, percents=percents, reasons={}, actor=colleague)
    assert not case_proceeding.shares.filter(percent__isnull=False).exists()


def test_every_share_must_be_confirmed(case_proceeding, colleague):
    """R25: leaving out a step's person is refused."""
    shares = list(case_proceeding.shares.all())
    percents = {s.pk: s.proposed_percent for s in shares[1:]}
    with pytest.raises(ValidationError, match="每一个环节"):
        shares_confirm(proceeding=case_proceeding, percents=percents, reasons={}, actor=colleague)


def test_only_the_handler_confirms(case_proceeding, city_supervisor, inspector_a):
    """R25: the handler's judgement; the supervisor who opened the case and the unit may not."""
    shares = list(case_proceeding.shares.all())
    percents = {s.pk: s.proposed_percent for s in shares}
    for user in (city_supervisor, inspector_a):
        with pytest.raises(PermissionDenied):
            shares_confirm(proceeding=case_proceeding, percents=percents, reasons={}, actor=user)
    assert not case_proceeding.shares.filter(percent__isnull=False).exists()


def test_confirmed_shares_are_not_proposed_again(case_proceeding, colleague):
    """R25: once confirmed, a new proposal would overwrite the handler's judgement: refused."""
    shares = list(case_proceeding.shares.all())
    shares_confirm(
        proceeding=case_proceeding,
        percents={s.pk: s.proposed_percent for s in shares},
        reasons={},
        actor=colleague,
    )
    with pytest.raises(ValidationError, match="已经确认"):
        shares_propose(proceeding=case_proceeding)
    assert case_proceeding.shares.count() == len(shares)


def test_a_case_without_an_enforcement_case_has_nothing_to_divide(proceeding, colleague):
    """R25: only a clue about an enforcement case is divided along its record."""
    with pytest.raises(ValidationError):
        shares_propose(proceeding=proceeding)
    with pytest.raises(ValidationError, match="没有需要确认"):
        shares_confirm(proceeding=proceeding, percents={}, reasons={}, actor=colleague)
