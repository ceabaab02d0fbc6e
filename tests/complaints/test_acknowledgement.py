"""R16: within 5 working days of receipt the complainant is told whether it is accepted.

The expected dates below are worked out by hand from the State Council's 2026 schedule
as loaded in the calendar; the day of receipt is not counted.
"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from complaints.models import Complaint, ReceivedVia
from complaints.services import register
from complaints.services.deadlines import complaint_deadlines_sweep
from workdays.services import DayInput, calendar_year_load

from .test_register import file_complaint

pytestmark = pytest.mark.django_db

D = date.fromisoformat


def by_phone(agency, actor, received_on):
    return file_complaint(
        agency, actor=actor, received_via=ReceivedVia.PHONE, received_on=received_on
    ).complaint


def test_a_complaint_received_before_national_day_waits_for_the_holiday(agency_a, city_supervisor):
    """R16: received Wed 30 Sep 2026. 1–7 Oct are the National Day holiday; Thu 8 (1), Fri 9 (2),
    Sat 10 Oct is a working day (调休) (3), Mon 12 (4), Tue 13 Oct (5)."""
    complaint = by_phone(agency_a, city_supervisor, D("2026-09-30"))
    assert complaint.acknowledge_by == D("2026-10-13")
    assert complaint.acknowledge_provisional is False
    assert complaint.due_on == D("2026-10-13")


def test_a_complaint_received_on_the_eve_of_the_spring_festival(agency_a, city_supervisor):
    """R16: received Fri 13 Feb 2026. Sat 14 Feb is a working day (1); 15–23 Feb are the Spring
    Festival holiday; Tue 24 (2), Wed 25 (3), Thu 26 (4), Fri 27 Feb (5)."""
    assert by_phone(agency_a, city_supervisor, D("2026-02-13")).acknowledge_by == D("2026-02-27")


def test_a_complaint_received_on_the_working_saturday_counts_the_next_working_saturday(
    agency_a, city_supervisor
):
    """R16: received Sat 14 Feb 2026 (调休): 24, 25, 26, 27 Feb, then Sat 28 Feb (调休) (5)."""
    assert by_phone(agency_a, city_supervisor, D("2026-02-14")).acknowledge_by == D("2026-02-28")


def test_a_complaint_received_on_a_saturday_counts_from_the_monday(agency_a, city_supervisor):
    """R16: received Sat 21 Nov 2026; Mon 23 to Fri 27 Nov are the five working days."""
    assert by_phone(agency_a, city_supervisor, D("2026-11-21")).acknowledge_by == D("2026-11-27")


def test_a_deadline_in_an_unloaded_year_is_provisional_until_the_year_is_loaded(
    agency_a, city_supervisor, monkeypatch, django_capture_on_commit_callbacks
):
    """R16 and the calendar rule: 2027 is not loaded, so Mon–Fri minus the holidays under the
    rules since 2025 (放假办法 第二条、第六条) are assumed and the date is marked provisional;
    loading 2027 recomputes it, clears the mark and re-arms the reminder.

    Received Wed 3 Feb 2027. Provisional: Thu 4 (1), then 除夕 to 初三 (5–8 Feb) and their
    make-up days (9–10 Feb), Thu 11 (2), Fri 12 (3), Mon 15 (4), Tue 16 (5). (Before issue 11
    the fallback knew no lunar holiday and said Wed 10 Feb.) With a 2027 schedule whose Spring
    Festival is 6–13 Feb: Thu 4 (1), Fri 5 (2), then Mon 15 (3), Tue 16 (4), Wed 17 Feb (5)."""
    monkeypatch.setattr(register, "localdate", lambda: D("2027-02-03"))
    complaint = by_phone(agency_a, city_supervisor, D("2027-02-03"))
    assert (complaint.acknowledge_by, complaint.acknowledge_provisional) == (D("2027-02-16"), True)
    complaint_deadlines_sweep(today=D("2027-02-12"))  # two working days ahead: 15, 16 Feb
    assert Complaint.objects.get(pk=complaint.pk).reminded_on == D("2027-02-12")

    days = [DayInput(date=D("2027-01-01"), kind="holiday", name="元旦")]
    days += [DayInput(date=date(2027, 2, d), kind="holiday", name="春节") for d in range(6, 14)]
    days += [DayInput(date=D("2027-02-20"), kind="workday", name="春节")]
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(year=2027, days=days, source="测试用 2027 年安排", actor=None)

    complaint.refresh_from_db()
    assert complaint.acknowledge_by == D("2027-02-17")
    assert complaint.acknowledge_provisional is False
    assert complaint.due_on == D("2027-02-17")
    assert complaint.reminded_on is None


def test_a_deadline_across_new_year_is_provisional_then_confirmed(
    agency_a, city_supervisor, monkeypatch, django_capture_on_commit_callbacks
):
    """R16: received Mon 28 Dec 2026; 29, 30, 31 Dec, (1 Jan is a fixed holiday), Mon 4 (4),
    Tue 5 Jan 2027 (5): provisional until 2027 is loaded, then the same date, confirmed."""
    monkeypatch.setattr(register, "localdate", lambda: D("2026-12-28"))
    complaint = by_phone(agency_a, city_supervisor, D("2026-12-28"))
    assert (complaint.acknowledge_by, complaint.acknowledge_provisional) == (D("2027-01-05"), True)
    days = [DayInput(date=date(2027, 1, d), kind="holiday", name="元旦") for d in (1, 2, 3)]
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(year=2027, days=days, source="测试用 2027 年安排", actor=None)
    complaint.refresh_from_db()
    assert (complaint.acknowledge_by, complaint.acknowledge_provisional) == (D("2027-01-05"), False)


def test_a_supervisor_registering_a_letter_starts_the_clock_at_its_receipt(
    agency_a, city_supervisor
):
    """R16: the period runs from when the complaint was received, not from its registration."""
    complaint = file_complaint(
        agency_a,
        actor=city_supervisor,
        received_via=ReceivedVia.LETTER,
        received_on=D("2026-11-02"),
    ).complaint
    assert complaint.received_on == D("2026-11-02")
    assert complaint.registered_by == city_supervisor
    assert complaint.acknowledge_by == D("2026-11-09")  # Tue 3 … Mon 9 Nov


def test_a_receipt_date_in_the_future_is_refused(agency_a, city_supervisor, monkeypatch):
    """R16: the clock cannot be started later than today."""
    monkeypatch.setattr(register, "localdate", lambda: D("2026-11-25"))
    with pytest.raises(ValidationError) as caught:
        by_phone(agency_a, city_supervisor, D("2026-11-26"))
    assert "received_on" in caught.value.message_dict
    assert not Complaint.objects.exists()


def test_the_public_cannot_choose_the_receipt_date_or_channel(agency_a, monkeypatch):
    """R16: a web complaint is received the day it is filed."""
    monkeypatch.setattr(register, "localdate", lambda: D("2026-11-25"))
    complaint = file_complaint(
        agency_a, received_on=D("2026-10-01"), received_via=ReceivedVia.LETTER
    ).complaint
    assert complaint.received_on == D("2026-11-25")
    assert complaint.received_via == ReceivedVia.WEB
    assert complaint.registered_by is None
    assert complaint.acknowledge_by == D("2026-12-02")  # Thu 26 … Wed 2 Dec


def test_only_a_supervisor_of_the_region_registers_for_its_agencies(
    agency_a, outsider_b, inspector_a, agency_b, city_supervisor
):
    """R15, R16: staff cannot backdate complaints, nor a supervisor for another city."""
    for actor in (outsider_b, inspector_a):
        with pytest.raises(PermissionDenied):
            by_phone(agency_a, actor, D("2026-11-02"))
    with pytest.raises(PermissionDenied):
        by_phone(agency_b, city_supervisor, D("2026-11-02"))
    assert not Complaint.objects.exists()


def test_an_amended_schedule_moves_deadlines_that_were_not_provisional(
    agency_a, city_supervisor, monkeypatch, django_capture_on_commit_callbacks
):
    """R16 and the calendar rule: the State Council has amended a published schedule before
    (2020's longer Spring Festival); deadlines computed from the first one must follow.

    Received Wed 3 Feb 2027 under a schedule without holidays in February: Wed 10 Feb. The
    amended schedule makes 8–12 Feb holidays: Thu 4 (1), Fri 5 (2), Mon 15 (3), Tue 16 (4),
    Wed 17 Feb (5)."""
    new_year = [DayInput(date=D("2027-01-01"), kind="holiday", name="元旦")]
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(year=2027, days=new_year, source="第一版", actor=None)
    monkeypatch.setattr(register, "localdate", lambda: D("2027-02-03"))
    complaint = by_phone(agency_a, city_supervisor, D("2027-02-03"))
    assert (complaint.acknowledge_by, complaint.acknowledge_provisional) == (D("2027-02-10"), False)

    spring = [DayInput(date=date(2027, 2, d), kind="holiday", name="春节") for d in range(8, 13)]
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(year=2027, days=new_year + spring, source="修订版", actor=None)
    complaint.refresh_from_db()
    assert (complaint.acknowledge_by, complaint.due_on) == (D("2027-02-17"), D("2027-02-17"))
