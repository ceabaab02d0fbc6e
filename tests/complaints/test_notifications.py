"""R16, R17: notices to complainants, handlers and supervisors go through an outbox: written in
the transaction of the change, delivered after commit, each exactly once."""

import pytest

from complaints.models import Notification
from complaints.services import notifications
from complaints.services.notifications import (
    notification_deliver,
    notifications_deliver,
    notify,
    notify_complainant,
)
from complaints.sms import LogBackend

from .test_register import file_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sms_outbox(monkeypatch):
    monkeypatch.setattr(LogBackend, "outbox", [])
    return LogBackend.outbox


def test_registration_tells_the_complainant_by_email_and_sms_after_commit(
    agency_a, mailoutbox, sms_outbox, django_capture_on_commit_callbacks
):
    """R16: the complainant learns the number and the date by which acceptance is decided."""
    with django_capture_on_commit_callbacks() as callbacks:
        receipt = file_complaint(agency_a)
    assert mailoutbox == [] and sms_outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    (message,) = mailoutbox
    assert message.subject == "您的投诉已登记" and message.to == ["zhangsan@example.com"]
    assert receipt.number in message.body
    assert f"{receipt.acknowledge_by:%Y-%m-%d}" in message.body
    (phone, text) = sms_outbox[0]
    assert phone == "13800000000" and text.startswith("【您的投诉已登记】")
    assert receipt.access_code not in message.body + text


def test_only_the_channels_given_are_used(agency_a):
    file_complaint(agency_a, phone="", email="only@example.com")
    file_complaint(agency_a, phone="0431-88881234", email="")
    assert sorted(Notification.objects.values_list("channel", flat=True)) == ["email", "sms"]


def test_the_anonymous_get_no_notice(agency_a):
    complaint = file_complaint(agency_a, anonymous=True).complaint
    notify_complainant(complaint=complaint, key="x", subject="s", body="b")
    assert not Notification.objects.exists()


def test_a_notice_with_the_same_key_is_written_and_sent_once(agency_a, mailoutbox):
    complaint = file_complaint(agency_a, phone="").complaint
    first = notify(
        key="k:1",
        complaint=complaint,
        channel="email",
        recipients=["b@example.com", "a@example.com", "", "a@example.com"],
        subject="主题",
        body="正文",
    )
    again = notify(
        key="k:1",
        complaint=complaint,
        channel="email",
        recipients=["c@x.cn"],
        subject="另",
        body="",
    )
    assert again.pk == first.pk and first.recipients == ["a@example.com", "b@example.com"]
    assert notification_deliver(pk=first.pk) is True
    assert notification_deliver(pk=first.pk) is False
    assert notifications_deliver() == 1  # the registration notice, still unsent
    assert notifications_deliver() == 0
    assert [m.to for m in mailoutbox].count(["a@example.com", "b@example.com"]) == 1


def test_a_notice_to_nobody_is_not_written(agency_a):
    complaint = file_complaint(agency_a, phone="").complaint
    before = Notification.objects.count()
    assert (
        notify(
            key="k",
            complaint=complaint,
            channel="email",
            recipients=["", None],
            subject="s",
            body="b",
        )
        is None
    )
    assert Notification.objects.count() == before


def test_the_sms_backend_is_pluggable(agency_a, settings):
    sent = []

    class Gateway:
        def send(self, phone, text):
            sent.append(phone)

    settings.SMS_BACKEND = f"{__name__}.GATEWAY"
    globals()["GATEWAY"] = Gateway
    file_complaint(agency_a, email="")
    assert notifications_deliver() == 1
    assert sent == ["13800000000"]


def test_delivery_failures_do_not_stop_the_others(agency_a, monkeypatch):
    file_complaint(agency_a)
    real = notifications._send

    def flaky(notification):
        if notification.channel == "sms":
            raise OSError("gateway timeout")
        real(notification)

    monkeypatch.setattr(notifications, "_send", flaky)
    assert notifications_deliver() == 1
    assert Notification.objects.get(channel="sms").last_error == "gateway timeout"
