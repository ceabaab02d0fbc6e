"""R23: an unqualified department gets a rectification order with a deadline; it is reminded
working days before the deadline (at most once a day), escalated once overdue to the
supervisors of the region above, and the order is closed with evidence."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessment.models import AgencyResult, CycleEvent, RectificationOrder
from assessment.services.rectification import (
    rectification_close,
    rectification_order,
    rectification_sweep,
)
from portal.roles import Role
from portal.services import user_assign_role
from tests.conftest import client_for
from tests.factories import UserFactory
from workdays.models import SpecialDay

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
TOMORROW = datetime.timedelta(days=1)


def _result(cycle, agency, total):
    total = Decimal(total)
    return AgencyResult.objects.create(
        cycle=cycle,
        agency=agency,
        total=total,
        grade=cycle.grade_for(total),
        performance_score=total,
        computed_at=timezone.now(),
    )


@pytest.fixture
def unqualified(cycle_2026, agency_a):
    return _result(cycle_2026, agency_a, 45)


@pytest.fixture
def province_supervisor(province):
    user = UserFactory(username="province_sv", email="province@example.gov.cn")
    return user_assign_role(user=user, role=Role.SUPERVISOR, actor=None, region=province)


def _order(result, actor, due=None, requirements="完善执法案卷，补正程序瑕疵。"):
    due = due or timezone.localdate() + datetime.timedelta(days=30)
    return rectification_order(result=result, requirements=requirements, due=due, actor=actor)


def test_an_unqualified_department_is_ordered_to_rectify(unqualified, city_supervisor):
    order = _order(unqualified, city_supervisor)
    assert order.status == RectificationOrder.Status.OPEN
    assert (
        CycleEvent.objects.get(kind=CycleEvent.Kind.RECTIFICATION_ORDERED).agency
        == unqualified.agency
    )


def test_a_qualified_result_gets_no_order(cycle_2026, agency_a, city_supervisor):
    with pytest.raises(ValidationError) as refused:
        _order(_result(cycle_2026, agency_a, 75), city_supervisor)
    assert "不合格" in str(refused.value)
    assert not RectificationOrder.objects.exists()


@pytest.mark.parametrize("days", [0, -1])
def test_a_due_date_today_or_past_is_refused(unqualified, city_supervisor, days):
    with pytest.raises(ValidationError):
        _order(
            unqualified, city_supervisor, due=timezone.localdate() + datetime.timedelta(days=days)
        )
    assert not RectificationOrder.objects.exists()


def test_a_second_order_is_refused(unqualified, city_supervisor):
    _order(unqualified, city_supervisor)
    with pytest.raises(ValidationError) as refused:
        _order(unqualified, city_supervisor)
    assert "重复" in str(refused.value)
    assert RectificationOrder.objects.count() == 1


@pytest.mark.parametrize("text", ["", '=HYPERLINK("http://x")', "<script>x</script>"])
def test_bad_requirements_are_refused(unqualified, city_supervisor, text):
    with pytest.raises(ValidationError):
        _order(unqualified, city_supervisor, requirements=text)


def test_only_the_regions_supervisor_orders(unqualified, inspector_a, sysadmin, outsider_b):
    for user in (inspector_a, sysadmin, outsider_b):
        with pytest.raises(PermissionDenied):
            _order(unqualified, user)


def test_closing_needs_a_note_and_an_acceptable_file(
    unqualified, city_supervisor, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    order = _order(unqualified, city_supervisor)
    with pytest.raises(ValidationError) as refused:
        rectification_close(order=order, note="已整改。", file=None, actor=city_supervisor)
    assert "整改证明材料" in str(refused.value)
    with pytest.raises(ValidationError):
        rectification_close(
            order=order,
            note="已整改。",
            file=SimpleUploadedFile("整改报告.pdf", EXE),
            actor=city_supervisor,
        )
    with pytest.raises(ValidationError):
        rectification_close(
            order=order,
            note="",
            file=SimpleUploadedFile("整改报告.pdf", PDF),
            actor=city_supervisor,
        )
    order.refresh_from_db()
    assert order.status == RectificationOrder.Status.OPEN and not order.closing_file
    closed = rectification_close(
        order=order,
        note="已补正 12 卷案卷。",
        file=SimpleUploadedFile("整改报告.pdf", PDF),
        actor=city_supervisor,
    )
    assert closed.status == RectificationOrder.Status.CLOSED and closed.closing_file
    with pytest.raises(ValidationError):
        rectification_close(
            order=closed, note="再次", file=SimpleUploadedFile("b.pdf", PDF), actor=city_supervisor
        )


def test_the_evidence_is_served_to_the_department_not_to_outsiders(
    unqualified, city_supervisor, inspector_a, outsider_b, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    order = _order(unqualified, city_supervisor)
    rectification_close(
        order=order,
        note="已整改。",
        file=SimpleUploadedFile("整改报告.pdf", PDF),
        actor=city_supervisor,
    )
    url = reverse("assessment:rectification-file", args=[order.pk])
    download = client_for(inspector_a).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert client_for(outsider_b).get(url).status_code == 404


def test_the_pages_order_and_close(unqualified, city_supervisor, inspector_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(city_supervisor)
    url = reverse("assessment:rectification-order", args=[unqualified.pk])
    past = client.post(url, {"requirements": "整改", "due": "2020-01-01"})
    assert past.status_code == 400 and "整改期限应晚于今天" in past.content.decode()
    malformed = client.post(url, {"requirements": "整改", "due": "2026-13-45"})
    assert malformed.status_code == 400 and "YYYY-MM-DD" in malformed.content.decode()
    due = timezone.localdate() + datetime.timedelta(days=20)
    assert client.post(url, {"requirements": "整改", "due": f"{due:%Y-%m-%d}"}).status_code == 302
    order = RectificationOrder.objects.get()
    close = reverse("assessment:rectification-close", args=[order.pk])
    assert client_for(inspector_a).post(close, {"note": "x"}).status_code == 403
    exe = client.post(close, {"note": "已整改", "file": SimpleUploadedFile("a.pdf", EXE)})
    assert exe.status_code == 400 and "不是可接受的" in exe.content.decode()
    assert (
        client.post(close, {"note": "已整改", "file": SimpleUploadedFile("a.pdf", PDF)}).status_code
        == 302
    )
    assert (
        client_for(inspector_a)
        .get(reverse("assessment:rectification", args=[order.pk]))
        .status_code
        == 200
    )


# --- the sweep: dates to the day --------------------------------------------------------------


@pytest.fixture
def may_day_order(unqualified, city_supervisor, agency_a):
    """Due Friday 2026-05-08; 1–5 May are the Labour Day holiday (bundled in the calendar)."""
    UserFactory(username="a_staff_mail", email="staff@example.gov.cn")
    user_assign_role(
        user=UserFactory(username="a_staff_mail"),
        role=Role.AGENCY_STAFF,
        actor=None,
        agency=agency_a,
    )
    order = _order(unqualified, city_supervisor)
    RectificationOrder.objects.filter(pk=order.pk).update(due=datetime.date(2026, 5, 8))
    order.refresh_from_db()
    return order


def test_the_calendar_has_the_may_day_holiday(may_day_order):
    assert SpecialDay.objects.filter(date=datetime.date(2026, 5, 4)).exists()


def test_the_reminder_counts_working_days_across_the_holiday(may_day_order):
    """Five working days before Fri 8 May, across 1–5 May: from Tue 28 April
    (29, 30 Apr, 6, 7, 8 May are the five working days after it)."""
    assert rectification_sweep(today=datetime.date(2026, 4, 27))["reminded"] == 0
    assert rectification_sweep(today=datetime.date(2026, 4, 28))["reminded"] == 1
    may_day_order.refresh_from_db()
    assert may_day_order.reminded_on == datetime.date(2026, 4, 28)
    assert mail.outbox[-1].to == ["staff@example.gov.cn"]


def test_the_reminder_is_sent_at_most_once_a_day(may_day_order):
    assert rectification_sweep(today=datetime.date(2026, 5, 6))["reminded"] == 1
    assert rectification_sweep(today=datetime.date(2026, 5, 6))["reminded"] == 0
    assert rectification_sweep(today=datetime.date(2026, 5, 7))["reminded"] == 1
    assert CycleEvent.objects.filter(kind=CycleEvent.Kind.RECTIFICATION_REMINDED).count() == 2


def test_the_due_day_itself_is_not_overdue(may_day_order):
    outcome = rectification_sweep(today=datetime.date(2026, 5, 8))
    assert outcome["escalated"] == 0
    may_day_order.refresh_from_db()
    assert may_day_order.status == RectificationOrder.Status.OPEN


def test_an_overdue_order_is_escalated_once_to_the_region_above(may_day_order, province_supervisor):
    outcome = rectification_sweep(today=datetime.date(2026, 5, 9))
    assert outcome == {"reminded": 0, "escalated": 1, "emails": 1}
    may_day_order.refresh_from_db()
    assert may_day_order.status == RectificationOrder.Status.OVERDUE
    assert may_day_order.escalated_on == datetime.date(2026, 5, 9)
    assert mail.outbox[-1].to == ["province@example.gov.cn"]
    assert "甲市市场监督管理局" in mail.outbox[-1].body
    again = rectification_sweep(today=datetime.date(2026, 5, 10))
    assert again["escalated"] == 0
    assert CycleEvent.objects.filter(kind=CycleEvent.Kind.RECTIFICATION_ESCALATED).count() == 1


def test_a_closed_order_is_neither_reminded_nor_escalated(may_day_order, city_supervisor):
    RectificationOrder.objects.filter(pk=may_day_order.pk).update(
        status="closed", closing_note="已整改", closed_at=timezone.now(), closed_by=city_supervisor
    )
    assert rectification_sweep(today=datetime.date(2026, 5, 6))["reminded"] == 0
    assert rectification_sweep(today=datetime.date(2026, 5, 20))["escalated"] == 0


def test_the_beat_runs_the_sweep(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["assessment-sweep-rectification-orders"]
    assert entry["task"] == "assessment.tasks.results.sweep_rectification_orders"
    from assessment.tasks.results import sweep_rectification_orders

    assert sweep_rectification_orders.name == entry["task"]
