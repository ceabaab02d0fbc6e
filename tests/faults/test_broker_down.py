"""Faults: the broker down during intake loses nothing.

Every notice is an outbox row written in the filing's own transaction; handing it to the broker
after commit is only the fast path (complaints/services/notifications.py). Here the broker is a
closed port, so that publish really fails: the filing still succeeds (201 with its number and
acknowledgement date, the receipt page), nothing is sent, and once the broker is back the
periodic sweep (beat) sends every notice and the reminders, each once however often it runs.
"""

import logging
import re
import socket
from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.timezone import localdate

from complaints import tasks
from complaints.models import Complaint, ComplaintEvent, Notification, ReceivedVia
from complaints.sms import LogBackend
from portal.celery import app
from tests.complaints.test_api_public import body
from tests.complaints.test_filing_page import filing_data
from tests.complaints.test_register_pages import form_data
from tests.conftest import client_for, drop_broker_pools

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("generous_filing_limits")]

API = reverse("api:complaint-file")
FORM = reverse("complaints:file")
STAFF_NEW = reverse("complaints:staff-new")


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_down(monkeypatch, caplog):
    """CELERY_BROKER_URL pointing at a closed port, tasks really published (not in-process)."""
    with monkeypatch.context() as patch:
        patch.setitem(app.conf, "task_always_eager", False)
        dead = f"redis://127.0.0.1:{closed_port()}/0"
        patch.setitem(app.conf, "broker_url", dead)
        # Celery reads CELERY_BROKER_URL from the environment before its own setting (CI sets it).
        patch.setenv("CELERY_BROKER_URL", dead)
        patch.setitem(app.conf, "broker_connection_timeout", 1)
        patch.setitem(
            app.conf,
            "task_publish_retry_policy",
            {"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1},
        )
        drop_broker_pools()  # the next publish connects to the dead port
        caplog.set_level(logging.WARNING, logger="complaints.services.notifications")
        yield caplog
    drop_broker_pools()  # the broker is back (in-process in tests, as the other tests expect)


def sent(mailoutbox) -> Counter:
    mails = Counter(("email", tuple(m.to), m.subject) for m in mailoutbox)
    return mails + Counter(("sms", phone, text) for phone, text in LogBackend.outbox)


def test_filings_succeed_while_the_broker_is_down_and_the_sweep_sends_each_notice_once(
    broker_down,
    agency_a,
    city_supervisor,
    public_client,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """Conventions: a lost broker never loses a complaint. Two filings by the API, one on the
    public form and one registered by a supervisor (received three weeks ago by phone, so
    already past its acknowledgement deadline) while the broker is unreachable; after recovery
    the sweep sends the eight registration notices plus the late complaint's reminder and
    escalation; a second and third run send nothing."""
    numbers = []
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(2):
            data = body(agency_a, phone=f"1381234567{i}", email=f"api{i}@example.com")
            response = public_client.post(API, data, content_type="application/json")
            assert response.status_code == 201, response.content.decode()
            receipt = response.json()
            assert receipt["acknowledge_by"] and receipt["access_code"]
            numbers.append(receipt["number"])
    with django_capture_on_commit_callbacks(execute=True):
        response = public_client.post(
            FORM, filing_data(agency_a, phone="13700000001", email="form@example.com")
        )
    assert response.status_code == 200
    page = response.content.decode()
    (number,) = set(re.findall(r"220100-\d{4}-\d{6}", page))
    numbers.append(number)
    received = localdate() - timedelta(days=21)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(city_supervisor).post(
            STAFF_NEW,
            form_data(agency_a, received_on=f"{received:%Y-%m-%d}", email="phone@example.com"),
        )
    assert response.status_code == 302
    late = Complaint.objects.get(received_via=ReceivedVia.PHONE)
    numbers.append(late.number)

    # Nothing lost, nothing sent: every complaint with its timeline and its notices, waiting.
    assert sorted(Complaint.objects.values_list("number", flat=True)) == sorted(numbers)
    assert ComplaintEvent.objects.filter(kind=ComplaintEvent.Kind.REGISTERED).count() == 4
    assert Notification.objects.filter(sent_at__isnull=True).count() == 8  # e-mail + SMS each
    assert mailoutbox == [] and LogBackend.outbox == []
    failures = [r for r in broker_down.records if "the sweep will send them" in r.getMessage()]
    assert len(failures) == 4, "every filing tried the broker, and was told it was down"

    # The broker is back (the fixture's context ends here for the beat and the worker).
    broker_down.clear()
    app.conf.task_always_eager = True
    first = tasks.sweep_deadlines.apply().get()
    assert first == {"reminded": 1, "escalated": 1, "delivered": 10}
    assert tasks.sweep_deadlines.apply().get() == {"reminded": 0, "escalated": 0, "delivered": 0}
    assert tasks.deliver_pending_notifications.apply().get() == 0

    messages = sent(mailoutbox)
    assert sum(messages.values()) == Notification.objects.count() == 10
    assert max(messages.values()) == 1, "a notice went out twice"
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    kinds = Counter(late.timeline.values_list("kind", flat=True))
    assert kinds[ComplaintEvent.Kind.REMINDED] == kinds[ComplaintEvent.Kind.ESCALATED] == 1
    for number in numbers:
        assert any(number in m.body for m in mailoutbox), number


def test_a_publish_that_raises_does_not_fail_the_filing(
    agency_a, public_client, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    """However the broker fails (here the publish itself raises), the API still answers 201."""

    def refused(*args, **kwargs):
        raise OSError("Connection refused")

    monkeypatch.setattr(tasks.deliver_notifications, "apply_async", refused)
    with django_capture_on_commit_callbacks(execute=True):
        data = body(agency_a, email="refused@example.com")
        response = public_client.post(API, data, content_type="application/json")
    assert response.status_code == 201
    number = response.json()["number"]
    assert Notification.objects.filter(complaint__number=number, sent_at__isnull=True).count() == 2
    monkeypatch.undo()
    assert tasks.deliver_pending_notifications.apply().get() == 2
    assert tasks.deliver_pending_notifications.apply().get() == 0
    assert len(mailoutbox) == 1
