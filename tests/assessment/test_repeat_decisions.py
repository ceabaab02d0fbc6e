"""R21, R22: the daily job makes published results final; an unqualified final result bars
the officer from 优秀 and, after an unqualified previous year in the same region, opens one
repeat decision — moved off enforcement duty or the certificate withdrawn, decided once."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessment.models import Cycle, CycleEvent, Objection, OfficerResult, RepeatDecision
from assessment.services.consequences import repeat_decision_decide
from assessment.services.officers import officer_results_finalise
from assessment.tasks.officers import finalise_officer_results
from enforcement.models import Officer
from tests.factories import OfficerFactory

from .officer_world import pending_objection, published

DUE = date(2026, 10, 10)


@pytest.fixture
def cycle_2025(city_a, city_supervisor):
    return Cycle.objects.create(region=city_a, year=2025, opened_by=city_supervisor)


@pytest.fixture
def officer(agency_a):
    return OfficerFactory(agency=agency_a, name="孙执法")


def test_a_result_becomes_final_the_day_after_its_period_with_no_objection(cycle_2026, officer):
    result = published(cycle_2026, officer, due=DUE, total="75")
    assert officer_results_finalise(today=DUE) == 0
    assert officer_results_finalise(today=date(2026, 10, 11)) == 1
    result.refresh_from_db()
    assert result.final_at is not None and not result.barred_from_excellent
    assert result.history.filter(final_at__isnull=False).exists()  # the version is kept
    assert cycle_2026.events.filter(kind=CycleEvent.Kind.OFFICER_RESULTS_FINAL).count() == 1
    assert officer_results_finalise(today=date(2026, 10, 12)) == 0  # idempotent
    assert cycle_2026.events.filter(kind=CycleEvent.Kind.OFFICER_RESULTS_FINAL).count() == 1


def test_a_pending_objection_holds_the_result_and_its_decision_releases_it(
    cycle_2026, agency_a, city_supervisor
):
    from assessment.services.objections import objection_decide

    from .officer_world import officer_with_login

    me = officer_with_login(agency_a)
    result = published(cycle_2026, me, due=DUE, total="75")
    objection = pending_objection(result, me.user)
    assert officer_results_finalise(today=date(2026, 11, 1)) == 0
    objection_decide(objection=objection, upheld=False, reason="计算无误。", actor=city_supervisor)
    assert objection.__class__.objects.get().status == Objection.Status.REJECTED
    assert officer_results_finalise(today=date(2026, 10, 9)) == 1


def test_an_unqualified_final_result_bars_the_officer_from_excellent(cycle_2026, officer):
    """R22: cannot be rated 优秀 in the annual civil-service review."""
    result = published(cycle_2026, officer, due=DUE, total="40")
    finalise_officer_results.delay()  # the beat's task, run in-process
    officer_results_finalise(today=date(2026, 10, 11))
    result.refresh_from_db()
    assert result.final_at is not None and result.barred_from_excellent


def test_two_unqualified_years_open_one_repeat_decision(cycle_2025, cycle_2026, officer):
    """R22: unqualified two years running in the same region."""
    before = published(cycle_2025, officer, due=date(2025, 10, 10), total="50", final=True)
    now = published(cycle_2026, officer, due=DUE, total="55")
    officer_results_finalise(today=date(2026, 10, 11))
    decision = RepeatDecision.objects.get()
    assert (decision.result, decision.previous_result, decision.officer) == (now, before, officer)
    assert decision.outcome == ""
    OfficerResult.objects.filter(pk=now.pk).update(final_at=None)
    officer_results_finalise(today=date(2026, 10, 12))
    assert RepeatDecision.objects.count() == 1


def test_a_qualified_previous_year_opens_no_repeat_decision(cycle_2025, cycle_2026, officer):
    published(cycle_2025, officer, due=date(2025, 10, 10), total="65", final=True)
    published(cycle_2026, officer, due=DUE, total="55")
    officer_results_finalise(today=date(2026, 10, 11))
    assert not RepeatDecision.objects.exists()


def test_another_regions_unqualified_year_opens_no_repeat_decision(
    city_b, city_supervisor, cycle_2026, officer
):
    elsewhere = Cycle.objects.create(region=city_b, year=2025, opened_by=city_supervisor)
    published(elsewhere, officer, due=date(2025, 10, 10), total="50", final=True)
    published(cycle_2026, officer, due=DUE, total="55")
    officer_results_finalise(today=date(2026, 10, 11))
    assert not RepeatDecision.objects.exists()


@pytest.fixture
def decision(cycle_2025, cycle_2026, officer):
    published(cycle_2025, officer, due=date(2025, 10, 10), total="50", final=True)
    published(cycle_2026, officer, due=DUE, total="55")
    officer_results_finalise(today=date(2026, 10, 11))
    return RepeatDecision.objects.get()


def test_withdrawing_the_qualification_withdraws_the_certificate_with_history(
    decision, officer, city_supervisor
):
    """R22: the certificate through enforcement's service, which keeps the history."""
    repeat_decision_decide(
        decision=decision,
        outcome=RepeatDecision.Outcome.WITHDRAW,
        reason="连续两年考核不合格，经研究取消其行政执法资格。",
        actor=city_supervisor,
    )
    officer.refresh_from_db()
    assert officer.certificate_status == Officer.CertificateStatus.WITHDRAWN
    assert "连续两年考核不合格" in officer.status_reason
    assert officer.history.filter(certificate_status="valid").exists()
    assert officer.history.first().history_user == city_supervisor
    assert decision.result.cycle.events.filter(kind=CycleEvent.Kind.REPEAT_DECIDED).exists()


def test_off_duty_suspends_the_certificate_so_the_officer_no_longer_enforces(
    decision, officer, city_supervisor
):
    """R22: moved off enforcement duty: the certificate suspended (暂扣) with the reason."""
    repeat_decision_decide(
        decision=decision,
        outcome=RepeatDecision.Outcome.OFF_DUTY,
        reason="调离行政执法岗位。",
        actor=city_supervisor,
    )
    officer.refresh_from_db()
    assert officer.certificate_status == Officer.CertificateStatus.SUSPENDED
    assert not officer.may_enforce


def test_a_repeat_decision_is_decided_once_with_reasons_by_a_supervisor(
    decision, city_supervisor, legal_office_a, outsider_b
):
    for actor in (legal_office_a, outsider_b):
        with pytest.raises(PermissionDenied):
            repeat_decision_decide(
                decision=decision, outcome="withdraw", reason="理由", actor=actor
            )
    with pytest.raises(ValidationError, match="决定理由"):
        repeat_decision_decide(
            decision=decision, outcome="withdraw", reason=" ", actor=city_supervisor
        )
    with pytest.raises(ValidationError, match="请选择"):
        repeat_decision_decide(
            decision=decision, outcome="fire", reason="理由", actor=city_supervisor
        )
    repeat_decision_decide(
        decision=decision, outcome="off_duty", reason="理由", actor=city_supervisor
    )
    with pytest.raises(ValidationError, match="已作出处理决定"):
        repeat_decision_decide(
            decision=decision, outcome="withdraw", reason="理由", actor=city_supervisor
        )
    decision.refresh_from_db()
    assert decision.outcome == "off_duty"


def test_the_supervisor_decides_from_the_page_and_the_queue_lists_it(
    decision, officer, city_supervisor, legal_office_a
):
    from django.urls import reverse

    from tests.conftest import client_for

    client = client_for(city_supervisor)
    queue = client.get(reverse("assessment:officer-queue")).content.decode()
    assert reverse("assessment:repeat-decision", args=[decision.pk]) in queue
    url = reverse("assessment:repeat-decision", args=[decision.pk])
    refused = client_for(legal_office_a).post(url, {"outcome": "withdraw", "reason": "理由"})
    assert refused.status_code == 403
    assert client.post(url, {"outcome": "withdraw", "reason": ""}).status_code == 400
    assert client.post(url, {"outcome": "withdraw", "reason": "收回执法证。"}).status_code == 302
    officer.refresh_from_db()
    assert officer.certificate_status == Officer.CertificateStatus.WITHDRAWN
    again = client.post(url, {"outcome": "off_duty", "reason": "再次。"})
    assert again.status_code == 400 and "不能再次决定" in again.content.decode()
