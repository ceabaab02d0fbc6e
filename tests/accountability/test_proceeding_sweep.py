"""R24: each open step of an accountability case is reminded to the handler once before its
limit (within two working days) and escalated once after it to the supervisors of the region
above; a second run sends nothing. The limits counted in working days follow the holiday
schedule when it changes (the workdays hook)."""

import pytest
from django.core import mail

from accountability.models import Proceeding, ProceedingEvent
from accountability.services.proceeding_sweep import (
    proceeding_deadlines_recompute,
    proceedings_sweep,
)
from accountability.services.reports import report_submit

# At import, like the other apps' task tests (see test_clue_sweep).
from accountability.tasks import sweep_proceedings
from workdays import recompute

from .conftest import D
from .test_report import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_sat_10_oct(proceeding, colleague):
    """The handling step due Sat 10 Oct 2026 (a make-up working day after the National Day)."""
    colleague.email = "colleague@example.com"
    colleague.save()
    Proceeding.objects.filter(pk=proceeding.pk).update(
        step_started_on=D("2026-08-28"), step_due_on=D("2026-10-10")
    )
    return proceeding


def test_the_handler_is_reminded_once_two_working_days_before(
    due_sat_10_oct, django_capture_on_commit_callbacks
):
    """R24: Thu 8 Oct is two working days before Sat 10 Oct (9, 10): reminded then, once."""
    with django_capture_on_commit_callbacks(execute=True):
        assert proceedings_sweep(today=D("2026-09-30"))["reminded"] == 0  # holiday between
        assert proceedings_sweep(today=D("2026-10-08")) == {
            "reminded": 1,
            "escalated": 0,
            "emails": 1,
        }
        assert proceedings_sweep(today=D("2026-10-09"))["reminded"] == 0
    assert mail.outbox[0].to == ["colleague@example.com"]
    assert due_sat_10_oct.number in mail.outbox[0].body
    assert due_sat_10_oct.timeline.filter(kind=ProceedingEvent.Kind.REMINDED).count() == 1


def test_an_overdue_step_escalates_once_to_the_region_above(
    due_sat_10_oct, province_supervisor, django_capture_on_commit_callbacks
):
    """R24: the day after the limit, once, to the province's supervisors; running twice sends
    once."""
    with django_capture_on_commit_callbacks(execute=True):
        assert proceedings_sweep(today=D("2026-10-10"))["escalated"] == 0  # due today
        first = proceedings_sweep(today=D("2026-10-11"))
        second = proceedings_sweep(today=D("2026-10-11"))
        third = proceedings_sweep(today=D("2026-10-20"))
    assert first["escalated"] == 1 and first["emails"] >= 1
    assert second == third == {"reminded": 0, "escalated": 0, "emails": 0}
    escalations = [m for m in mail.outbox if "province@example.com" in m.to]
    assert len(escalations) == 1
    assert due_sat_10_oct.timeline.filter(kind=ProceedingEvent.Kind.ESCALATED).count() == 1
    due_sat_10_oct.refresh_from_db()
    assert due_sat_10_oct.escalated_step == Proceeding.Step.HANDLING


def test_the_next_step_is_reminded_and_escalated_again(
    due_sat_10_oct, colleague, django_capture_on_commit_callbacks
):
    """R24: once per step: the notice step has its own reminder and escalation."""
    proceedings_sweep(today=D("2026-10-11"))
    report_submit(actor=colleague, **body(due_sat_10_oct))
    due_sat_10_oct.refresh_from_db()
    later = due_sat_10_oct.step_due_on.replace(year=due_sat_10_oct.step_due_on.year + 1)
    assert proceedings_sweep(today=later)["escalated"] == 1
    assert due_sat_10_oct.timeline.filter(kind=ProceedingEvent.Kind.ESCALATED).count() == 2


def test_the_beat_task_runs_the_sweep(due_sat_10_oct, settings):
    """R24: the beat job is scheduled and runs the sweep."""
    entry = settings.CELERY_BEAT_SCHEDULE["accountability-sweep-proceedings"]
    assert entry["task"] == "accountability.tasks.sweep_proceedings"
    assert sweep_proceedings()["escalated"] == 1  # today is well past 10 Oct 2026


def test_the_limits_follow_the_holiday_schedule(proceeding):
    """R24: the recomputer is registered; a handling limit computed under another calendar is
    put right, told in the timeline, and may be reminded again; a second run changes nothing."""
    assert "accountability.proceedings" in recompute.registered()
    Proceeding.objects.filter(pk=proceeding.pk).update(
        step_started_on=D("2026-09-28"),
        step_due_on=D("2026-10-02"),
        reminded_step="handling",
    )
    assert proceeding_deadlines_recompute(2026) == 1
    proceeding.refresh_from_db()
    assert proceeding.step_due_on > D("2026-10-08")
    assert proceeding.reminded_step == ""
    moved = proceeding.timeline.get(kind=ProceedingEvent.Kind.DEADLINE_MOVED)
    assert "2026-10-02" in moved.note
    assert proceeding_deadlines_recompute(2026) == 0


def test_a_notice_step_after_the_notices_is_left_to_the_defences(proceeding, colleague):
    """R24, R29: once the notices are out, the step runs on the defence period (not recomputed
    from the step's start)."""
    from accountability.models import Defence

    report_submit(actor=colleague, **body(proceeding))
    accused = proceeding.accused.first()
    Defence.objects.create(
        accused=accused,
        notice="告知。",
        notified_on=D("2026-09-28"),
        notified_by=colleague,
        due_on=D("2026-10-20"),
    )
    Proceeding.objects.filter(pk=proceeding.pk).update(step_due_on=D("2026-10-20"))
    assert proceeding_deadlines_recompute(2026) == 0
