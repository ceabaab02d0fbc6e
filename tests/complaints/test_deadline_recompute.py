"""Every open deadline of a complaint follows a year's holiday schedule when it is loaded or
amended, and a deadline that moves says so in the complaint's timeline.

The working-day rules (DESIGN.md: "every open deadline … is recomputed when a year is loaded or
amended, and its owner sees the change"), with R16 (acknowledgement in 5 working days), R17
(handling) and the Civil Code's counting (民法典 第二百零一条至第二百零三条). Expected dates are
worked out by hand; 2027 is the first year the bundled calendar lacks.
"""

from datetime import date, datetime

import pytest
from django.utils import timezone

from complaints.models import (
    AgencyRequest,
    Complaint,
    ComplaintEvent,
    ReceivedVia,
    RefusalReason,
)
from complaints.services import decisions, register
from complaints.services.deadlines import complaint_deadlines_recompute
from complaints.services.decisions import complaint_accept, complaint_refuse
from complaints.services.handling import complaint_ask_agency
from workdays.services import DayInput, calendar_year_load

from .test_register import file_complaint

pytestmark = pytest.mark.django_db

D = date.fromisoformat
MOVED = ComplaintEvent.Kind.DEADLINE_MOVED


def schedule_2027(*extra: DayInput) -> list[DayInput]:
    """A 2027 schedule in the State Council's shape (test data): Spring Festival 6–13 February,
    Saturday 20 February a working day."""
    days = [DayInput(date=D("2027-01-01"), kind="holiday", name="元旦")]
    days += [DayInput(date=date(2027, 2, d), kind="holiday", name="春节") for d in range(6, 14)]
    days += [DayInput(date=D("2027-02-20"), kind="workday", name="春节")]
    return days + list(extra)


def load_2027(days, capture, source="国办发明电〔2026〕9号") -> None:
    with capture(execute=True):
        calendar_year_load(year=2027, days=days, source=source, actor=None)


def received(agency, actor, on: date, monkeypatch) -> Complaint:
    monkeypatch.setattr(register, "localdate", lambda: on)
    return file_complaint(
        agency, actor=actor, received_via=ReceivedVia.PHONE, received_on=on
    ).complaint


def moves(complaint: Complaint) -> list[ComplaintEvent]:
    return list(complaint.timeline.filter(kind=MOVED))


def test_loading_the_year_moves_a_provisional_deadline_and_says_so_in_the_timeline(
    agency_a, city_supervisor, monkeypatch, django_capture_on_commit_callbacks
):
    """Working-day rules, R16: received Wed 3 February 2027, the fallback said Tue 16 February
    (provisional); the loaded schedule says Wed 17 February (Thu 4, Fri 5, Mon 15, Tue 16, Wed
    17). The handlers' timeline tells the old and new dates and why; the complainant's public
    steps do not carry this internal entry."""
    complaint = received(agency_a, city_supervisor, D("2027-02-03"), monkeypatch)
    assert (complaint.acknowledge_by, complaint.acknowledge_provisional) == (D("2027-02-16"), True)
    load_2027(schedule_2027(), django_capture_on_commit_callbacks)

    complaint.refresh_from_db()
    assert (complaint.acknowledge_by, complaint.acknowledge_provisional) == (D("2027-02-17"), False)
    [event] = moves(complaint)
    assert event.note == (
        "受理告知期限由 2027-02-16（暂定） 调整为 2027-02-17："
        "按已载入的 2027 年节假日安排（国办发明电〔2026〕9号）重新计算。"
    )
    assert event.public is False and event.actor is None


def test_recomputing_again_writes_nothing(
    agency_a, city_supervisor, monkeypatch, django_capture_on_commit_callbacks
):
    """Working-day rules: the recompute is idempotent (the task may run twice, and the daily
    sweep runs it again): the second run moves nothing and adds no timeline entry."""
    complaint = received(agency_a, city_supervisor, D("2027-02-03"), monkeypatch)
    load_2027(schedule_2027(), django_capture_on_commit_callbacks)
    assert complaint_deadlines_recompute(2027) == 0
    assert complaint_deadlines_recompute(2026) == 0
    assert len(moves(complaint)) == 1


def test_an_amended_schedule_moves_a_final_deadline_too(
    agency_a, city_supervisor, monkeypatch, django_capture_on_commit_callbacks
):
    """Working-day rules, R17: not only provisional deadlines. Accepted Thu 4 February 2027 with
    60 days (民法典 第二百零一条): Mon 5 April, a working day under the loaded schedule (清明 not
    in it), final. An amendment making 5 April a holiday (清明节) moves it to Tue 6 April (第二百零
    三条), with its reason."""
    load_2027(schedule_2027(), django_capture_on_commit_callbacks)
    complaint = received(agency_a, city_supervisor, D("2027-02-01"), monkeypatch)
    monkeypatch.setattr(decisions, "localdate", lambda: D("2027-02-04"))
    complaint = complaint_accept(complaint=complaint, actor=city_supervisor)
    assert (complaint.handling_due, complaint.handling_provisional) == (D("2027-04-05"), False)

    qingming = DayInput(date=D("2027-04-05"), kind="holiday", name="清明节")
    load_2027(schedule_2027(qingming), django_capture_on_commit_callbacks, source="修订通知")

    complaint.refresh_from_db()
    assert (complaint.handling_due, complaint.due_on) == (D("2027-04-06"), D("2027-04-06"))
    [event] = moves(complaint)
    assert event.note == (
        "办理期限由 2027-04-05 调整为 2027-04-06："
        "按已载入的 2027 年节假日安排（修订通知）重新计算。"
    )


def test_a_deadline_that_only_loses_its_provisional_mark_adds_no_entry(
    agency_a, city_supervisor, monkeypatch, django_capture_on_commit_callbacks
):
    """Working-day rules, R16: received Mon 28 December 2026 → Tue 5 January 2027 both on the
    fallback and on the loaded schedule: the date is confirmed, nothing moved, nothing told."""
    complaint = received(agency_a, city_supervisor, D("2026-12-28"), monkeypatch)
    assert (complaint.acknowledge_by, complaint.acknowledge_provisional) == (D("2027-01-05"), True)
    load_2027(schedule_2027(), django_capture_on_commit_callbacks)
    complaint.refresh_from_db()
    assert (complaint.acknowledge_by, complaint.acknowledge_provisional) == (D("2027-01-05"), False)
    assert moves(complaint) == []


def test_the_agencys_written_answer_follows_the_schedule_too(
    agency_a, city_supervisor, monkeypatch, django_capture_on_commit_callbacks
):
    """Working-day rules: the agency's 10 working days (a local choice) are an open deadline
    too. Asked on Wed 3 February 2027: the fallback (除夕 to 初三 5–8 February, made up on 9–10)
    gives Thu 4 (1), 11, 12, 15–19, 22, Tue 23 February (10). A schedule with the Spring Festival
    on 5–11 February gives Thu 4 (1), 12, 15–19, 22, 23, Wed 24 February (10)."""
    complaint = received(agency_a, city_supervisor, D("2027-02-01"), monkeypatch)
    monkeypatch.setattr(decisions, "localdate", lambda: D("2027-02-01"))
    complaint = complaint_accept(complaint=complaint, actor=city_supervisor)
    request = complaint_ask_agency(complaint=complaint, actor=city_supervisor, question="请说明。")
    asked = timezone.make_aware(datetime(2027, 2, 3, 10, 0))
    AgencyRequest.objects.filter(pk=request.pk).update(asked_at=asked, respond_by=D("2027-02-23"))
    days = [DayInput(date=date(2027, 2, d), kind="holiday", name="春节") for d in range(5, 12)]

    load_2027(days, django_capture_on_commit_callbacks)

    request.refresh_from_db()
    assert request.respond_by == D("2027-02-24")
    [event] = [e for e in moves(complaint) if "书面说明" in e.note]
    assert event.note.startswith(
        "甲市市场监督管理局书面说明的答复期限由 2027-02-23 调整为 2027-02-24："
    )


def test_a_closed_complaints_deadlines_are_left_alone(
    agency_a, city_supervisor, monkeypatch, django_capture_on_commit_callbacks
):
    """Working-day rules: only open deadlines are recomputed; a refused complaint keeps its dates
    and its timeline."""
    complaint = received(agency_a, city_supervisor, D("2027-02-03"), monkeypatch)
    complaint_refuse(complaint=complaint, actor=city_supervisor, reason=RefusalReason.DUPLICATE)
    load_2027(schedule_2027(), django_capture_on_commit_callbacks)
    complaint.refresh_from_db()
    assert complaint.acknowledge_by == D("2027-02-16")
    assert moves(complaint) == []
