"""R21: the officer's objection to a published result — only the officer, once, until the end
of the due day (Asia/Shanghai) — decided with reasons by a supervisor in scope."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessment.models import CycleEvent, Grade, Objection
from assessment.services.objections import objection_decide, objection_file

from .officer_world import officer_with_login, pending_objection, published, result_for

DUE = date(2026, 10, 10)  # a 调休 Saturday, a working day


@pytest.fixture
def officer(agency_a):
    return officer_with_login(agency_a)


@pytest.fixture
def result(cycle_2026, officer):
    return published(cycle_2026, officer, due=DUE, total="58")


def _now(monkeypatch, day, hour, minute=0):
    moment = datetime.combine(day, time(hour, minute), timezone.get_default_timezone())
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_the_officer_objects_on_the_last_day_late_in_the_evening(result, officer, monkeypatch):
    """R21: the period runs to the end of the due day in Asia/Shanghai (23:59 there is 15:59
    UTC)."""
    _now(monkeypatch, DUE, 23, 59)
    objection = objection_file(result=result, reason="案卷评查分数计算有误。", actor=officer.user)
    assert objection.status == Objection.Status.PENDING
    assert result.cycle.events.filter(kind=CycleEvent.Kind.OBJECTION_FILED).exists()


def test_an_objection_after_the_due_day_is_refused(result, officer, monkeypatch):
    _now(monkeypatch, date(2026, 10, 11), 0, 1)
    with pytest.raises(ValidationError, match="异议期限已于 2026-10-10 届满"):
        objection_file(result=result, reason="理由", actor=officer.user)
    assert not Objection.objects.exists()


def test_a_second_objection_is_refused(result, officer, monkeypatch):
    _now(monkeypatch, date(2026, 10, 9), 9)
    objection_file(result=result, reason="第一次。", actor=officer.user)
    with pytest.raises(ValidationError, match="只能提出一次"):
        objection_file(result=result, reason="第二次。", actor=officer.user)
    assert Objection.objects.count() == 1


@pytest.mark.parametrize("who", ["inspector_a", "legal_office_a", "city_supervisor", "outsider_b"])
def test_nobody_but_the_officer_may_object(result, monkeypatch, request, who):
    _now(monkeypatch, date(2026, 10, 9), 9)
    with pytest.raises(PermissionDenied, match="本人"):
        objection_file(result=result, reason="理由", actor=request.getfixturevalue(who))
    assert not Objection.objects.exists()


def test_an_unpublished_result_cannot_be_objected_to(cycle_2026, agency_a):
    me = officer_with_login(agency_a, username="officer_b", name="钱执法")
    draft = result_for(cycle_2026, me)
    with pytest.raises(ValidationError, match="尚未公布"):
        objection_file(result=draft, reason="理由", actor=me.user)


@pytest.mark.parametrize("reason", ["", "   ", "=cmd|' /C calc'!A0", "<script>x</script>"])
def test_an_objection_needs_a_clean_reason(result, officer, monkeypatch, reason):
    _now(monkeypatch, date(2026, 10, 9), 9)
    with pytest.raises(ValidationError):
        objection_file(result=result, reason=reason, actor=officer.user)
    assert not Objection.objects.exists()


def test_upheld_with_a_revised_total_regrades_the_result_and_keeps_the_old(
    result, officer, city_supervisor
):
    """R21: 58 (不合格) revised to 72.5 (合格); the history keeps 58."""
    objection = pending_objection(result, officer.user)
    objection_decide(
        objection=objection,
        upheld=True,
        reason="复核案卷评查分数，原计算遗漏一件案卷。",
        revised_total="72.5",
        actor=city_supervisor,
    )
    result.refresh_from_db()
    assert (result.total, result.grade) == (Decimal("72.5"), Grade.QUALIFIED)
    assert Decimal("58") in set(result.history.values_list("total", flat=True))
    objection.refresh_from_db()
    assert objection.status == Objection.Status.UPHELD and objection.decided_by == city_supervisor
    event = result.cycle.events.get(kind=CycleEvent.Kind.OBJECTION_DECIDED)
    assert "72.5" in event.note


def test_a_rejection_keeps_the_result(result, officer, city_supervisor):
    objection = pending_objection(result, officer.user)
    objection_decide(objection=objection, upheld=False, reason="计算无误。", actor=city_supervisor)
    result.refresh_from_db()
    assert result.total == Decimal("58")


@pytest.mark.parametrize(
    "upheld, reason, revised, message",
    [
        (True, "", None, "处理理由"),
        (False, "   ", None, "处理理由"),
        (False, "理由", "70", "异议不成立时不能修改总分"),
        (True, "理由", "101", "0 至 100"),
        (True, "理由", "abc", "0 至 100"),
        ("yes", "理由", None, "是否成立"),
    ],
)
def test_a_decision_without_reasons_or_with_a_bad_total_is_refused(
    result, officer, city_supervisor, upheld, reason, revised, message
):
    objection = pending_objection(result, officer.user)
    with pytest.raises(ValidationError, match=message):
        objection_decide(
            objection=objection,
            upheld=upheld,
            reason=reason,
            revised_total=revised,
            actor=city_supervisor,
        )
    objection.refresh_from_db()
    assert objection.status == Objection.Status.PENDING


def test_a_decision_is_taken_once_and_only_by_a_supervisor_in_scope(
    result, officer, city_supervisor, legal_office_a, outsider_b
):
    objection = pending_objection(result, officer.user)
    for actor in (legal_office_a, outsider_b):
        with pytest.raises(PermissionDenied):
            objection_decide(objection=objection, upheld=False, reason="理由", actor=actor)
    objection_decide(objection=objection, upheld=False, reason="理由", actor=city_supervisor)
    with pytest.raises(ValidationError, match="已经处理"):
        objection_decide(objection=objection, upheld=True, reason="理由", actor=city_supervisor)
