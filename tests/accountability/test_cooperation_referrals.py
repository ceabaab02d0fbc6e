"""R12: referrals to and from supervision commissions (监察) and audit bodies: an outgoing
referral is complete only with its receipt (回执); an incoming one becomes a clue in the same
transaction; refusals are in Chinese and change nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accountability.models import Clue, Referral, ReferralEvent
from accountability.services.cooperation import (
    notice_circulate,
    referral_receive,
    referral_record_outcome,
    referral_record_receipt,
    referral_send,
)

TODAY = timezone.localdate


def send(actor, agency, **overrides):
    fields = {
        "agency": agency,
        "body_kind": "supervision",
        "body_name": "甲市监察委员会",
        "subject": "执法人员涉嫌违纪",
        "summary": "案卷评查发现执法人员违规减免罚款，涉嫌违纪。",
        "sent_on": TODAY() - timedelta(days=5),
        "actor": actor,
    }
    return referral_send(**(fields | overrides))


def receive(actor, agency, **overrides):
    fields = {
        "agency": agency,
        "body_kind": "audit",
        "body_name": "甲市审计局",
        "subject": "专项资金使用问题",
        "summary": "审计发现罚没收入未按规定上缴。",
        "received_on": TODAY() - timedelta(days=2),
        "sent_on": TODAY() - timedelta(days=4),
        "reference": "甲审移〔2026〕3号",
        "actor": actor,
    }
    return referral_receive(**(fields | overrides))


def test_a_supervisor_refers_a_clue_to_the_commission(city_supervisor, clue):
    """R12: the referral takes the clue's unit and starts waiting for its receipt."""
    referral = send(city_supervisor, None, clue=clue)
    assert referral.direction == Referral.Direction.OUTGOING
    assert referral.agency == clue.agency
    assert referral.status == Referral.Status.SENT
    assert list(referral.timeline.values_list("kind", flat=True)) == ["sent"]
    assert referral.history.count() == 1


def test_an_incoming_referral_registers_a_clue_with_its_source(city_supervisor, agency_a):
    """R12, R26: an audit body's referral becomes a clue (source 审计移送) with the external
    body, reference and date."""
    referral = receive(city_supervisor, agency_a)
    clue = referral.clue
    assert clue.source == Clue.Source.AUDIT
    assert clue.external_body == "甲市审计局"
    assert clue.external_reference == "甲审移〔2026〕3号"
    assert clue.external_date == TODAY() - timedelta(days=4)
    assert referral.status == Referral.Status.RECEIVED
    commission = receive(city_supervisor, agency_a, body_kind="supervision")
    assert commission.clue.source == Clue.Source.SUPERVISION


def test_a_refused_incoming_referral_registers_no_clue(city_supervisor, agency_a):
    """R12: the clue and the referral are one transaction; a refusal leaves neither."""
    with pytest.raises(ValidationError):
        receive(city_supervisor, agency_a, summary='=HYPERLINK("http://x")')
    with pytest.raises(ValidationError):
        receive(city_supervisor, agency_a, sent_on=TODAY())
    assert not Clue.objects.exists() and not Referral.objects.exists()


def test_an_outcome_needs_the_receipt_first(city_supervisor, agency_a):
    """R12: an outgoing referral's outcome is refused before its receipt is recorded."""
    referral = send(city_supervisor, agency_a)
    with pytest.raises(ValidationError) as refused:
        referral_record_outcome(
            referral=referral, outcome="给予警告处分。", outcome_on=TODAY(), actor=city_supervisor
        )
    assert "回执" in refused.value.messages[0]
    referral.refresh_from_db()
    assert referral.outcome == "" and referral.status == Referral.Status.SENT
    referral = referral_record_receipt(
        referral=referral,
        receipt_number="甲监回〔2026〕8号",
        receipt_on=TODAY(),
        actor=city_supervisor,
    )
    assert referral.status == Referral.Status.RECEIPTED
    referral = referral_record_outcome(
        referral=referral, outcome="给予警告处分。", outcome_on=TODAY(), actor=city_supervisor
    )
    assert referral.status == Referral.Status.CONCLUDED
    assert list(referral.timeline.values_list("kind", flat=True)) == ["sent", "receipt", "outcome"]


def test_a_receipt_is_recorded_once_and_dated_sensibly(city_supervisor, agency_a):
    """R12: a second receipt, a future date or one before the referral is refused."""
    referral = send(city_supervisor, agency_a)
    for bad in (TODAY() + timedelta(days=1), TODAY() - timedelta(days=6)):
        with pytest.raises(ValidationError):
            referral_record_receipt(
                referral=referral, receipt_number="回执1", receipt_on=bad, actor=city_supervisor
            )
    with pytest.raises(ValidationError):
        referral_record_receipt(
            referral=referral,
            receipt_number="=cmd|' /C calc'!A0",
            receipt_on=TODAY(),
            actor=city_supervisor,
        )
    referral_record_receipt(
        referral=referral, receipt_number="回执1", receipt_on=TODAY(), actor=city_supervisor
    )
    with pytest.raises(ValidationError) as twice:
        referral_record_receipt(
            referral=referral, receipt_number="回执2", receipt_on=TODAY(), actor=city_supervisor
        )
    assert "已经登记过回执" in twice.value.messages[0]
    referral.refresh_from_db()
    assert referral.receipt_number == "回执1"
    assert ReferralEvent.objects.filter(kind="receipt").count() == 1


def test_dates_in_the_future_and_script_are_refused_on_sending(city_supervisor, agency_a):
    """R12: nothing is written for a future date or script in the text."""
    with pytest.raises(ValidationError):
        send(city_supervisor, agency_a, sent_on=TODAY() + timedelta(days=1))
    with pytest.raises(ValidationError):
        send(city_supervisor, agency_a, subject="<script>alert(1)</script>")
    with pytest.raises(ValidationError):
        send(city_supervisor, agency_a, body_kind="court")
    assert not Referral.objects.exists()


def test_a_supervisor_of_city_b_cannot_act_on_city_a_referrals(
    city_supervisor, city_b_supervisor, agency_a, inspector_a
):
    """R12: out of scope and non-supervisors are refused, and nothing changes."""
    referral = send(city_supervisor, agency_a)
    for actor in (city_b_supervisor, inspector_a):
        with pytest.raises(PermissionDenied):
            referral_record_receipt(
                referral=referral, receipt_number="回执", receipt_on=TODAY(), actor=actor
            )
        with pytest.raises(PermissionDenied):
            send(actor, agency_a)
        with pytest.raises(PermissionDenied):
            receive(actor, agency_a)
    referral.refresh_from_db()
    assert referral.receipt_on is None
    assert Referral.objects.count() == 1


def test_an_incoming_referral_records_its_outcome_without_a_receipt(city_supervisor, agency_a):
    """R12: a letter received needs no receipt from us; its outcome is dated after receipt."""
    referral = receive(city_supervisor, agency_a)
    with pytest.raises(ValidationError):
        referral_record_outcome(
            referral=referral,
            outcome="已处理。",
            outcome_on=TODAY() - timedelta(days=3),
            actor=city_supervisor,
        )
    referral = referral_record_outcome(
        referral=referral, outcome="已处理。", outcome_on=TODAY(), actor=city_supervisor
    )
    assert referral.status == Referral.Status.CONCLUDED
    with pytest.raises(ValidationError):
        referral_record_outcome(
            referral=referral, outcome="再次处理。", outcome_on=TODAY(), actor=city_supervisor
        )


def test_a_notice_is_circulated_by_a_supervisor_only(city_supervisor, inspector_a):
    """R12: a notice to the commission and audit body; script and non-supervisors refused."""
    notice = notice_circulate(
        title="2026 年第一季度执法监督情况通报",
        body="本季度共移送线索 3 件。",
        bodies="甲市监察委员会、甲市审计局",
        sent_on=TODAY(),
        actor=city_supervisor,
    )
    assert notice.region == city_supervisor.region
    with pytest.raises(PermissionDenied):
        notice_circulate(title="t", body="b", bodies="x", sent_on=TODAY(), actor=inspector_a)
    with pytest.raises(ValidationError):
        notice_circulate(
            title="<script>", body="b", bodies="x", sent_on=TODAY(), actor=city_supervisor
        )
