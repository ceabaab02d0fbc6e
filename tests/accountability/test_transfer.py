"""R24: a decided case that calls for it is transferred (移送), each transfer's receipt recorded;
the case closes only when every transfer has its receipt, the clue found RESPONSIBLE when the
decision found anyone responsible, else TRANSFERRED."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accountability.models import Clue, Proceeding, ProceedingEvent, Transfer
from accountability.services.transfers import transfer_close, transfer_receipt, transfer_send
from tests.conftest import client_for

from . import test_decision, test_defence
from .test_decision import decide

case, defences = test_defence.case, test_defence.defences  # fixtures
ready = test_decision.ready

pytestmark = pytest.mark.django_db


@pytest.fixture
def transferring(ready, colleague):
    decide(ready, colleague, transfer_needed=True)
    ready.refresh_from_db()
    return ready


def send(proceeding, actor, **changes):
    fields = {
        "body": Transfer.Body.SUPERVISION,
        "body_name": "甲市监察委员会",
        "reason": "涉嫌职务违法，移送监察机关。",
        "sent_on": timezone.localdate(),
    }
    return transfer_send(proceeding=proceeding, actor=actor, **(fields | changes))


def test_a_transfer_without_its_receipt_cannot_close(transferring, colleague):
    """R24, bad input: the case does not close while a transfer has no receipt; nothing changes."""
    send(transferring, colleague)
    with pytest.raises(ValidationError, match="尚未取得回执，案件不能办结"):
        transfer_close(proceeding=transferring, actor=colleague)
    transferring.refresh_from_db()
    assert transferring.step == Proceeding.Step.TRANSFER and transferring.closed_at is None
    assert transferring.clue.status != Clue.Status.CLOSED
    assert not transferring.timeline.filter(kind=ProceedingEvent.Kind.CLOSED).exists()


def test_a_case_without_any_transfer_cannot_close_as_transferred(transferring, colleague):
    """R24: the decision called for a transfer; closing needs one."""
    with pytest.raises(ValidationError, match="尚未移送"):
        transfer_close(proceeding=transferring, actor=colleague)


def test_with_every_receipt_the_case_closes_and_its_clue_is_found(transferring, colleague):
    """R24: sent, receipted, closed; the decision found responsibility, so the clue's finding is
    RESPONSIBLE and the transfer is in its reasons."""
    transfer = send(transferring, colleague)
    transfer_receipt(
        transfer=transfer,
        receipt_on=timezone.localdate(),
        receipt_number="甲监收〔2026〕3号",
        actor=colleague,
    )
    transfer_close(proceeding=transferring, actor=colleague)
    transferring.refresh_from_db()
    clue = transferring.clue
    clue.refresh_from_db()
    assert transferring.step == Proceeding.Step.CLOSED
    assert (clue.status, clue.finding) == (Clue.Status.CLOSED, Clue.Finding.RESPONSIBLE)
    assert "甲监收〔2026〕3号" in clue.reasons
    kinds = list(transferring.timeline.values_list("kind", flat=True))
    assert kinds[-3:] == ["transferred", "receipted", "closed"]


def test_a_transfer_without_own_sanction_closes_as_transferred(ready, colleague):
    """R24: nobody found responsible here, the facts handed to the judicial organs."""
    decide(
        ready,
        colleague,
        transfer_needed=True,
        officer={"responsible": False, "kind": ""},
        unit={"responsible": False, "kind": ""},
    )
    transfer = send(ready, colleague, body=Transfer.Body.JUDICIAL, body_name="甲市人民检察院")
    transfer_receipt(
        transfer=transfer,
        receipt_on=timezone.localdate(),
        receipt_number="甲检收1号",
        actor=colleague,
    )
    transfer_close(proceeding=ready, actor=colleague)
    ready.clue.refresh_from_db()
    assert ready.clue.finding == Clue.Finding.TRANSFERRED


def test_bad_transfers_and_receipts_are_refused(transferring, colleague, outsider_b, inspector_a):
    """R24: a body of the list, a name, no future date; a receipt with its number, once, not
    before the transfer; only the handler or a competent supervisor."""
    with pytest.raises(ValidationError, match="移送机关类别"):
        send(transferring, colleague, body="court")
    with pytest.raises(ValidationError, match="不能晚于今天"):
        send(transferring, colleague, sent_on=timezone.localdate() + timedelta(days=1))
    for actor in (outsider_b, inspector_a):
        with pytest.raises(PermissionDenied):
            send(transferring, actor)
    assert not Transfer.objects.exists()
    transfer = send(transferring, colleague)
    with pytest.raises(ValidationError, match="回执编号"):
        transfer_receipt(
            transfer=transfer, receipt_on=timezone.localdate(), receipt_number="", actor=colleague
        )
    with pytest.raises(ValidationError, match="不能早于"):
        transfer_receipt(
            transfer=transfer,
            receipt_on=timezone.localdate() - timedelta(days=1),
            receipt_number="1号",
            actor=colleague,
        )
    transfer.refresh_from_db()
    assert transfer.receipt_on is None and transfer.receipt_number == ""


def test_a_transfer_needs_a_decision_that_calls_for_it(defences, colleague):
    """R24: no transfer before the decision."""
    proceeding = defences[0].accused.proceeding
    with pytest.raises(ValidationError, match="不在移送环节"):
        send(proceeding, colleague)


def test_the_transfers_page_and_api(
    transferring, colleague, city_b_supervisor, django_assert_max_num_queries
):
    """R24: transfer and receipt on the page; the API lists them scoped and takes a receipt."""
    client = client_for(colleague)
    url = reverse("accountability:transfers", args=[transferring.pk])
    form = {"body": "appointing", "body_name": "甲市人民政府", "reason": "建议给予处分。"}
    assert client.post(url, form).status_code == 400  # no date
    form["sent_on"] = timezone.localdate().isoformat()
    assert client.post(url, form).status_code == 302
    transfer = Transfer.objects.get()
    close = reverse("accountability:transfer-close", args=[transferring.pk])
    refused = client.post(close)
    assert refused.status_code == 400 and "尚未取得回执" in refused.content.decode()
    with django_assert_max_num_queries(10):
        listed = client.get(reverse("api:accountability-transfers"))
    assert [row["id"] for row in listed.json()["results"]] == [transfer.pk]
    detail = reverse("api:accountability-transfer", args=[transfer.pk])
    assert client_for(city_b_supervisor).get(detail).status_code == 404
    bad = client.post(detail, {"receipt_on": "明天"}, content_type="application/json")
    assert bad.status_code == 400
    done = client.post(
        detail,
        {"receipt_on": timezone.localdate().isoformat(), "receipt_number": "甲府收9号"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["receipt_number"] == "甲府收9号"
    assert client.post(close).status_code == 302
    transferring.refresh_from_db()
    assert transferring.step == Proceeding.Step.CLOSED


def test_the_receiving_body_is_named_once_with_its_kind_only_when_the_name_lacks_it(
    transferring, colleague
):
    """R24: 移送机关 reads “甲市监察委员会”, not “甲市监察委员会（监察委员会）”; a name that
    does not say its kind (“甲市人民政府”) is followed by it (任免机关)."""
    send(transferring, colleague)
    send(transferring, colleague, body=Transfer.Body.APPOINTING, body_name="甲市人民政府")
    html = (
        client_for(colleague)
        .get(reverse("accountability:transfers", args=[transferring.pk]))
        .content.decode()
    )
    assert "甲市监察委员会（监察委员会）" not in html and "甲市监察委员会<" in html
    assert "甲市人民政府（任免机关）" in html
