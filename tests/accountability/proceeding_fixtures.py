"""Fixtures of the accountability case's tests (R24, R25): a clue in handling, an open case, an
enforcement case with every step of its record, and a case opened on it (shares proposed)."""

from decimal import Decimal

import pytest

from accountability.services.clues import clue_assign
from accountability.services.proceedings import proceeding_open
from enforcement.services import decisions as decision_services
from tests.enforcement.test_decisions import PASSING, case_in_decision_stage
from tests.factories import OfficerFactory


def handling(clue, assigner, handler):
    return clue_assign(clue=clue, handler=handler, actor=assigner)


@pytest.fixture
def handling_clue(clue, city_supervisor, colleague):
    """A clue against agency A handled by the colleague (a city-A supervisor outside agency A)."""
    return handling(clue, city_supervisor, colleague)


@pytest.fixture
def officer_a(agency_a):
    return OfficerFactory(agency=agency_a, name="王执法")


@pytest.fixture
def proceeding(handling_clue, city_supervisor, officer_a):
    """An open case (no enforcement case): officer 王执法 and agency A concerned."""
    return proceeding_open(clue=handling_clue, actor=city_supervisor, officers=[officer_a])


def recorded_case(agency, item, officers, staff, legal_office):
    """An enforcement case with every step of its record: opened and investigated by the
    inspector, a major fine drafted and submitted by the inspector, agreed by the legal office,
    issued by the inspector."""
    case = case_in_decision_stage(agency, item, officers, staff)
    decision = decision_services.decision_save(
        case=case,
        actor=staff,
        kind="fine",
        fine_amount=Decimal("200000"),
        explanation="当事人销售超过保质期的食品，货值较大。",
        draft="决定对当事人处以罚款。",
    )
    decision = decision_services.decision_submit(decision=decision, actor=staff)
    decision_services.legal_review_record(
        decision=decision, actor=legal_office, conclusion="agree", reasons="同意。", **PASSING
    )
    decision_services.decision_issue(decision=decision, actor=staff)
    case.refresh_from_db()
    return case


@pytest.fixture
def enforcement_case(agency_a, item_a, officers_a, inspector_a, legal_office_a):
    return recorded_case(agency_a, item_a, officers_a, inspector_a, legal_office_a)


@pytest.fixture
def case_proceeding(handling_clue, city_supervisor, enforcement_case, officers_a):
    return proceeding_open(
        clue=handling_clue,
        actor=city_supervisor,
        enforcement_case=enforcement_case,
        officers=officers_a,
    )
