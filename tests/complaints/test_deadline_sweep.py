"""R16, R17: the deadline sweep reminds and escalates each complaint exactly once, and the
outbox delivers every notice once, even when a run dies or the broker is down."""

import time
from datetime import date

import pytest
from django.core import mail

from complaints import tasks
from complaints.models import Complaint, ComplaintEvent, Notification, ReceivedVia
from complaints.services import deadlines
from complaints.services.deadlines import complaint_deadlines_sweep
from complaints.services.decisions import complaint_accept
from complaints.services.notifications import notifications_deliver
from complaints.sms import LogBackend

from .test_register import file_complaint

D = date.fromisoformat


@pytest.fixture(autouse=True)
def sms_outbox(monkeypatch):
    monkeypatch.setattr(LogBackend, "outbox", [])
    return LogBackend.outbox


@pytest.fixture
def due_monday(agency_a, city_supervisor):
    """Received by phone Mon 16 Nov 2026: to be acknowledged by Mon 23 Nov."""
    complaint = file_complaint(
        agency_a, actor=city_supervisor, received_via=ReceivedVia.PHONE, received_on=D("2026-11-16")
    ).complaint
    assert complaint.due_on == D("2026-11-23")
    return complaint


def fresh(complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)


def kinds(complaint, kind) -> int:
    return complaint.timeline.filter(kind=kind).count()


@pytest.mark.django_db
def test_it_reminds_the_regions_supervisors_two_working_days_ahead_once(due_monday):
    """R16: before a handler is assigned the supervisors are reminded, on Thu 19 Nov (two
    working days before Mon 23), not on Wed 18; a second run sends nothing more."""
    assert complaint_deadlines_sweep(today=D("2026-11-18")) == {"reminded": 0, "escalated": 0}
    assert complaint_deadlines_sweep(today=D("2026-11-19")) == {"reminded": 1, "escalated": 0}
    assert complaint_deadlines_sweep(today=D("2026-11-19")) == {"reminded": 0, "escalated": 0}
    assert complaint_deadlines_sweep(today=D("2026-11-20")) == {"reminded": 0, "escalated": 0}
    (notice,) = Notification.objects.filter(key__contains=":remind:")
    assert notice.recipients == ["city_supervisor@example.gov.cn"]
    assert due_monday.number in notice.body and "受理告知" in notice.body
    assert fresh(due_monday).reminded_on == D("2026-11-19")
    assert kinds(due_monday, ComplaintEvent.Kind.REMINDED) == 1


@pytest.mark.django_db
def test_it_escalates_once_the_deadline_has_passed_and_only_once(due_monday):
    """R16: on the day after the deadline the supervisors are told it was missed, once."""
    assert complaint_deadlines_sweep(today=D("2026-11-23"))["escalated"] == 0
    assert complaint_deadlines_sweep(today=D("2026-11-24"))["escalated"] == 1
    assert complaint_deadlines_sweep(today=D("2026-11-24"))["escalated"] == 0
    assert complaint_deadlines_sweep(today=D("2026-11-30"))["escalated"] == 0
    (notice,) = Notification.objects.filter(key__contains=":escalate:")
    assert notice.recipients == ["city_supervisor@example.gov.cn"]
    assert kinds(due_monday, ComplaintEvent.Kind.ESCALATED) == 1


@pytest.mark.django_db
def test_the_handler_is_reminded_of_the_handling_deadline(due_monday, city_supervisor, city_a):
    """R17: once accepted and assigned, the handling deadline applies and reaches the handler."""
    from portal.roles import Role
    from portal.services import user_assign_role
    from tests.factories import UserFactory

    handler = user_assign_role(
        user=UserFactory(username="handler_a"), role=Role.SUPERVISOR, actor=None, region=city_a
    )
    complaint = complaint_accept(complaint=due_monday, actor=city_supervisor, handler=handler)
    assert complaint.due_on == complaint.handling_due
    complaint_deadlines_sweep(today=complaint.handling_due)
    (notice,) = Notification.objects.filter(key__contains=":remind:")
    assert notice.recipients == ["handler_a@example.gov.cn"] and "办理期限" in notice.body


@pytest.mark.django_db
def test_decided_complaints_are_not_swept(due_monday, city_supervisor):
    """R16: a refused complaint has no deadline left to remind of."""
    from complaints.services.decisions import complaint_refuse

    complaint_refuse(complaint=due_monday, actor=city_supervisor, reason="duplicate")
    assert complaint_deadlines_sweep(today=D("2026-12-31")) == {"reminded": 0, "escalated": 0}


@pytest.mark.django_db
def test_a_run_that_dies_mid_way_leaves_nothing_marked_so_the_next_run_sends(
    due_monday, monkeypatch
):
    """R16: the claim and the notices are one transaction; a crash gives the claim back."""

    def broken(notices):
        raise RuntimeError("worker killed")

    with monkeypatch.context() as patch:
        patch.setattr(deadlines, "queue", broken)
        with pytest.raises(RuntimeError):
            complaint_deadlines_sweep(today=D("2026-11-24"))
    complaint = fresh(due_monday)
    assert (complaint.reminded_on, complaint.escalated_on) == (None, None)
    assert not complaint.timeline.filter(kind__in=["reminded", "escalated"]).exists()
    assert complaint_deadlines_sweep(today=D("2026-11-24")) == {"reminded": 1, "escalated": 1}
    assert Notification.objects.filter(key__regex=r":(remind|escalate):").count() == 2


@pytest.mark.django_db
def test_a_broker_down_at_intake_loses_nothing_and_the_sweep_sends_once(
    agency_a, monkeypatch, mailoutbox, sms_outbox, django_capture_on_commit_callbacks
):
    """Conventions: a lost broker never loses a complaint; the outbox row waits for the
    sweep, which sends it once however often it runs."""

    def broker_down(*args, **kwargs):
        raise ConnectionError("redis: connection refused")

    monkeypatch.setattr(tasks.deliver_notifications, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        receipt = file_complaint(agency_a)
    assert Complaint.objects.filter(number=receipt.number).exists()
    assert Notification.objects.filter(sent_at__isnull=True).count() == 2  # e-mail and SMS
    assert mailoutbox == [] and sms_outbox == []

    result = tasks.sweep_deadlines.apply().get()
    assert result["delivered"] == 2
    assert notifications_deliver() == 0
    assert tasks.deliver_pending_notifications.apply().get() == 0
    assert len(mailoutbox) == 1 and len(sms_outbox) == 1
    assert receipt.number in mailoutbox[0].body
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_failed_send_is_kept_for_the_next_run(agency_a, monkeypatch):
    """One bad address does not lose the notice: the error is recorded and it is retried."""
    from complaints.services import notifications

    file_complaint(agency_a, phone="")

    def smtp_down(notification):
        raise OSError("SMTP down")

    with monkeypatch.context() as patch:
        patch.setattr(notifications, "_send", smtp_down)
        assert notifications_deliver() == 0
    notice = Notification.objects.get()
    assert (notice.attempts, notice.last_error, notice.sent_at) == (1, "SMTP down", None)
    assert notifications_deliver() == 1
    assert Notification.objects.get().attempts == 2


@pytest.mark.django_db
def test_a_notice_that_keeps_failing_stops_being_retried(agency_a, monkeypatch):
    """After MAX_ATTEMPTS the notice waits, unsent with its error, for a person to look at."""
    from complaints.services import notifications

    file_complaint(agency_a, phone="")

    def smtp_down(notification):
        raise OSError("SMTP down")

    monkeypatch.setattr(notifications, "_send", smtp_down)
    for _ in range(notifications.MAX_ATTEMPTS + 3):
        notifications_deliver()
    notice = Notification.objects.get()
    assert notice.attempts == notifications.MAX_ATTEMPTS
    assert notice.sent_at is None and notice.last_error == "SMTP down"


@pytest.mark.django_db(transaction=True)
def test_a_notice_queued_on_commit_is_delivered_by_a_real_worker(
    bundled_calendar, celery_worker, agency_a, sms_outbox
):
    """Conventions: after commit the notice goes through the broker to a worker, which sends it
    (in-process when no broker is configured)."""
    mail.outbox = []
    receipt = file_complaint(agency_a)
    deadline = time.monotonic() + 30
    while Notification.objects.filter(sent_at__isnull=True).exists():
        assert time.monotonic() < deadline, "the worker never delivered the notice"
        time.sleep(0.1)
    assert Notification.objects.filter(complaint=receipt.complaint).count() == 2
    assert [m.to for m in mail.outbox] == [["zhangsan@example.com"]]
    assert len(sms_outbox) == 1


@pytest.mark.django_db
def test_a_handler_without_an_email_address_leaves_the_reminder_to_the_supervisors(
    due_monday, city_supervisor, city_a
):
    """R17: a reminder marked as sent must reach someone."""
    from portal.roles import Role
    from portal.services import user_assign_role
    from tests.factories import UserFactory

    handler = user_assign_role(
        user=UserFactory(username="no_mail", email=""),
        role=Role.SUPERVISOR,
        actor=None,
        region=city_a,
    )
    complaint = complaint_accept(complaint=due_monday, actor=city_supervisor, handler=handler)
    complaint_deadlines_sweep(today=complaint.handling_due)
    (notice,) = Notification.objects.filter(key__contains=":remind:")
    assert notice.recipients == ["city_supervisor@example.gov.cn"]
