"""R2's revision tasks follow a year's holiday schedule when it is loaded or amended, and a due
date that moves is told to the agency in its item's timeline.

The working-day rules (DESIGN.md: "every open deadline (complaints, revision tasks, …) is
recomputed when a year is loaded or amended, and its owner sees the change"), with R2's one month
counted by the Civil Code (民法典 第二百零二条、第二百零三条).
"""

from datetime import date

import pytest
from django.urls import reverse

from enforcement.models import BasisChange, LegalBasis, PowerItem, PowerItemEvent, RevisionTask
from enforcement.services.revisions import revision_tasks_recompute
from tests.conftest import client_for
from workdays.services import DayInput, calendar_year_load

pytestmark = pytest.mark.django_db

MOVED = PowerItemEvent.Kind.DEADLINE_MOVED


@pytest.fixture
def change(city_supervisor):
    basis = LegalBasis.objects.create(
        title="中华人民共和国食品安全法", issuer="全国人大常委会", level="law",
        published_on=date(2021, 4, 29),
    )  # fmt: skip
    return BasisChange.objects.create(
        kind="amended", basis=basis, published_on=date(2027, 9, 1), summary="修改",
        recorded_by=city_supervisor,
    )  # fmt: skip


def task(change, agency, code, due_on, **extra) -> RevisionTask:
    item = PowerItem.objects.create(
        agency=agency, code=code, name=f"事项{code}", category="licensing", level="city"
    )
    return RevisionTask.objects.create(change=change, item=item, due_on=due_on, **extra)


def national_day(*last_days: int) -> list[DayInput]:
    days = (*range(1, 8), *last_days)
    return [DayInput(date(2027, 10, d), "holiday", "国庆节") for d in days]


def load_2027(days, capture, source="国办发明电〔2026〕9号") -> None:
    with capture(execute=True):
        calendar_year_load(year=2027, days=days, source=source, actor=None)


def test_a_moved_due_date_is_told_in_the_items_timeline_and_re_arms_the_reminder(
    change, agency_a, django_capture_on_commit_callbacks
):
    """R2, working-day rules: published Wed 1 September 2027, one month ends Fri 1 October; the
    fallback (National Day 1–3 October, the weekend two made up on 4–5) said Wed 6 October,
    provisional. The loaded schedule (1–7 October) says Fri 8 October. The item's timeline says
    so, and the reminder already sent for the old date is due again."""
    t = task(
        change, agency_a, "A-1", date(2027, 10, 6), due_provisional=True,
        reminded_on=date(2027, 9, 28),
    )  # fmt: skip
    load_2027(national_day(), django_capture_on_commit_callbacks)

    t.refresh_from_db()
    assert (t.due_on, t.due_provisional, t.reminded_on) == (date(2027, 10, 8), False, None)
    [event] = t.item.timeline.filter(kind=MOVED)
    assert event.note == (
        f"因{change}须完成的清单调整期限由 2027-10-06（暂定） 调整为 2027-10-08："
        "按已载入的 2027 年节假日安排（国办发明电〔2026〕9号）重新计算。"
    )
    assert event.actor is None and event.public is False


def test_an_amended_schedule_moves_a_final_due_date_too(
    change, agency_a, django_capture_on_commit_callbacks
):
    """R2, working-day rules: not only provisional tasks (before issue 11 only those were
    recomputed). With 1–7 October loaded the task is due Fri 8 October, final; an amendment
    adding 8 October moves it past the weekend to Mon 11 October (民法典 第二百零三条)."""
    load_2027(national_day(), django_capture_on_commit_callbacks)
    t = task(change, agency_a, "A-1", date(2027, 10, 8), due_provisional=False)
    load_2027(national_day(8), django_capture_on_commit_callbacks, source="修订通知")

    t.refresh_from_db()
    assert (t.due_on, t.due_provisional) == (date(2027, 10, 11), False)
    [event] = t.item.timeline.filter(kind=MOVED)
    assert "由 2027-10-08 调整为 2027-10-11" in event.note
    assert "（修订通知）" in event.note


def test_recomputing_again_writes_nothing(change, agency_a, django_capture_on_commit_callbacks):
    """Working-day rules: idempotent, so the task and the daily sweep may run it again."""
    t = task(change, agency_a, "A-1", date(2027, 10, 6), due_provisional=True)
    load_2027(national_day(), django_capture_on_commit_callbacks)
    assert revision_tasks_recompute(2027) == 0
    assert revision_tasks_recompute(2026) == 0
    assert t.item.timeline.filter(kind=MOVED).count() == 1


def test_a_closed_task_and_a_confirmed_date_add_nothing(
    change, agency_a, django_capture_on_commit_callbacks
):
    """Working-day rules: a closed task is not an open deadline; a date the schedule confirms
    only loses its provisional mark, silently."""
    closed = task(change, agency_a, "A-1", date(2027, 10, 6), due_provisional=True, status="closed")
    confirmed = task(change, agency_a, "A-2", date(2027, 10, 8), due_provisional=True)
    load_2027(national_day(), django_capture_on_commit_callbacks)
    closed.refresh_from_db(), confirmed.refresh_from_db()
    assert (closed.due_on, closed.due_provisional) == (date(2027, 10, 6), True)
    assert (confirmed.due_on, confirmed.due_provisional) == (date(2027, 10, 8), False)
    assert not PowerItemEvent.objects.filter(kind=MOVED).exists()


def test_the_agency_reads_the_change_on_its_items_page(
    change, agency_a, inspector_a, django_capture_on_commit_callbacks
):
    """Working-day rules, R2: the owner sees the change: the agency's staff read it in the item's
    timeline, with its kind."""
    t = task(change, agency_a, "A-1", date(2027, 10, 6), due_provisional=True)
    load_2027(national_day(), django_capture_on_commit_callbacks)
    page = client_for(inspector_a).get(reverse("enforcement:staff_item_detail", args=[t.item.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "调整期限重新计算" in body
    assert "由 2027-10-06（暂定） 调整为 2027-10-08" in body


def test_a_new_laws_task_with_no_item_says_its_move_itself(
    city_supervisor, agency_a, django_capture_on_commit_callbacks
):
    """R2 (a new law reaches its domains' agencies: a task with no item) and the working-day
    rules: its move has no item's timeline to go to, so the task carries it."""
    basis = LegalBasis.objects.create(
        title="松江市电动自行车管理条例", issuer="松江市人大常委会", level="local_regulation",
        published_on=date(2027, 9, 1),
    )  # fmt: skip
    enacted = BasisChange.objects.create(
        kind="enacted", basis=basis, published_on=date(2027, 9, 1), summary="制定",
        recorded_by=city_supervisor,
    )  # fmt: skip
    new_law = RevisionTask.objects.create(
        change=enacted, agency=agency_a, due_on=date(2027, 10, 6), due_provisional=True
    )
    load_2027(national_day(), django_capture_on_commit_callbacks)
    new_law.refresh_from_db()
    assert new_law.due_on == date(2027, 10, 8)
    assert "2027-10-08" in new_law.due_moved_note or "2027年10月8日" in new_law.due_moved_note
    assert not PowerItemEvent.objects.filter(kind=MOVED).exists()
