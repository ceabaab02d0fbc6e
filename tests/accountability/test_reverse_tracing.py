"""R27: reverse tracing (倒查). A substantiated complaint's own history is checked and each failure
opens one clue against the person who failed, naming the unit's principal responsibility and the
supervising office's supervisory responsibility, shown beside the original clue."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accountability.models import Clue
from accountability.services.clues import clue_register
from accountability.services.intake import clue_from_complaint
from accountability.services.tracing import complaint_trace
from complaints.models import Complaint, RefusalReason, Result
from complaints.services.decisions import complaint_accept, complaint_refuse
from complaints.services.handling import complaint_assign, complaint_close, complaint_refer
from tests.complaints.test_register import file_complaint
from tests.conftest import client_for

from .conftest import D

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOTE = "投诉属实，移送责任追究。"


def at(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def substantiate(agency, decider, handler, **overrides):
    complaint = file_complaint(agency, **overrides).complaint
    complaint = complaint_accept(complaint=complaint, actor=decider)
    complaint = complaint_assign(complaint=complaint, actor=decider, handler=handler)
    return complaint_close(
        complaint=complaint,
        actor=handler,
        result=Result.SUBSTANTIATED,
        measures="责令改正。",
        feedback="经核查，投诉属实。",
    )


def traces_of(complaint):
    return list(Clue.objects.filter(traced_complaint=complaint).order_by("pk"))


def test_an_on_time_complaint_opens_no_traced_clue(substantiated, city_supervisor):
    """R27: nothing failed, nothing is traced."""
    clue = clue_from_complaint(complaint=substantiated, note=NOTE, actor=city_supervisor)
    assert traces_of(substantiated) == []
    assert list(clue.traces.all()) == []
    assert Clue.objects.count() == 1


def test_a_late_acknowledgement_opens_one_clue_against_who_decided(
    substantiated, city_supervisor, agency_a, city_a_legal_office
):
    """R27: decided at 00:30 Shanghai the day after the deadline (still the deadline's day in
    UTC) is late; direct responsibility of the decider, principal of the unit, supervisory of
    the city's legal office."""
    due = substantiated.acknowledge_by
    Complaint.objects.filter(pk=substantiated.pk).update(
        decided_at=at(due + timedelta(days=1), 0, 30)
    )
    clue = clue_from_complaint(complaint=substantiated, note=NOTE, actor=city_supervisor)
    [trace] = traces_of(substantiated)
    assert trace.trace_check == Clue.TraceCheck.LATE_ACKNOWLEDGEMENT
    assert trace.traced_person == city_supervisor
    assert trace.responsibility == Clue.Responsibility.DIRECT
    assert trace.agency == agency_a
    assert trace.supervising_office == city_a_legal_office
    assert trace.source == Clue.Source.REVERSE
    assert trace.traced_from == clue
    assert list(clue.traces.all()) == [trace]


def test_a_decision_late_in_the_evening_of_the_deadline_is_on_time(substantiated, city_supervisor):
    """R27: 23:30 in Shanghai on the deadline's day is the next day in UTC but not late."""
    due = substantiated.acknowledge_by
    Complaint.objects.filter(pk=substantiated.pk).update(decided_at=at(due, 23, 30))
    clue_from_complaint(complaint=substantiated, note=NOTE, actor=city_supervisor)
    assert traces_of(substantiated) == []


def test_a_missed_handling_deadline_opens_one_clue_against_the_handler(
    substantiated, city_supervisor, colleague
):
    """R27: closed after its handling due date (extensions included in `handling_due`)."""
    closed = timezone.localdate(substantiated.closed_at)
    Complaint.objects.filter(pk=substantiated.pk).update(handling_due=closed - timedelta(days=1))
    clue_from_complaint(complaint=substantiated, note=NOTE, actor=city_supervisor)
    [trace] = traces_of(substantiated)
    assert trace.trace_check == Clue.TraceCheck.HANDLING_OVERDUE
    assert trace.traced_person == colleague
    assert trace.responsibility == Clue.Responsibility.DIRECT


def test_closing_on_the_handling_due_date_is_on_time(substantiated, city_supervisor):
    closed = timezone.localdate(substantiated.closed_at)
    Complaint.objects.filter(pk=substantiated.pk).update(handling_due=closed)
    clue_from_complaint(complaint=substantiated, note=NOTE, actor=city_supervisor)
    assert traces_of(substantiated) == []


def test_an_earlier_refusal_of_the_same_matter_opens_one_clue_against_who_refused(
    agency_a, city_supervisor, colleague, legal_office_a
):
    """R27: a refused complaint cannot be reopened, so a refusal is found wrong when the same
    matter (same fingerprint) is later substantiated; the refuser bears direct responsibility."""
    earlier = file_complaint(agency_a).complaint
    complaint_refuse(
        complaint=earlier,
        actor=city_supervisor,
        reason=RefusalReason.OTHER,
        note="不属于受理范围。",
    )
    later = substantiate(agency_a, city_supervisor, colleague)
    Complaint.objects.filter(pk=earlier.pk).update(
        fingerprint=later.fingerprint, registered_at=later.registered_at - timedelta(days=90)
    )
    clue_from_complaint(complaint=later, note=NOTE, actor=city_supervisor)
    [trace] = traces_of(later)
    assert trace.trace_check == Clue.TraceCheck.WRONG_REFUSAL
    assert trace.traced_person == city_supervisor
    assert trace.responsibility == Clue.Responsibility.DIRECT
    assert earlier.number in trace.summary


def _referred_then_registered(complaint, actor, referred_on, registered_on):
    complaint_refer(complaint=complaint, actor=actor, note=NOTE)
    Complaint.objects.filter(pk=complaint.pk).update(referred_at=at(referred_on, 10))
    clue = clue_register(
        region=actor.region,
        agency=complaint.agency,
        source=Clue.Source.COMPLAINT,
        summary=NOTE,
        received_on=timezone.localdate(),
        actor=actor,
        complaint=complaint,
    )
    Clue.objects.filter(pk=clue.pk).update(registered_at=at(registered_on, 10))
    return clue


@pytest.mark.parametrize("traced", [False, True])
def test_a_referral_not_registered_in_time_is_counted_in_working_days_across_the_holiday(
    substantiated, city_supervisor, city_a_legal_office, settings, traced
):
    """R27: referred on 30 September 2026 with 5 working days: the National Day holiday is
    skipped; registering on the last day is on time, the next day is late (the supervising
    office's supervisory responsibility, nobody's direct one)."""
    from workdays.deadlines import add_working_days

    settings.ACCOUNTABILITY_REFERRAL_WORKING_DAYS = 5
    limit = add_working_days(start=D("2026-09-30"), days=5).deadline
    # Five working days after 30 September fall on 13 October, not 8 October: the holiday's
    # days are not counted (the bundled 2026 schedule).
    assert limit == D("2026-10-13")
    registered_on = limit + timedelta(days=1 if traced else 0)
    clue = _referred_then_registered(substantiated, city_supervisor, D("2026-09-30"), registered_on)
    opened = complaint_trace(complaint=substantiated, actor=city_supervisor)
    if not traced:
        assert opened == []
        return
    [trace] = opened
    assert trace.trace_check == Clue.TraceCheck.REFERRAL_IDLE
    assert trace.traced_person is None
    assert trace.responsibility == Clue.Responsibility.SUPERVISORY
    assert trace.agency == city_a_legal_office
    assert trace.traced_from == clue


def test_a_malformed_referral_setting_is_loud(substantiated, city_supervisor, settings):
    settings.ACCOUNTABILITY_REFERRAL_WORKING_DAYS = "5"
    complaint_refer(complaint=substantiated, actor=city_supervisor, note=NOTE)
    with pytest.raises(ImproperlyConfigured):
        complaint_trace(complaint=substantiated, actor=city_supervisor)


def test_tracing_twice_opens_nothing_new(substantiated, city_supervisor):
    """R27: idempotent; each failure is traced once."""
    due = substantiated.acknowledge_by
    Complaint.objects.filter(pk=substantiated.pk).update(
        decided_at=at(due + timedelta(days=3), 9),
        handling_due=timezone.localdate(substantiated.closed_at) - timedelta(days=2),
    )
    clue_from_complaint(complaint=substantiated, note=NOTE, actor=city_supervisor)
    assert len(traces_of(substantiated)) == 2
    assert complaint_trace(complaint=substantiated, actor=city_supervisor) == []
    assert complaint_trace(complaint=substantiated) == []
    assert len(traces_of(substantiated)) == 2


def test_only_a_supervisor_over_the_unit_may_trace(substantiated, city_b_supervisor, inspector_a):
    for actor in (city_b_supervisor, inspector_a):
        with pytest.raises(PermissionDenied):
            complaint_trace(complaint=substantiated, actor=actor)


def _late(complaint):
    Complaint.objects.filter(pk=complaint.pk).update(
        decided_at=at(complaint.acknowledge_by + timedelta(days=2), 9),
        handling_due=timezone.localdate(complaint.closed_at) - timedelta(days=1),
    )


def test_tracing_takes_the_same_number_of_queries_whatever_the_data_size(
    agency_a, city_supervisor, colleague
):
    """R27: a fixed number of queries per complaint."""

    def measure():
        complaint = substantiate(agency_a, city_supervisor, colleague)
        _late(complaint)
        complaint_refer(complaint=complaint, actor=city_supervisor, note=NOTE)
        with CaptureQueriesContext(connection) as queries:
            opened = complaint_trace(complaint=complaint, actor=city_supervisor)
        assert len(opened) == 2
        return len(queries)

    small = measure()
    for _ in range(4):
        other = substantiate(agency_a, city_supervisor, colleague)
        _late(other)
        clue_from_complaint(complaint=other, note=NOTE, actor=city_supervisor)
    assert measure() == small


def test_the_original_page_lists_its_traces_and_a_trace_names_who_failed(
    substantiated, city_supervisor
):
    Complaint.objects.filter(pk=substantiated.pk).update(
        decided_at=at(substantiated.acknowledge_by + timedelta(days=1), 9)
    )
    clue = clue_from_complaint(complaint=substantiated, note=NOTE, actor=city_supervisor)
    [trace] = traces_of(substantiated)
    client = client_for(city_supervisor)
    page = client.get(reverse("accountability:clue-detail", args=[clue.pk])).content.decode()
    assert trace.number in page and "逾期作出受理决定" in page
    page = client.get(reverse("accountability:clue-detail", args=[trace.pk])).content.decode()
    assert clue.number in page
    assert "直接责任" in page and "主体责任" in page and "监督责任" in page
    assert str(city_supervisor) in page


def test_the_supervisors_button_traces_a_complaint_clue(substantiated, city_supervisor):
    clue = clue_from_complaint(complaint=substantiated, note=NOTE, actor=city_supervisor)
    Complaint.objects.filter(pk=substantiated.pk).update(
        handling_due=timezone.localdate(substantiated.closed_at) - timedelta(days=1)
    )
    client = client_for(city_supervisor)
    url = reverse("accountability:clue-trace", args=[clue.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert len(traces_of(substantiated)) == 1


def test_the_button_refuses_a_clue_not_from_a_complaint(clue, city_supervisor):
    response = client_for(city_supervisor).post(
        reverse("accountability:clue-trace", args=[clue.pk])
    )
    assert response.status_code == 400
    assert "只有来源于投诉的线索可以倒查" in response.content.decode()


def test_a_supervisor_of_city_b_cannot_see_city_a_traced_clues(
    substantiated, city_supervisor, city_b_supervisor, outsider_b
):
    """R27 scoping: another city's supervisor or staff gets 404 for the trace and the button."""
    Complaint.objects.filter(pk=substantiated.pk).update(
        decided_at=at(substantiated.acknowledge_by + timedelta(days=1), 9)
    )
    clue = clue_from_complaint(complaint=substantiated, note=NOTE, actor=city_supervisor)
    [trace] = traces_of(substantiated)
    client = client_for(city_b_supervisor)
    assert client.get(reverse("accountability:clue-detail", args=[trace.pk])).status_code == 404
    assert client.post(reverse("accountability:clue-trace", args=[clue.pk])).status_code == 404
    assert client_for(outsider_b).get(
        reverse("accountability:clue-detail", args=[trace.pk])
    ).status_code in (403, 404)


def test_the_clue_api_carries_the_trace(substantiated, city_supervisor, colleague):
    """R27: the API shows who failed, what and which responsibility."""
    closed = timezone.localdate(substantiated.closed_at)
    Complaint.objects.filter(pk=substantiated.pk).update(handling_due=closed - timedelta(days=1))
    clue_from_complaint(complaint=substantiated, note=NOTE, actor=city_supervisor)
    [trace] = traces_of(substantiated)
    body = client_for(city_supervisor).get(reverse("api:accountability-clue", args=[trace.pk]))
    data = body.json()
    assert data["traced_person"] == colleague.pk
    assert data["trace_check"] == "handling_overdue"
    assert data["responsibility"] == "direct"
    assert data["traced_complaint"] == substantiated.pk
