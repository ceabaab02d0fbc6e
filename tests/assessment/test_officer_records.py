"""R21: what the records cannot say by themselves — commendations and the special evaluation's
test scores — entered by the officer's agency or a supervisor in scope, never by the officer."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessment.models import CycleEvent, OfficerRecord
from assessment.services.officers import officer_record_add
from tests.factories import OfficerFactory

from .officer_world import officer_with_login

DAY = date(2026, 3, 2)


@pytest.fixture
def officer(agency_a):
    return OfficerFactory(agency=agency_a, name="李执法")


def _add(officer, actor, **overrides):
    fields = {
        "officer": officer,
        "year": 2026,
        "kind": OfficerRecord.Kind.LEGAL_TEST,
        "score": "86.5",
        "occurred_on": DAY,
        "note": "2026 年度法律知识测试。",
        "actor": actor,
    } | overrides
    return officer_record_add(**fields)


def test_the_legal_office_records_a_test_score_in_the_open_cycle(
    officer, legal_office_a, cycle_2026
):
    """R21: the legal-literacy test of the special evaluation; the cycle's timeline shows it."""
    record = _add(officer, legal_office_a)
    assert record.score == Decimal("86.5")
    event = cycle_2026.events.get(kind=CycleEvent.Kind.OFFICER_RECORD)
    assert event.agency == officer.agency and "86.5" in event.note


def test_a_supervisor_in_scope_records_a_commendation_without_a_score(officer, city_supervisor):
    """R21: commendations count in the everyday evaluation; they carry no score."""
    record = _add(officer, city_supervisor, kind=OfficerRecord.Kind.COMMENDATION, score=None)
    assert record.score is None and record.recorded_by == city_supervisor


def test_a_record_without_an_open_cycle_is_kept_without_an_event(officer, inspector_a):
    """R21: records may come before the cycle opens; they count when results are computed."""
    _add(officer, inspector_a)
    assert OfficerRecord.objects.count() == 1
    assert not CycleEvent.objects.exists()


@pytest.mark.parametrize("score", [120, "120", "-1", "abc", "", None, "NaN", "99.999", True])
def test_a_test_score_outside_0_to_100_is_refused(officer, legal_office_a, score):
    """R21: a test score is a number from 0 to 100; nothing is kept otherwise."""
    with pytest.raises(ValidationError) as refused:
        _add(officer, legal_office_a, score=score)
    assert "score" in refused.value.message_dict
    assert any("成绩" in m for m in refused.value.message_dict["score"])
    assert not OfficerRecord.objects.exists()


def test_a_commendation_with_a_score_is_refused(officer, legal_office_a):
    with pytest.raises(ValidationError, match="表彰奖励不填写测试成绩"):
        _add(officer, legal_office_a, kind=OfficerRecord.Kind.COMMENDATION, score="90")


def test_an_outsider_cannot_record_for_another_agencys_officer(officer, outsider_b):
    """R21: only the officer's agency or a supervisor of its region."""
    with pytest.raises(PermissionDenied, match="执法人员所在单位"):
        _add(officer, outsider_b)
    assert not OfficerRecord.objects.exists()


def test_an_officer_cannot_record_their_own_commendation(agency_a):
    me = officer_with_login(agency_a)
    with pytest.raises(PermissionDenied):
        _add(me, me.user, kind=OfficerRecord.Kind.COMMENDATION, score=None)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"occurred_on": date(2025, 12, 31)}, "occurred_on"),
        ({"occurred_on": "2026-13-01"}, "occurred_on"),
        ({"year": 1999, "occurred_on": date(1999, 5, 1)}, "year"),
        ({"kind": "bribe"}, "kind"),
        ({"note": '=HYPERLINK("http://x")'}, "note"),
        ({"note": "<script>alert(1)</script>"}, "note"),
        ({"note": "  "}, "note"),
    ],
)
def test_bad_input_is_refused_in_chinese(officer, legal_office_a, overrides, field):
    with pytest.raises(ValidationError) as refused:
        _add(officer, legal_office_a, **overrides)
    assert field in refused.value.message_dict
    assert not OfficerRecord.objects.exists()
