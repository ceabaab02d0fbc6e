"""Background work goes through Celery: a real worker on the Redis broker when one is configured,
in-process otherwise. Either way, loading a year's calendar reaches the recompute hook."""

import threading
from datetime import date

import pytest
from django.conf import settings

from portal.celery import app
from workdays import recompute
from workdays.models import SpecialDay
from workdays.services import DayInput, calendar_year_load


@pytest.fixture
def hook_calls():
    calls: list[int] = []
    done = threading.Event()

    def recorder(year: int) -> int:
        calls.append(year)
        done.set()
        return 0

    recompute.register("tests.recorder", recorder)
    yield calls, done
    recompute.unregister("tests.recorder")


def test_loading_2027_recomputes_stored_deadlines_through_celery(
    hook_calls, celery_worker, sysadmin
):
    calls, done = hook_calls
    calendar_year_load(
        year=2027,
        days=[DayInput(date=date(2027, 1, 1), kind=SpecialDay.Kind.HOLIDAY, name="元旦")],
        source="国办发明电〔2026〕x号",
        actor=sysadmin,
    )
    assert done.wait(timeout=30), "the recompute task never ran"
    assert calls == [2027]


def test_the_broker_setting_decides_whether_tasks_leave_the_process():
    assert settings.CELERY_TASK_ALWAYS_EAGER is (not settings.CELERY_BROKER_URL)


def test_every_scheduled_job_names_a_task_the_workers_know():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]
