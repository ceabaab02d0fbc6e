"""R26: a clue not handled within its time limit escalates exactly once to the supervisors of the
region above, and the unit that sat on it is itself traced by a new clue linked to the original
(who does not pursue bears the consequences). Counted in working days, right to the day across
the National Day holiday."""

import pytest

from accountability.models import Clue
from accountability.services.clues import clue_close, clues_sweep

# At import, like the other apps' task tests: a shared task first imported after a test's Celery
# worker (the celery_worker fixture) has run in the process is not registered.
from accountability.tasks import sweep_clues

from .conftest import D, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_days(settings):
    settings.ACCOUNTABILITY_CLUE_WORKING_DAYS = 5


@pytest.fixture
def before_the_holiday(five_days, city_supervisor, agency_a):
    """Received Mon 28 Sep 2026: Tue 29 and Wed 30 count, 1–7 Oct rest, Thu 8 and Fri 9 count,
    Sat 10 Oct is a make-up working day (调休上班): due Sat 10 Oct."""
    return register(city_supervisor, agency_a, received_on=D("2026-09-28"))


def test_the_deadline_skips_the_holiday_and_counts_the_make_up_day(before_the_holiday):
    assert before_the_holiday.due_on == D("2026-10-10")


def test_the_sweep_escalates_once_the_day_after_the_deadline_and_traces_the_unit(
    before_the_holiday, province_supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert clues_sweep(today=D("2026-10-10"))["escalated"] == 0  # due today: not yet late
        counts = clues_sweep(today=D("2026-10-11"))
    assert counts == {"escalated": 1, "traced": 1, "emails": 1}
    original = Clue.objects.get(pk=before_the_holiday.pk)
    assert original.escalated_on == D("2026-10-11")
    assert original.timeline.filter(kind="escalated").count() == 1
    trace = Clue.objects.get(traced_from=original)
    assert trace.source == Clue.Source.OVERDUE and trace.agency == original.agency
    assert trace.timeline.filter(kind="traced").exists()
    assert original.number in trace.summary
    # The province (the region above city A) is told.
    assert mailoutbox[0].to == ["province@example.com"]
    assert original.number in mailoutbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        again = clues_sweep(today=D("2026-10-12"))
    assert again == {"escalated": 0, "traced": 0, "emails": 0}
    assert Clue.objects.filter(traced_from=original).count() == 1
    assert len(mailoutbox) == 1


def test_a_clue_closed_in_time_never_escalates(before_the_holiday, city_supervisor):
    clue_close(
        clue=before_the_holiday,
        finding="not_responsible",
        reasons="查无实据。",
        actor=city_supervisor,
    )
    assert clues_sweep(today=D("2026-11-01"))["escalated"] == 0
    assert not Clue.objects.filter(traced_from__isnull=False).exists()


def test_the_beat_task_runs_the_sweep(before_the_holiday, settings):
    assert settings.CELERY_BEAT_SCHEDULE["accountability-sweep-clues"]["task"] == (
        "accountability.tasks.sweep_clues"
    )
    assert sweep_clues()["escalated"] == 1  # today is well past 10 Oct 2026


def test_a_clue_whose_case_is_open_runs_on_the_cases_limits_not_the_clues(
    before_the_holiday, city_supervisor, colleague, mailoutbox
):
    """R24, R26: once the clue's case is opened, its steps have their own limits and sweep; the
    clue's deadline no longer escalates it nor traces the unit."""
    from accountability.services.clues import clue_assign
    from accountability.services.proceedings import proceeding_open

    clue = clue_assign(clue=before_the_holiday, handler=colleague, actor=city_supervisor)
    case = proceeding_open(clue=clue, actor=city_supervisor)
    assert clue.timeline.filter(kind="case_opened", note__contains=case.number).exists()
    assert clues_sweep(today=D("2026-10-11")) == {"escalated": 0, "traced": 0, "emails": 0}
    assert not Clue.objects.filter(traced_from=clue).exists()
