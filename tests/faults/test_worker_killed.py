"""Faults: a worker killed during a sweep sends no notice twice.

Celery runs the sweep with acks_late (portal/settings.py, complaints/tasks.py): a worker that
dies mid-task leaves the message unacknowledged and the broker hands it to another worker, which
runs the whole task again. What the first run sent before it died must not be sent again, and
what it had not sent must go out on the re-run. The outbox guarantees it: a notice is marked
sent in its own transaction right after it is handed to the mail or SMS gateway, so a death
between two notices keeps the marks of those sent (complaints/services/notifications.py).
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils.timezone import localdate

from complaints import tasks
from complaints.models import Complaint, ComplaintEvent, Notification, ReceivedVia
from complaints.services import deadlines, notifications
from complaints.sms import LogBackend
from tests.complaints.test_register import file_complaint

pytestmark = pytest.mark.django_db


class WorkerKilled(SystemExit):
    """What a worker's death looks like to the code running in it (SIGTERM → SystemExit; a
    SIGKILL gives no chance to run anything at all, the same as far as the database goes)."""


@pytest.fixture
def overdue_complaints(agency_a, city_supervisor):
    """Four complaints received by phone three weeks ago: each due a reminder and an
    escalation to the supervisors, and each with its registration notices (e-mail and SMS)."""
    received = localdate() - timedelta(days=21)
    return [
        file_complaint(
            agency_a,
            actor=city_supervisor,
            received_via=ReceivedVia.PHONE,
            received_on=received,
            phone=f"1390000000{i}",
            email=f"c{i}@example.com",
        ).complaint
        for i in range(4)
    ]


def sent(mailoutbox) -> Counter:
    """Every message handed to a gateway, by (channel, recipient, subject or body)."""
    mails = Counter(("email", tuple(m.to), m.subject) for m in mailoutbox)
    texts = Counter(("sms", phone, body) for phone, body in LogBackend.outbox)
    return mails + texts


def die_after(monkeypatch, count: int) -> list:
    """The worker dies as it is about to hand over its (count + 1)-th message."""
    handed = []
    real = notifications._send

    def send(notification):
        if len(handed) == count:
            raise WorkerKilled(1)
        real(notification)
        handed.append(notification.key)

    monkeypatch.setattr(notifications, "_send", send)
    return handed


def test_a_worker_killed_while_delivering_sends_nothing_twice_when_the_task_is_redelivered(
    overdue_complaints, mailoutbox, monkeypatch
):
    """The sweep claims the reminders and escalations, then delivers 16 notices (4 complaints ×
    registration e-mail and SMS, reminder, escalation); the worker dies after five. The
    redelivered task sends the other eleven, and every notice reached its gateway once."""
    with monkeypatch.context() as patch:
        handed = die_after(patch, 5)
        with pytest.raises(WorkerKilled):
            tasks.sweep_deadlines()  # in the worker, as the broker handed it over
    assert len(handed) == 5
    assert Notification.objects.filter(sent_at__isnull=False).count() == 5

    result = tasks.sweep_deadlines.apply().get()  # acks_late: the broker redelivers it
    assert result == {"reminded": 0, "escalated": 0, "delivered": 11}
    assert tasks.sweep_deadlines.apply().get()["delivered"] == 0  # and once more: nothing

    total = Notification.objects.count()
    assert total == 16 and not Notification.objects.filter(sent_at__isnull=True).exists()
    messages = sent(mailoutbox)
    assert sum(messages.values()) == total, "a message was sent twice or not at all"
    assert max(messages.values()) == 1
    for complaint in overdue_complaints:
        kinds = Counter(complaint.timeline.values_list("kind", flat=True))
        assert kinds[ComplaintEvent.Kind.REMINDED] == kinds[ComplaintEvent.Kind.ESCALATED] == 1


def test_a_worker_killed_before_the_sweep_commits_leaves_nothing_claimed(
    overdue_complaints, mailoutbox, monkeypatch
):
    """Killed between claiming the deadlines and writing their notices: the claim is rolled back
    with the rest, so the redelivered task reminds and escalates each complaint, once."""

    def killed(notices):
        raise WorkerKilled(1)

    with monkeypatch.context() as patch:
        patch.setattr(deadlines, "queue", killed)
        with pytest.raises(WorkerKilled):
            tasks.sweep_deadlines()
    assert not Complaint.objects.filter(reminded_on__isnull=False).exists()
    assert not Notification.objects.filter(key__contains=":remind:").exists()

    first = tasks.sweep_deadlines.apply().get()
    again = tasks.sweep_deadlines.apply().get()
    assert (first["reminded"], first["escalated"]) == (4, 4)
    assert (again["reminded"], again["escalated"], again["delivered"]) == (0, 0, 0)
    messages = sent(mailoutbox)
    assert max(messages.values()) == 1
    assert sum(messages.values()) == Notification.objects.count() == 16


def test_two_workers_running_the_sweep_at_once_after_a_redelivery_send_each_notice_once(
    overdue_complaints, mailoutbox
):
    """A redelivered sweep may overlap the beat's next one: the outbox keys and the sent marks
    keep every notice single (each run after the first finds nothing to send)."""
    runs = [tasks.sweep_deadlines.apply().get() for _ in range(3)]
    assert [r["delivered"] for r in runs] == [16, 0, 0]
    assert max(sent(mailoutbox).values()) == 1
