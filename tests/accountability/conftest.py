"""Fixtures of the accountability tests: a second supervisor of city A, a supervisor who belongs
to agency A (a conflict of interest), a substantiated complaint, a flagged remedy outcome, and a
helper registering a clue through the service."""

import itertools
from datetime import date

import pytest
from django.utils import timezone

from accountability.models import Clue
from accountability.services.clues import clue_register
from complaints.models import Result
from complaints.services.decisions import complaint_accept
from complaints.services.handling import complaint_assign, complaint_close
from portal.roles import Role
from portal.services import user_assign_role
from tests.complaints.test_register import file_complaint
from tests.enforcement.conftest import item_a, officers_a  # noqa: F401 - fixtures
from tests.factories import UserFactory

from .proceeding_fixtures import (  # noqa: F401 - fixtures of the accountability case
    case_proceeding,
    enforcement_case,
    handling_clue,
    officer_a,
    proceeding,
)

_serial = itertools.count(1)


def supervisor(username, region, **extra):
    user = UserFactory(username=username, name=username, **extra)
    return user_assign_role(user=user, role=Role.SUPERVISOR, actor=None, region=region)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def colleague(city_a):
    """Another supervisor of city A, outside agency A: a proper handler."""
    return supervisor("colleague_a", city_a)


@pytest.fixture
def legal_office_clue(city_supervisor, city_a_legal_office):
    """A clue against city A's own legal office (its supervisory responsibility): city A's
    supervisors work in it and are conflicted."""
    return register(city_supervisor, city_a_legal_office)


@pytest.fixture
def province_supervisor(province):
    return supervisor("province_sv", province, email="province@example.com")


@pytest.fixture
def city_b_supervisor(city_b):
    return supervisor("city_b_sv", city_b)


def register(actor, agency, **overrides) -> Clue:
    fields = {
        "region": actor.region,
        "agency": agency,
        "source": Clue.Source.REPORT,
        "summary": f"群众举报执法人员随意罚款（第 {next(_serial)} 件）。",
        "received_on": timezone.localdate(),
        "actor": actor,
        "external_body": "群众来信",
    }
    return clue_register(**(fields | overrides))


@pytest.fixture
def clue(city_supervisor, agency_a):
    return register(city_supervisor, agency_a)


@pytest.fixture
def substantiated(agency_a, city_supervisor, colleague):
    complaint = file_complaint(agency_a).complaint
    complaint = complaint_accept(complaint=complaint, actor=city_supervisor)
    complaint = complaint_assign(complaint=complaint, actor=city_supervisor, handler=colleague)
    return complaint_close(
        complaint=complaint,
        actor=colleague,
        result=Result.SUBSTANTIATED,
        measures="责令改正。",
        feedback="经核查，投诉属实。",
    )


@pytest.fixture
def flagged(agency_a, item_a, officers_a, inspector_a):  # noqa: F811
    """A revoked decision of agency A, flagged for accountability screening (R13)."""
    from enforcement.services.remedies import remedy_outcome_record
    from tests.enforcement.test_cases import open_case
    from tests.enforcement.test_closing import to_stage

    case = to_stage(open_case(agency_a, item_a, officers_a, inspector_a), inspector_a, "service")
    return remedy_outcome_record(
        case=case,
        actor=inspector_a,
        kind="reconsideration",
        body="甲市人民政府",
        reference="甲府复决〔2026〕12号",
        decided_on=timezone.localdate(),
        outcome="revoked",
        summary="认定事实不清，证据不足。",
    )


D = date.fromisoformat
