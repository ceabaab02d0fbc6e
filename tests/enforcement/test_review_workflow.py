"""The review workflow: staff submit, the agency legal office passes or returns, the region's
supervisor publishes or returns; every transition is in the timeline (R2, R3, R4, R7, R9)."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from enforcement.models import (
    BasisChange,
    Delegation,
    PowerItem,
    PowerItemEvent,
    PublishedPowerItem,
    RevisionTask,
)
from enforcement.search import search_document
from enforcement.services import power_items as services
from enforcement.services.power_items import Tier
from tests.conftest import client_for

from .staff_factories import LegalBasisFactory, make_draft, make_published

pytestmark = pytest.mark.django_db
Status = PowerItem.Status
Kind = PowerItemEvent.Kind


def test_the_whole_path_from_draft_to_publication_is_in_the_timeline(
    agency_a, inspector_a, legal_office_a, city_supervisor
):
    """Each transition is a timeline row with actor, time and note; publication is public."""
    item = make_draft(agency_a, inspector_a)
    services.power_item_submit(item=item, actor=inspector_a, note="请审核")
    services.power_item_pass(item=item, actor=legal_office_a, note="依据准确")
    services.power_item_publish(item=item, actor=city_supervisor, note="首批公布")
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED
    assert not item.has_unpublished_changes
    rows = list(item.timeline.values_list("kind", "actor__username", "note", "public"))
    assert rows == [
        (Kind.CREATED, "inspector_a", "", False),
        (Kind.SUBMITTED, "inspector_a", "请审核", False),
        (Kind.LEGAL_PASSED, "legal_office_a", "依据准确", False),
        (Kind.PUBLISHED, "city_supervisor", "首批公布", True),
    ]
    assert all(event.at is not None for event in item.timeline.all())
    # Every status was kept as a version, each with who made it.
    users = list(
        item.history.order_by("history_id").values_list("history_user__username", "status")
    )
    assert users[-3:] == [
        ("inspector_a", "submitted"),
        ("legal_office_a", "legal_passed"),
        ("city_supervisor", "published"),
    ]


def test_publication_writes_the_public_copy_with_bases_discretion_and_search_text(
    agency_a, inspector_a, legal_office_a, city_supervisor
):
    """R3, R7, R9: the public copy carries every public field, the bases with articles and the
    discretion benchmark, and its bigram search document."""
    basis = LegalBasisFactory(title="中华人民共和国食品安全法", document_number="主席令第21号")
    item = make_draft(agency_a, inspector_a, basis=basis)
    services.power_item_update(
        item=item, actor=inspector_a, data={}, tiers=[Tier("轻微", "警告", None, 2000)]
    )
    services.power_item_submit(item=item, actor=inspector_a)
    services.power_item_pass(item=item, actor=legal_office_a)
    published = services.power_item_publish(item=item, actor=city_supervisor)
    published.refresh_from_db()
    assert published.agency == agency_a
    assert published.region_path == agency_a.region.path
    assert published.name == item.name and published.code == item.code
    assert published.responsibilities == item.responsibilities
    assert published.bases == [
        {
            "title": "中华人民共和国食品安全法",
            "document_number": "主席令第21号",
            "level": "local_regulation",
            "articles": "第一百二十四条",
            "issuer": basis.issuer,
            "status": "in_force",
        }
    ]
    assert published.discretion == [
        {
            "order": 1,
            "circumstances": "轻微",
            "penalty": "警告",
            "fine_min": None,
            "fine_max": "2000.00",
        }
    ]
    assert published.delegation is None
    assert published.search_document == search_document(
        item.code,
        item.name,
        item.sub_item,
        "行政处罚",
        item.handling_unit,
        item.responsibilities,
        item.accountability,
        "中华人民共和国食品安全法",
        *(f"{tier['circumstances']} {tier['penalty']}" for tier in published.discretion),
        agency_a.name,
    )
    assert " 处罚 " in f" {published.search_document} "
    # R3: the title and the bases have documents of their own, ranked first.
    assert published.search_title == search_document(item.name, item.sub_item)
    assert " 安全 " in f" {published.search_bases} "
    assert item.timeline.get(kind=Kind.PUBLISHED).note == "首次公布。"


def test_a_delegated_item_publishes_its_delegation(
    agency_a, county_agency_a, inspector_a, legal_office_a, city_supervisor
):
    """R4: the delegated organisation and the basis of the delegation are published."""
    delegation = Delegation.objects.create(
        delegating_agency=agency_a,
        delegated_organisation=county_agency_a,
        basis="甲市市场监督管理局委托书〔2024〕1号",
        starts_on=datetime.date(2024, 1, 1),
    )
    item = make_draft(agency_a, inspector_a)
    services.power_item_update(item=item, actor=inspector_a, data={"delegation": delegation})
    services.power_item_submit(item=item, actor=inspector_a)
    services.power_item_pass(item=item, actor=legal_office_a)
    published = services.power_item_publish(item=item, actor=city_supervisor)
    assert published.delegation == {
        "delegating_agency": agency_a.name,
        "delegated_organisation": county_agency_a.name,
        "basis": "甲市市场监督管理局委托书〔2024〕1号",
        "starts_on": "2024-01-01",
        "ends_on": None,
    }


def test_an_item_cannot_name_a_delegation_another_agency_gave(
    agency_a, agency_b, county_agency_a, inspector_a
):
    """R4: the delegating agency of an item's delegation is the item's own agency."""
    foreign = Delegation.objects.create(
        delegating_agency=agency_b,
        delegated_organisation=county_agency_a,
        basis="委托书",
        starts_on=datetime.date(2024, 1, 1),
    )
    item = make_draft(agency_a, inspector_a)
    with pytest.raises(ValidationError, match="只能选择本单位作为委托机关"):
        services.power_item_update(item=item, actor=inspector_a, data={"delegation": foreign})
    item.refresh_from_db()
    assert item.delegation is None


def test_publishing_a_revision_replaces_the_public_copy_and_says_what_changed(
    agency_a, inspector_a, legal_office_a, city_supervisor
):
    """R3: the public change history says what a republication changed."""
    item = make_published(agency_a, inspector_a, legal_office_a, city_supervisor)
    services.power_item_update(
        item=item, actor=inspector_a, data={"name": "新名称", "accountability": "新的追责情形"}
    )
    services.power_item_submit(item=item, actor=inspector_a)
    services.power_item_pass(item=item, actor=legal_office_a)
    services.power_item_publish(item=item, actor=city_supervisor)
    assert PublishedPowerItem.objects.get(item=item).name == "新名称"
    assert PublishedPowerItem.objects.count() == 1
    note = item.timeline.filter(kind=Kind.PUBLISHED).last().note
    assert note == "修改了：事项名称、追责情形。"


def test_the_legal_office_returns_with_a_reason_and_staff_can_edit_again(
    agency_a, inspector_a, legal_office_a
):
    item = make_draft(agency_a, inspector_a)
    services.power_item_submit(item=item, actor=inspector_a)
    services.power_item_return(item=item, actor=legal_office_a, reason="依据条款不准确")
    item.refresh_from_db()
    assert item.status == Status.RETURNED
    assert item.timeline.last().note == "依据条款不准确"
    services.power_item_update(item=item, actor=inspector_a, data={"name": "改正后"})
    services.power_item_submit(item=item, actor=inspector_a)
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED


def test_the_supervisor_returns_an_item_that_passed_internal_review(
    agency_a, inspector_a, legal_office_a, city_supervisor
):
    item = make_draft(agency_a, inspector_a)
    services.power_item_submit(item=item, actor=inspector_a)
    services.power_item_pass(item=item, actor=legal_office_a)
    services.power_item_return(item=item, actor=city_supervisor, reason="职权类别有误")
    item.refresh_from_db()
    assert item.status == Status.RETURNED
    assert item.timeline.last().actor == city_supervisor


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_return_without_a_reason_is_refused(agency_a, inspector_a, legal_office_a, reason):
    """A return needs a reason; nothing changes without one."""
    item = make_draft(agency_a, inspector_a)
    services.power_item_submit(item=item, actor=inspector_a)
    with pytest.raises(ValidationError, match="退回时必须写明理由"):
        services.power_item_return(item=item, actor=legal_office_a, reason=reason)
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED
    assert item.timeline.count() == 2


def test_publishing_a_draft_that_did_not_pass_internal_review_is_refused(
    agency_a, inspector_a, city_supervisor
):
    """The supervisor publishes only what the agency's legal office passed."""
    item = make_draft(agency_a, inspector_a)
    services.power_item_submit(item=item, actor=inspector_a)
    with pytest.raises(ValidationError, match="只有通过部门法制机构审核的事项才能公布"):
        services.power_item_publish(item=item, actor=city_supervisor)
    assert not PublishedPowerItem.objects.exists()
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED


def test_passing_an_item_that_was_not_submitted_is_refused(agency_a, inspector_a, legal_office_a):
    item = make_draft(agency_a, inspector_a)
    with pytest.raises(ValidationError, match="不是待法制机构审核的事项"):
        services.power_item_pass(item=item, actor=legal_office_a)
    item.refresh_from_db()
    assert item.status == Status.DRAFT


def test_an_item_without_a_basis_cannot_be_submitted(agency_a, inspector_a):
    """R9: every listed power names its legal basis."""
    item = services.power_item_create(
        agency=agency_a,
        actor=inspector_a,
        data={"code": "N1", "name": "无依据", "category": "other", "level": "city"},
    )
    with pytest.raises(ValidationError, match="至少一项执法依据"):
        services.power_item_submit(item=item, actor=inspector_a)
    item.refresh_from_db()
    assert item.status == Status.DRAFT


def test_a_repeated_submission_changes_nothing_the_second_time(agency_a, inspector_a):
    """A double click on 提交审核 leaves one timeline row and one version."""
    item = make_draft(agency_a, inspector_a)
    client = client_for(inspector_a)
    url = reverse("enforcement:staff_item_submit", args=[item.pk])
    client.post(url)
    versions = item.history.count()
    client.post(url)
    assert item.timeline.filter(kind=Kind.SUBMITTED).count() == 1
    assert item.history.count() == versions


@pytest.mark.parametrize(
    ("who", "action"),
    [
        ("inspector_a", "pass"),
        ("city_supervisor", "pass"),
        ("inspector_a", "publish"),
        ("legal_office_a", "publish"),
    ],
)
def test_only_the_right_role_moves_an_item(
    request, who, action, agency_a, inspector_a, legal_office_a, city_supervisor
):
    """Staff do not pass their own items; the legal office does not publish."""
    item = make_draft(agency_a, inspector_a)
    services.power_item_submit(item=item, actor=inspector_a)
    if action == "publish":
        services.power_item_pass(item=item, actor=legal_office_a)
    before = PowerItem.objects.get(pk=item.pk).status
    actor = request.getfixturevalue(who)
    service = services.power_item_pass if action == "pass" else services.power_item_publish
    with pytest.raises(PermissionDenied):
        service(item=item, actor=actor)
    assert PowerItem.objects.get(pk=item.pk).status == before
    url = reverse(f"enforcement:staff_item_{action}", args=[item.pk])
    assert client_for(actor).post(url).status_code == 403
    assert PowerItem.objects.get(pk=item.pk).status == before


def test_a_supervisor_of_another_city_cannot_publish(agency_a, inspector_a, legal_office_a, city_b):
    """A supervisor's region must cover the agency."""
    from portal.roles import Role
    from portal.services import user_assign_role
    from tests.factories import UserFactory

    other = user_assign_role(user=UserFactory(), role=Role.SUPERVISOR, actor=None, region=city_b)
    item = make_draft(agency_a, inspector_a)
    services.power_item_submit(item=item, actor=inspector_a)
    services.power_item_pass(item=item, actor=legal_office_a)
    response = client_for(other).post(reverse("enforcement:staff_item_publish", args=[item.pk]))
    assert response.status_code == 404
    assert not PublishedPowerItem.objects.exists()


def test_a_county_agency_is_published_by_its_city_supervisor(county_agency_a, city_supervisor):
    """The region of a city supervisor covers its counties."""
    from portal.roles import Role
    from portal.services import user_assign_role
    from tests.factories import UserFactory

    staff = user_assign_role(
        user=UserFactory(), role=Role.AGENCY_STAFF, actor=None, agency=county_agency_a
    )
    legal = user_assign_role(
        user=UserFactory(), role=Role.LEGAL_OFFICE, actor=None, agency=county_agency_a
    )
    item = make_published(county_agency_a, staff, legal, city_supervisor)
    assert item.status == Status.PUBLISHED


def test_withdrawing_hides_the_item_from_the_public_and_keeps_the_reason(
    agency_a, inspector_a, legal_office_a, city_supervisor
):
    """R2, R3: a withdrawal goes through the legal office and the supervisor like a
    publication; once approved the item leaves the public list and the public history keeps
    the reason staff gave."""
    item = make_published(agency_a, inspector_a, legal_office_a, city_supervisor)
    response = client_for(inspector_a).post(
        reverse("enforcement:staff_item_withdraw", args=[item.pk]),
        {"reason": "上位法废止，该职权取消"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.WITHDRAWAL_SUBMITTED
    assert PublishedPowerItem.objects.filter(item=item).exists()  # not yet: only requested
    response = client_for(legal_office_a).post(
        reverse("enforcement:staff_item_withdrawal_pass", args=[item.pk]), {"note": "同意"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.WITHDRAWAL_PASSED
    assert PublishedPowerItem.objects.filter(item=item).exists()
    response = client_for(city_supervisor).post(
        reverse("enforcement:staff_item_withdrawal_approve", args=[item.pk])
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.WITHDRAWN
    assert not PublishedPowerItem.objects.filter(item=item).exists()
    event = item.timeline.last()
    assert (event.kind, event.note, event.public, event.actor) == (
        Kind.WITHDRAWN,
        "上位法废止，该职权取消",
        True,
        city_supervisor,
    )
    assert [e.kind for e in item.timeline.order_by("at", "pk")][-3:] == [
        Kind.WITHDRAWAL_REQUESTED,
        Kind.WITHDRAWAL_PASSED,
        Kind.WITHDRAWN,
    ]


def test_a_withdrawal_without_a_reason_is_refused(
    agency_a, inspector_a, legal_office_a, city_supervisor
):
    item = make_published(agency_a, inspector_a, legal_office_a, city_supervisor)
    client_for(inspector_a).post(
        reverse("enforcement:staff_item_withdraw", args=[item.pk]), {"reason": ""}
    )
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED
    assert PublishedPowerItem.objects.filter(item=item).exists()


def _open_task(item, supervisor) -> RevisionTask:
    change = BasisChange.objects.create(
        kind=BasisChange.Kind.AMENDED,
        basis=item.bases.get().basis,
        published_on=datetime.date(2026, 1, 5),
        summary="修改第一百二十四条",
        recorded_by=supervisor,
    )
    return RevisionTask.objects.create(change=change, item=item, due_on=datetime.date(2026, 2, 5))


def test_publishing_the_revision_closes_the_open_revision_task(
    agency_a, inspector_a, legal_office_a, city_supervisor
):
    """R2: the task opened by a law change closes when the revised item is published."""
    item = make_published(agency_a, inspector_a, legal_office_a, city_supervisor)
    task = _open_task(item, city_supervisor)
    services.power_item_update(item=item, actor=inspector_a, data={"accountability": "按新法调整"})
    services.power_item_submit(item=item, actor=inspector_a)
    services.power_item_pass(item=item, actor=legal_office_a)
    services.power_item_publish(item=item, actor=city_supervisor)
    task.refresh_from_db()
    assert task.status == RevisionTask.Status.CLOSED
    assert task.closing_note == "修改了：追责情形。"


def test_withdrawing_closes_the_open_revision_task(
    agency_a, inspector_a, legal_office_a, city_supervisor
):
    """R2: or when the item's withdrawal is approved, with the reason; a request alone, or one
    the legal office passed, closes nothing (an agency cannot meet the one-month duty by
    withdrawing on its own)."""
    item = make_published(agency_a, inspector_a, legal_office_a, city_supervisor)
    task = _open_task(item, city_supervisor)
    services.power_item_withdraw(item=item, actor=inspector_a, reason="职权已下放")
    services.power_item_withdraw_pass(item=item, actor=legal_office_a)
    task.refresh_from_db()
    assert task.status == RevisionTask.Status.OPEN
    services.power_item_withdraw_approve(item=item, actor=city_supervisor)
    task.refresh_from_db()
    assert (task.status, task.closing_note) == (RevisionTask.Status.CLOSED, "职权已下放")
    assert task.closed_by == city_supervisor


def test_the_legal_queue_shows_the_submitted_items_of_its_agency_only(
    agency_a, agency_b, inspector_a, legal_office_a, outsider_b, django_assert_max_num_queries
):
    mine = make_draft(agency_a, inspector_a, name="甲局待审事项")
    services.power_item_submit(item=mine, actor=inspector_a)
    theirs = make_draft(agency_b, outsider_b, name="丙局待审事项")
    services.power_item_submit(item=theirs, actor=outsider_b)
    make_draft(agency_a, inspector_a, code="D-1", name="甲局草稿")
    client = client_for(legal_office_a)
    client.get(reverse("enforcement:staff_legal_queue"))  # the first request also saves the session
    with django_assert_max_num_queries(10) as few:
        html = client.get(reverse("enforcement:staff_legal_queue")).content.decode()
    assert "甲局待审事项" in html
    assert "丙局待审事项" not in html and "甲局草稿" not in html
    basis = LegalBasisFactory()
    for n in range(30):
        extra = make_draft(agency_a, inspector_a, code=f"Q-{n}", basis=basis)
        services.power_item_submit(item=extra, actor=inspector_a)
    with django_assert_max_num_queries(10) as many:
        client.get(reverse("enforcement:staff_legal_queue"))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_supervisor_queue_shows_items_of_its_region_that_passed_internal_review(
    agency_a, inspector_a, legal_office_a, city_supervisor, django_assert_max_num_queries
):
    passed = make_draft(agency_a, inspector_a, name="待公布事项")
    services.power_item_submit(item=passed, actor=inspector_a)
    services.power_item_pass(item=passed, actor=legal_office_a)
    submitted = make_draft(agency_a, inspector_a, code="S-1", name="仍在内部审核")
    services.power_item_submit(item=submitted, actor=inspector_a)
    client = client_for(city_supervisor)
    client.get(reverse("enforcement:staff_supervisor_queue"))  # the first request saves the session
    with django_assert_max_num_queries(10) as few:
        html = client.get(reverse("enforcement:staff_supervisor_queue")).content.decode()
    assert "待公布事项" in html and "仍在内部审核" not in html
    basis = LegalBasisFactory()
    for n in range(30):
        extra = make_draft(agency_a, inspector_a, code=f"P-{n}", basis=basis)
        services.power_item_submit(item=extra, actor=inspector_a)
        services.power_item_pass(item=extra, actor=legal_office_a)
    with django_assert_max_num_queries(10) as many:
        client.get(reverse("enforcement:staff_supervisor_queue"))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_publishing_from_the_supervisor_queue_returns_to_the_queue(
    agency_a, inspector_a, legal_office_a, city_supervisor
):
    item = make_draft(agency_a, inspector_a)
    services.power_item_submit(item=item, actor=inspector_a)
    services.power_item_pass(item=item, actor=legal_office_a)
    response = client_for(city_supervisor).post(
        reverse("enforcement:staff_item_publish", args=[item.pk]), {"next": "supervisor_queue"}
    )
    assert response["Location"] == reverse("enforcement:staff_supervisor_queue")
    assert PublishedPowerItem.objects.filter(item=item).exists()


def test_a_wrong_state_on_the_page_is_a_chinese_message_and_changes_nothing(
    agency_a, inspector_a, city_supervisor
):
    item = make_draft(agency_a, inspector_a)
    client = client_for(city_supervisor)
    response = client.post(reverse("enforcement:staff_item_publish", args=[item.pk]), follow=True)
    assert "只有通过部门法制机构审核的事项才能公布" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.DRAFT


@pytest.mark.postgres("row locks: two transactions racing on one item")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_make_one_transition(agency_a, inspector_a):
    """select_for_update: two requests racing on one draft leave exactly one submission."""
    item = make_draft(agency_a, inspector_a)
    barrier = threading.Barrier(2)
    errors = []

    def submit():
        try:
            barrier.wait()
            services.power_item_submit(item=item, actor=inspector_a)
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert item.timeline.filter(kind=Kind.SUBMITTED).count() == 1
