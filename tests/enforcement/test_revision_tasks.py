"""R2's revision tasks after they are opened: the daily reminder and escalation job, closing,
the recompute of provisional due dates, and the task lists of supervisors and agency staff."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from enforcement.models import BasisChange, LegalBasis, PowerItem, RevisionTask
from enforcement.services.revisions import revision_tasks_close, revision_tasks_recompute
from enforcement.tasks import sweep_revision_tasks
from tests.conftest import client_for
from workdays import recompute
from workdays.deadlines import add_working_days
from workdays.services import DayInput, calendar_year_load

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 10)  # a Wednesday with no holiday near
TASKS = reverse("enforcement:revision_task_list")


@pytest.fixture
def change(city_supervisor):
    basis = LegalBasis.objects.create(
        title="中华人民共和国食品安全法", issuer="全国人大常委会", level="law",
        published_on=date(2021, 4, 29),
    )  # fmt: skip
    return BasisChange.objects.create(
        kind="amended", basis=basis, published_on=date(2026, 5, 10), summary="修改",
        recorded_by=city_supervisor,
    )  # fmt: skip


def task(change, agency, code, due_on, **extra) -> RevisionTask:
    item = PowerItem.objects.create(
        agency=agency, code=code, name=f"事项{code}", category="licensing", level="city"
    )
    return RevisionTask.objects.create(change=change, item=item, due_on=due_on, **extra)


def sweep(today=TODAY):
    from enforcement.services.revisions import revision_tasks_sweep

    return revision_tasks_sweep(today=today)


def test_the_agency_is_reminded_once_as_the_due_date_nears(
    change, agency_a, inspector_a, legal_office_a, outsider_b
):
    """R2: a task due within five working days is reminded to the agency's staff, once."""
    near = task(change, agency_a, "A-1", TODAY + timedelta(days=3))
    far = task(change, agency_a, "A-2", TODAY + timedelta(days=30))
    result = sweep()
    assert result["reminded"] == 1
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([inspector_a.email, legal_office_a.email])
    assert "A-1" in mail.outbox[0].body and "A-2" not in mail.outbox[0].body
    near.refresh_from_db(), far.refresh_from_db()
    assert near.reminded_on == TODAY and far.reminded_on is None

    assert sweep()["reminded"] == 0  # the job runs again: nobody is reminded twice
    assert len(mail.outbox) == 1


def test_the_reminder_horizon_counts_working_days(change, agency_a, inspector_a):
    """Five working days, not five calendar days: a task due on the fifth working day is
    reminded, one due the day after is not yet."""
    fifth = add_working_days(start=TODAY, days=5).deadline
    on_edge = task(change, agency_a, "A-1", fifth)
    beyond = task(change, agency_a, "A-2", fifth + timedelta(days=1))
    sweep()
    on_edge.refresh_from_db(), beyond.refresh_from_db()
    assert on_edge.reminded_on == TODAY and beyond.reminded_on is None


def test_overdue_tasks_are_escalated_once_to_the_regions_supervisors(
    change, agency_a, agency_b, city_supervisor, outsider_b
):
    """R2: an overdue task goes to the supervisors whose region covers the agency, once."""
    from portal.roles import Role
    from tests.conftest import _persona

    other_city = _persona("supervisor_b", Role.SUPERVISOR, region=agency_b.region)
    province = _persona("province_supervisor", Role.SUPERVISOR, region=agency_a.region.parent)
    late = task(change, agency_a, "A-1", TODAY - timedelta(days=1), reminded_on=TODAY)
    result = sweep()
    assert result["escalated"] == 1
    escalations = [m for m in mail.outbox if "逾期" in m.subject]
    assert len(escalations) == 1
    assert sorted(escalations[0].to) == sorted([city_supervisor.email, province.email])
    assert other_city.email not in escalations[0].to
    late.refresh_from_db()
    assert late.escalated_on == TODAY

    mail.outbox.clear()
    assert sweep(TODAY + timedelta(days=1)) == {"reminded": 0, "escalated": 0, "emails": 0}
    assert mail.outbox == []


def test_closed_tasks_are_neither_reminded_nor_escalated(change, agency_a, inspector_a):
    t = task(change, agency_a, "A-1", TODAY - timedelta(days=2))
    assert revision_tasks_close(item=t.item, actor=inspector_a, note="已重新公布") == 1
    assert sweep()["escalated"] == 0 and mail.outbox == []
    t.refresh_from_db()
    assert t.status == RevisionTask.Status.CLOSED and t.closing_note == "已重新公布"


def test_the_beat_task_runs_the_sweep(change, agency_a, inspector_a, monkeypatch):
    from enforcement.services import revisions

    monkeypatch.setattr(revisions, "localdate", lambda: TODAY)
    task(change, agency_a, "A-1", TODAY + timedelta(days=1))
    assert sweep_revision_tasks.apply().get()["reminded"] == 1


def test_the_sweep_costs_the_same_queries_however_many_tasks_are_not_due(
    change,
    agency_a,
    inspector_a,
    city_supervisor,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    """Its cost follows the due tasks: tasks far from their date add no query."""
    task(change, agency_a, "A-1", TODAY + timedelta(days=1))
    task(change, agency_a, "A-2", TODAY - timedelta(days=1))
    add_working_days(start=TODAY, days=1)  # the process's calendar copy, read once for both
    with django_assert_max_num_queries(14) as ctx:
        sweep()
    baseline = len(ctx.captured_queries)
    RevisionTask.objects.update(reminded_on=None, escalated_on=None)
    for n in range(40):
        task(change, agency_a, f"F-{n}", TODAY + timedelta(days=60))
    with django_assert_num_queries(baseline):
        sweep()


@pytest.mark.postgres("the planner's choice of the partial index")
def test_the_sweep_reads_open_tasks_through_the_partial_index(change, agency_a):
    for n in range(200):
        task(change, agency_a, f"X-{n}", TODAY + timedelta(days=n), status="closed")
    task(change, agency_a, "A-1", TODAY + timedelta(days=1))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE enforcement_revisiontask")
        cursor.execute("SET enable_seqscan = off")
        sql, params = (
            RevisionTask.objects.filter(status="open", due_on__lte=TODAY, reminded_on=None)
            .values("pk")
            .query.sql_with_params()
        )
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "revision_task_open_due" in plan


def test_provisional_due_dates_are_recomputed_when_the_year_is_loaded(
    change, agency_a, django_capture_on_commit_callbacks
):
    """R2 + the calendar rule: a due date computed on the fallback rules is provisional and
    takes the true date once the year's schedule is loaded (here, a longer National Day)."""
    # 2027-09-01 + 1 month = Fri 2027-10-01: on the fallback rules (since 2025) Oct 1-3 are
    # National Day and the weekend two are made up on Oct 4-5, so the provisional date is Oct 6.
    change.published_on = date(2027, 9, 1)
    change.save()
    t = task(change, agency_a, "A-1", date(2027, 10, 6), due_provisional=True)
    closed = task(change, agency_a, "A-2", date(2027, 10, 6), due_provisional=True, status="closed")
    assert "enforcement.revision_tasks" in recompute.registered()
    days = [DayInput(date(2027, 10, d), "holiday", "国庆节") for d in range(1, 8)]
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(year=2027, days=days, source="测试", actor=None)
    t.refresh_from_db(), closed.refresh_from_db()
    assert (t.due_on, t.due_provisional) == (date(2027, 10, 8), False)
    assert (closed.due_on, closed.due_provisional) == (date(2027, 10, 6), True)
    assert revision_tasks_recompute(2027) == 0  # idempotent


def test_staff_see_their_agencys_open_tasks_only(change, agency_a, agency_b, inspector_a):
    task(change, agency_a, "A-OPEN", TODAY)
    task(change, agency_a, "A-DONE", TODAY, status="closed")
    task(change, agency_b, "B-OPEN", TODAY)
    body = client_for(inspector_a).get(TASKS, {"status": "all"}).content.decode()
    assert "A-OPEN" in body
    assert "A-DONE" not in body and "B-OPEN" not in body


def test_the_supervisor_sees_the_region_with_overdue_and_provisional_markers(
    change, agency_a, county_agency_a, agency_b, city_supervisor
):
    task(change, agency_a, "A-LATE", date(2020, 1, 2))
    task(change, county_agency_a, "C-PROV", date(2099, 1, 5), due_provisional=True)
    task(change, agency_b, "B-1", TODAY)
    body = client_for(city_supervisor).get(TASKS).content.decode()
    assert "A-LATE" in body and "C-PROV" in body and "B-1" not in body
    assert "已逾期" in body and "暂定" in body


def test_the_task_list_costs_the_same_queries_with_more_tasks(
    change, agency_a, city_supervisor, inspector_a, django_assert_max_num_queries
):
    for user in (city_supervisor, inspector_a):
        client = client_for(user)
        task(change, agency_a, f"{user.username}-first", TODAY)
        client.get(TASKS)
        with django_assert_max_num_queries(12) as ctx:
            client.get(TASKS)
        few = len(ctx.captured_queries)
        for n in range(20):
            task(change, agency_a, f"{user.username}-{n}", TODAY)
        with django_assert_max_num_queries(few):
            assert client.get(TASKS).status_code == 200


def test_the_public_and_users_without_a_role_are_refused(public_client):
    from tests.factories import UserFactory

    response = public_client.get(TASKS)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(UserFactory(username="nobody")).get(TASKS).status_code == 403


def test_the_sweep_is_a_registered_celery_task_for_the_beat_schedule():
    """The beat entry names the task by this dotted name; a typo would fail silently daily."""
    from portal.celery import app

    assert "enforcement.tasks.sweep_revision_tasks" in app.tasks
