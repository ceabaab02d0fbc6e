"""R2: withdrawing a published item changes the public list, so it is reviewed like publishing:
staff request it with the reason, the agency's legal office passes or returns it, the region's
supervisor approves or returns it. Only the approval takes the item off the public list, shows
the reason in its public history and closes its revision tasks."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from enforcement.models import (
    BasisChange,
    PowerItem,
    PowerItemEvent,
    PublishedPowerItem,
    RevisionTask,
)
from enforcement.services import power_items as services
from tests.conftest import client_for

from .staff_factories import make_draft, make_published

pytestmark = pytest.mark.django_db
Status = PowerItem.Status
Kind = PowerItemEvent.Kind


def _task(item, supervisor) -> RevisionTask:
    change = BasisChange.objects.create(
        kind=BasisChange.Kind.AMENDED,
        basis=item.bases.get().basis,
        published_on=datetime.date(2026, 11, 2),
        summary="修改",
        recorded_by=supervisor,
    )
    return RevisionTask.objects.create(change=change, item=item, due_on=datetime.date(2026, 12, 2))


@pytest.fixture
def published(agency_a, inspector_a, legal_office_a, city_supervisor):
    return make_published(agency_a, inspector_a, legal_office_a, city_supervisor)


def test_a_request_alone_leaves_the_item_public_and_its_tasks_open(
    published, inspector_a, city_supervisor, public_client
):
    """R2: one staff member can no longer take an item off the public list, nor meet the
    one-month duty of its revision task, by withdrawing it alone."""
    task = _task(published, city_supervisor)
    services.power_item_withdraw(item=published, actor=inspector_a, reason="职权取消")
    published.refresh_from_db()
    task.refresh_from_db()
    assert published.status == Status.WITHDRAWAL_SUBMITTED
    copy = PublishedPowerItem.objects.get(item=published)
    assert public_client.get(reverse("enforcement:public-item", args=[copy.pk])).status_code == 200
    assert task.status == RevisionTask.Status.OPEN
    request = published.timeline.last()
    assert (request.kind, request.note, request.public) == (
        Kind.WITHDRAWAL_REQUESTED,
        "职权取消",
        False,
    )


def test_a_second_request_changes_nothing(published, inspector_a):
    services.power_item_withdraw(item=published, actor=inspector_a, reason="职权取消")
    events = published.timeline.count()
    services.power_item_withdraw(item=published, actor=inspector_a, reason="再次申请")
    assert published.timeline.count() == events


@pytest.mark.parametrize(
    ("step", "who"),
    [
        ("pass", "inspector_a"),
        ("pass", "city_supervisor"),
        ("approve", "inspector_a"),
        ("approve", "legal_office_a"),
    ],
)
def test_each_step_belongs_to_its_office(
    request, published, inspector_a, legal_office_a, step, who
):
    """R2: staff neither pass nor approve their own withdrawal; the legal office passes, only the
    region's supervisor approves."""
    services.power_item_withdraw(item=published, actor=inspector_a, reason="职权取消")
    if step == "approve":
        services.power_item_withdraw_pass(item=published, actor=legal_office_a)
    before = PowerItem.objects.get(pk=published.pk).status
    url = reverse(f"enforcement:staff_item_withdrawal_{step}", args=[published.pk])
    assert client_for(request.getfixturevalue(who)).post(url).status_code == 403
    assert PowerItem.objects.get(pk=published.pk).status == before
    assert PublishedPowerItem.objects.filter(item=published).exists()


def test_approval_needs_the_legal_offices_pass_first(published, inspector_a, city_supervisor):
    services.power_item_withdraw(item=published, actor=inspector_a, reason="职权取消")
    with pytest.raises(ValidationError, match="只有法制机构同意取消的事项才能批准取消"):
        services.power_item_withdraw_approve(item=published, actor=city_supervisor)
    assert PublishedPowerItem.objects.filter(item=published).exists()


@pytest.mark.parametrize("by", ["legal_office_a", "city_supervisor"])
def test_a_returned_withdrawal_leaves_the_item_published(
    request, published, inspector_a, legal_office_a, by
):
    """R2: the legal office returns a request, the supervisor one the legal office passed; the
    item is back on its published state with the reason in its timeline, and can be edited."""
    services.power_item_withdraw(item=published, actor=inspector_a, reason="职权取消")
    if by == "city_supervisor":
        services.power_item_withdraw_pass(item=published, actor=legal_office_a)
    reviewer = request.getfixturevalue(by)
    response = client_for(reviewer).post(
        reverse("enforcement:staff_item_return", args=[published.pk]), {"reason": "该职权仍有效"}
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED
    assert PublishedPowerItem.objects.filter(item=published).exists()
    event = published.timeline.last()
    assert (event.kind, event.actor, event.public) == (Kind.RETURNED, reviewer, False)
    assert "该职权仍有效" in event.note
    services.power_item_update(item=published, actor=inspector_a, data={"remarks": "继续有效"})


def test_a_returned_withdrawal_of_a_revision_goes_back_to_draft(
    published, inspector_a, legal_office_a
):
    """A revision in progress stays a revision: the public copy is unchanged."""
    services.power_item_update(item=published, actor=inspector_a, data={"remarks": "修订中"})
    services.power_item_withdraw(item=published, actor=inspector_a, reason="职权取消")
    services.power_item_return(item=published, actor=legal_office_a, reason="不同意")
    published.refresh_from_db()
    assert (published.status, published.has_unpublished_changes) == (Status.DRAFT, True)
    assert PublishedPowerItem.objects.get(item=published).remarks == ""


def test_an_item_under_review_cannot_be_withdrawn_meanwhile(agency_a, inspector_a):
    item = make_draft(agency_a, inspector_a)
    services.power_item_submit(item=item, actor=inspector_a)
    with pytest.raises(ValidationError, match="审核结束后才能申请取消"):
        services.power_item_withdraw(item=item, actor=inspector_a, reason="职权取消")
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED


def test_an_item_in_withdrawal_review_cannot_be_edited_or_published(
    published, inspector_a, city_supervisor
):
    services.power_item_withdraw(item=published, actor=inspector_a, reason="职权取消")
    with pytest.raises(ValidationError, match="审核期间不能修改"):
        services.power_item_update(item=published, actor=inspector_a, data={"remarks": "x"})
    with pytest.raises(ValidationError):
        services.power_item_publish(item=published, actor=city_supervisor)


def test_another_citys_supervisor_cannot_approve(published, inspector_a, legal_office_a, city_b):
    from portal.roles import Role
    from tests.conftest import _persona

    supervisor_b = _persona("supervisor_b", Role.SUPERVISOR, region=city_b)
    services.power_item_withdraw(item=published, actor=inspector_a, reason="职权取消")
    services.power_item_withdraw_pass(item=published, actor=legal_office_a)
    with pytest.raises(PermissionDenied):
        services.power_item_withdraw_approve(item=published, actor=supervisor_b)
    url = reverse("enforcement:staff_item_withdrawal_approve", args=[published.pk])
    assert client_for(supervisor_b).post(url).status_code == 404
    assert PublishedPowerItem.objects.filter(item=published).exists()


def test_the_queues_carry_withdrawals_with_their_reason(
    agency_a,
    inspector_a,
    legal_office_a,
    city_supervisor,
    published,
    django_assert_max_num_queries,
):
    """R2: the legal office and the supervisor find a request in their queues, with the reason
    and a link to the item's page, where it is read and decided (issue 14: no deciding from the
    list), at a fixed number of queries."""
    services.power_item_withdraw(item=published, actor=inspector_a, reason="职能整体划转")
    legal = client_for(legal_office_a)
    url = reverse("enforcement:staff_legal_queue")
    legal.get(url)
    with django_assert_max_num_queries(10) as few:
        html = legal.get(url).content.decode()
    detail = reverse("enforcement:staff_item_detail", args=[published.pk])
    assert "职能整体划转" in html and "审阅取消申请" in html
    assert f"{detail}?from=legal_queue#actions" in html
    assert reverse("enforcement:staff_item_withdrawal_pass", args=[published.pk]) not in html
    for n in range(10):
        other = make_published(
            agency_a, inspector_a, legal_office_a, city_supervisor, code=f"W-{n}"
        )
        services.power_item_withdraw(item=other, actor=inspector_a, reason=f"原因{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        legal.get(url)

    services.power_item_withdraw_pass(item=published, actor=legal_office_a)
    supervisor = client_for(city_supervisor)
    html = supervisor.get(reverse("enforcement:staff_supervisor_queue")).content.decode()
    assert "职能整体划转" in html and "审阅取消申请" in html
    assert f"{detail}?from=supervisor_queue#actions" in html
    assert reverse("enforcement:staff_item_withdrawal_approve", args=[published.pk]) not in html


def test_the_item_page_offers_each_office_its_step(
    published, inspector_a, legal_office_a, city_supervisor
):
    url = reverse("enforcement:staff_item_detail", args=[published.pk])
    assert "申请取消该事项" in client_for(inspector_a).get(url).content.decode()
    services.power_item_withdraw(item=published, actor=inspector_a, reason="职能整体划转")
    html = client_for(legal_office_a).get(url).content.decode()
    assert "同意取消" in html and "职能整体划转" in html and "退回取消申请" in html
    assert "申请取消该事项" not in client_for(inspector_a).get(url).content.decode()
    services.power_item_withdraw_pass(item=published, actor=legal_office_a)
    html = client_for(city_supervisor).get(url).content.decode()
    assert "批准取消" in html


def test_the_api_takes_the_same_three_steps(
    published, inspector_a, legal_office_a, city_supervisor
):
    """R2 through the staff API: withdraw (the request), withdrawal/pass, withdrawal/approve."""

    def post(user, action, body=None):
        url = reverse(f"api:staff-power-item-{action}", args=[published.pk])
        return client_for(user).post(url, body or {}, content_type="application/json")

    assert post(inspector_a, "withdraw", {"reason": "职权取消"}).json()["status"] == "withdrawing"
    assert post(inspector_a, "withdrawal-pass").status_code == 403
    assert post(city_supervisor, "withdrawal-approve").status_code == 400
    assert post(legal_office_a, "withdrawal-pass").json()["status"] == "withdraw_passed"
    assert post(legal_office_a, "withdrawal-approve").status_code == 403
    assert PublishedPowerItem.objects.filter(item=published).exists()
    assert post(city_supervisor, "withdrawal-approve").json()["status"] == "withdrawn"
    assert not PublishedPowerItem.objects.filter(item=published).exists()


def test_the_public_reads_the_reasons_of_withdrawals_at_a_fixed_cost(
    agency_a,
    inspector_a,
    legal_office_a,
    city_supervisor,
    public_client,
    django_assert_max_num_queries,
):
    """R2, R3: a withdrawn item has no page any more; its agency's page of withdrawn items
    keeps its approved reason. A request still under review is not there."""
    from .staff_factories import withdraw_through_review

    url = reverse("enforcement:public-agency-withdrawn", args=[agency_a.pk])
    gone = make_published(agency_a, inspector_a, legal_office_a, city_supervisor, code="G-1")
    withdraw_through_review(gone, inspector_a, legal_office_a, city_supervisor, "职能整体划转")
    pending = make_published(
        agency_a, inspector_a, legal_office_a, city_supervisor, code="P-1", name="仍待审核的事项"
    )
    services.power_item_withdraw(item=pending, actor=inspector_a, reason="尚未批准的原因")
    with django_assert_max_num_queries(6) as few:
        html = public_client.get(url).content.decode()
    assert "G-1" in html and "职能整体划转" in html
    assert "尚未批准的原因" not in html and "仍待审核的事项" not in html
    for n in range(12):
        item = make_published(agency_a, inspector_a, legal_office_a, city_supervisor, code=f"X-{n}")
        withdraw_through_review(item, inspector_a, legal_office_a, city_supervisor, f"原因{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert public_client.get(url).status_code == 200


@pytest.mark.parametrize("page", ["abc", "0", "１", "999999"])
def test_a_bad_page_of_withdrawals_is_a_chinese_400(agency_a, public_client, page):
    url = reverse("enforcement:public-agency-withdrawn", args=[agency_a.pk])
    response = public_client.get(url, {"page": page})
    assert response.status_code == 400
    assert "页码应为" in response.content.decode()
