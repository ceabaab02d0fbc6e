"""R33: each government and department keeps an implementation plan (timetable, responsible
body, checkable outputs), marks items done with their evidence and reports problems as they
arise to the supervisor above, who answers them; overdue milestones are visible."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import localdate

from portal.roles import Role
from portal.services import user_assign_role
from reporting.models import Plan, PlanEvent, PlanItem, PlanProblem
from reporting.services.plans import (
    plan_create,
    plan_item_add,
    plan_item_complete,
    plan_problem_answer,
    plan_problem_report,
)
from tests.conftest import client_for
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
YEAR = localdate().year


@pytest.fixture
def province_supervisor(province):
    user = UserFactory(username="province_supervisor", name="省司法厅", email="prov@example.cn")
    return user_assign_role(user=user, role=Role.SUPERVISOR, actor=None, region=province)


@pytest.fixture
def agency_plan(inspector_a, agency_a):
    return plan_create(
        year=YEAR, title="甲市市场监管局实施方案", agency=agency_a, actor=inspector_a
    )


@pytest.fixture
def city_plan(city_supervisor):
    return plan_create(year=YEAR, title="甲市人民政府实施方案", actor=city_supervisor)


def add_item(plan, actor, *, due, task="公布权责清单"):
    return plan_item_add(
        plan=plan, task=task, responsible="法规科", output="清单公布网址", due=due, actor=actor
    )


def test_a_department_keeps_its_own_plan_and_nobody_else_may(
    agency_plan, inspector_a, outsider_b, city_supervisor
):
    """R33: the department's staff keep its plan; staff elsewhere and the supervisor do not."""
    add_item(agency_plan, inspector_a, due=date(YEAR, 12, 31))
    for stranger in (outsider_b, city_supervisor):
        with pytest.raises(PermissionDenied):
            add_item(agency_plan, stranger, due=date(YEAR, 12, 31))
    assert agency_plan.items.count() == 1
    assert agency_plan.region == agency_plan.agency.region
    kinds = list(agency_plan.timeline.values_list("kind", flat=True))
    assert kinds == [PlanEvent.Kind.CREATED, PlanEvent.Kind.ITEM_ADDED]


def test_the_government_plan_is_kept_by_the_region_supervisor(
    city_plan, city_supervisor, city_a, inspector_a
):
    """R33: a government's plan belongs to its region and is kept by its legal office."""
    assert city_plan.agency is None and city_plan.region == city_a
    add_item(city_plan, city_supervisor, due=date(YEAR, 6, 30))
    with pytest.raises(PermissionDenied):
        add_item(city_plan, inspector_a, due=date(YEAR, 6, 30))


def test_one_plan_an_owner_a_year_and_a_bad_year_changes_nothing(
    agency_plan, inspector_a, agency_a
):
    with pytest.raises(ValidationError) as refused:
        plan_create(year=YEAR, title="重复", agency=agency_a, actor=inspector_a)
    assert "已经制定" in str(refused.value)
    response = client_for(inspector_a).post(
        reverse("reporting:plan-new"), {"year": "20x6", "title": "新方案"}
    )
    assert response.status_code == 400
    assert "年度应为" in response.content.decode()
    assert Plan.objects.count() == 1


def test_script_in_a_task_is_refused_in_chinese(agency_plan, inspector_a):
    with pytest.raises(ValidationError) as refused:
        plan_item_add(
            plan=agency_plan,
            task="<script>alert(1)</script>",
            responsible="法规科",
            output="文件",
            due=date(YEAR, 12, 31),
            actor=inspector_a,
        )
    assert "网页代码" in str(refused.value)
    assert not PlanItem.objects.exists()


def test_an_item_is_done_only_with_its_evidence(agency_plan, inspector_a):
    """R33: done means the checkable output exists: a note or a file checked by its content."""
    item = add_item(agency_plan, inspector_a, due=date(YEAR, 12, 31))
    with pytest.raises(ValidationError):
        plan_item_complete(item=item, note="", file=None, actor=inspector_a)
    fake = SimpleUploadedFile("proof.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as refused:
        plan_item_complete(item=item, note="", file=fake, actor=inspector_a)
    assert "按文件内容识别" in str(refused.value)
    item.refresh_from_db()
    assert item.status == PlanItem.Status.OPEN
    plan_item_complete(
        item=item, note="已在政府网站公布", file=SimpleUploadedFile("p.pdf", PDF), actor=inspector_a
    )
    item.refresh_from_db()
    assert item.status == PlanItem.Status.DONE and item.evidence_file
    assert item.history.count() == 2
    response = client_for(inspector_a).get(reverse("reporting:plan-item-evidence", args=[item.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_overdue_milestones_are_flagged_for_the_keeper_and_the_supervisor(
    agency_plan, inspector_a, city_supervisor, outsider_b, django_assert_max_num_queries
):
    """R33: a milestone past its due date and not done is overdue, on the plan and in the list."""
    late = add_item(
        agency_plan, inspector_a, due=localdate() - timedelta(days=1), task="逾期任务甲"
    )
    add_item(agency_plan, inspector_a, due=localdate() + timedelta(days=10), task="未到期任务乙")
    for user in (inspector_a, city_supervisor):
        client = client_for(user)
        with django_assert_max_num_queries(12):
            page = client.get(reverse("reporting:plan-overdue"))
        text = page.content.decode()
        assert "逾期任务甲" in text and "未到期任务乙" not in text
        with django_assert_max_num_queries(12):
            listing = client.get(reverse("reporting:plan-list"))
        assert listing.context["rows"][0].n_overdue == 1
    assert (
        "逾期任务甲"
        not in client_for(outsider_b).get(reverse("reporting:plan-overdue")).content.decode()
    )
    detail = client_for(city_supervisor).get(
        reverse("reporting:plan-detail", args=[agency_plan.pk])
    )
    assert [i.overdue for i in detail.context["items"]] == [True, False]
    assert late.is_overdue(localdate())


def test_list_pages_cost_the_same_for_many_plans(
    inspector_a, city_supervisor, agency_a, county_agency_a, django_assert_max_num_queries
):
    """The plan, problem and overdue lists: one query a list, however many plans."""
    first = plan_create(year=YEAR, title="一", agency=agency_a, actor=inspector_a)
    add_item(first, inspector_a, due=localdate() - timedelta(days=3))
    plan_problem_report(plan=first, description="问题", actor=inspector_a)
    client = client_for(city_supervisor)
    names = ("reporting:plan-list", "reporting:problem-list", "reporting:plan-overdue")
    before = {}
    for name in names:
        with CaptureQueriesContext(connection) as counted:
            client.get(reverse(name))
        before[name] = len(counted)
    county_staff = user_assign_role(
        user=UserFactory(username="county_staff"),
        role=Role.AGENCY_STAFF,
        actor=None,
        agency=county_agency_a,
    )
    for year in range(YEAR - 5, YEAR + 1):
        plan = plan_create(
            year=year, title=f"乙县{year}", agency=county_agency_a, actor=county_staff
        )
        add_item(plan, county_staff, due=date(year, 1, 2))
        plan_problem_report(plan=plan, description="问题", actor=county_staff)
    for name in names:
        with django_assert_max_num_queries(before[name]):
            assert client.get(reverse(name)).status_code == 200
    assert len(client.get(reverse("reporting:plan-list")).context["rows"]) == 7


def test_a_department_problem_reaches_its_region_supervisor_who_answers(
    agency_plan,
    inspector_a,
    city_supervisor,
    outsider_b,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """R33: a problem is reported as it arises to the supervisor above, who sees and answers it."""
    city_supervisor.email = "city@example.cn"
    city_supervisor.save()
    item = add_item(agency_plan, inspector_a, due=date(YEAR, 12, 31))
    client = client_for(inspector_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:plan-problem-report", args=[agency_plan.pk]),
            {"description": "清单系统与省平台未对接", "item": item.pk},
        )
    assert response.status_code == 302
    problem = PlanProblem.objects.get()
    assert [m.to for m in mailoutbox] == [["city@example.cn"]]
    inbox = client_for(city_supervisor).get(reverse("reporting:problem-list"))
    assert "清单系统与省平台未对接" in inbox.content.decode()
    assert (
        "清单系统与省平台未对接"
        not in client_for(outsider_b).get(reverse("reporting:problem-list")).content.decode()
    )
    # the keeper may not answer its own problem; the outsider does not even see it
    with pytest.raises(PermissionDenied):
        plan_problem_answer(problem=problem, answer="自己答复", actor=inspector_a)
    assert (
        client_for(outsider_b)
        .post(reverse("reporting:problem-answer", args=[problem.pk]), {"answer": "x"})
        .status_code
        == 404
    )
    answered = client_for(city_supervisor).post(
        reverse("reporting:problem-answer", args=[problem.pk]), {"answer": "请与省大数据局对接"}
    )
    assert answered.status_code == 302
    problem.refresh_from_db()
    assert problem.status == PlanProblem.Status.ANSWERED and problem.answered_by == city_supervisor
    assert "请与省大数据局对接" in client.get(agency_plan.get_absolute_url()).content.decode()


def test_a_government_problem_goes_to_the_government_above_not_to_itself(
    city_plan, city_supervisor, province_supervisor, django_capture_on_commit_callbacks
):
    """R33: the city's own plan reports to the province; the city's supervisor cannot answer
    what it reported itself."""
    with django_capture_on_commit_callbacks(execute=True):
        problem = plan_problem_report(plan=city_plan, description="编制不足", actor=city_supervisor)
    assert (
        problem
        not in client_for(city_supervisor).get(reverse("reporting:problem-list")).context["rows"]
    )
    with pytest.raises(PermissionDenied):
        plan_problem_answer(problem=problem, answer="自答", actor=city_supervisor)
    assert (
        problem
        in client_for(province_supervisor).get(reverse("reporting:problem-list")).context["rows"]
    )
    plan_problem_answer(problem=problem, answer="省里统筹", actor=province_supervisor)
    assert mail.outbox[0].to == ["prov@example.cn"]


def test_a_supervisor_sees_the_plans_below_but_not_another_citys(
    agency_plan, city_plan, city_supervisor, outsider_b, agency_b, inspector_a, sysadmin
):
    plan_b = plan_create(year=YEAR, title="丙市生态环境局方案", agency=agency_b, actor=outsider_b)
    seen = {
        p.pk
        for p in client_for(city_supervisor).get(reverse("reporting:plan-list")).context["rows"]
    }
    assert seen == {agency_plan.pk, city_plan.pk}
    assert {
        p.pk for p in client_for(inspector_a).get(reverse("reporting:plan-list")).context["rows"]
    } == {agency_plan.pk}
    assert client_for(city_supervisor).get(plan_b.get_absolute_url()).status_code == 404
    assert client_for(inspector_a).get(city_plan.get_absolute_url()).status_code == 404
    assert client_for(sysadmin).get(plan_b.get_absolute_url()).status_code == 200
