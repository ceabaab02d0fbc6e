"""R16, R17: accepting, refusing and transferring a complaint from its page, and the
complainant's identity shown only on request, to those allowed, every time logged."""

import pytest
from django.urls import reverse

from complaints.models import Complaint, ComplaintEvent, IdentityView, RefusalReason
from tests.conftest import client_for

from .staff_pages import registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint(agency_a):
    return registered(agency_a)


def act(client, complaint, name, **data):
    url = reverse("complaints:staff-action", args=[complaint.pk, name])
    return client.post(url, {f"{name}-{k}": v for k, v in data.items()}, follow=True)


def test_the_page_offers_the_decisions_while_the_complaint_awaits_one(city_supervisor, complaint):
    html = client_for(city_supervisor).get(complaint.get_absolute_url()).content.decode()
    for name in ("accept", "refuse", "transfer"):
        assert f'id="action-{name}"' in html
    assert 'id="action-close"' not in html


def test_accepting_with_a_handler_starts_handling(city_supervisor, complaint):
    """R16: accepted and handed to a supervisor of the region in one step."""
    response = act(client_for(city_supervisor), complaint, "accept", handler=city_supervisor.pk)
    assert response.status_code == 200
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.HANDLING
    assert complaint.handler == city_supervisor and complaint.handling_due is not None
    assert f"已受理投诉 {complaint.number}" in response.content.decode()


def test_a_refusal_records_its_reason_in_the_register(city_supervisor, complaint):
    """R17: the reason of a refusal is told and kept."""
    act(
        client_for(city_supervisor),
        complaint,
        "refuse",
        reason=RefusalReason.UNDER_REVIEW,
        note="已申请行政复议。",
    )
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.REFUSED
    assert complaint.refusal_reason == RefusalReason.UNDER_REVIEW
    assert complaint.timeline.filter(kind=ComplaintEvent.Kind.REFUSED, public=True).exists()


def test_a_refusal_without_a_reason_is_refused_in_chinese_and_nothing_changes(
    city_supervisor, complaint
):
    """R17: a complaint not accepted must carry the reason told to the complainant."""
    response = act(client_for(city_supervisor), complaint, "refuse", reason="", note="不受理")
    assert "不予受理必须选择理由。" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.REGISTERED and complaint.refusal_reason == ""


def test_other_as_reason_needs_the_reason_written(city_supervisor, complaint):
    response = act(client_for(city_supervisor), complaint, "refuse", reason=RefusalReason.OTHER)
    assert "理由为“其他”时，请写明具体理由。" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.REGISTERED


def test_a_second_decision_is_refused(city_supervisor, complaint):
    """R16: one decision per complaint; the second is refused with the date of the first."""
    client = client_for(city_supervisor)
    act(client, complaint, "accept")
    response = act(client, complaint, "refuse", reason=RefusalReason.DUPLICATE)
    assert "不能再次决定" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ACCEPTED and complaint.refusal_reason == ""


def test_a_transfer_names_the_office_or_is_refused(city_supervisor, complaint):
    client = client_for(city_supervisor)
    response = act(client, complaint, "transfer", to="")
    assert "请填写有权处理的机关。" in response.content.decode()
    act(client, complaint, "transfer", to="甲市公安局", note="属治安管理事项。")
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.TRANSFERRED
    assert complaint.transferred_to == "甲市公安局"


def test_an_unknown_action_is_not_found(city_supervisor, complaint):
    url = reverse("complaints:staff-action", args=[complaint.pk, "delete"])
    assert client_for(city_supervisor).post(url).status_code == 404


def test_the_identity_is_masked_until_revealed_and_each_reveal_is_logged(
    city_supervisor, complaint
):
    """Privacy: the name shows only on request, and the request leaves a log row."""
    client = client_for(city_supervisor)
    html = client.get(complaint.get_absolute_url()).content.decode()
    assert "张三" not in html and "13800000000" not in html and "显示投诉人信息" in html
    assert not IdentityView.objects.exists()
    html = client.post(complaint.get_absolute_url(), {"reveal": "1"}).content.decode()
    assert "张三" in html and "13800000000" in html and "zhangsan@example.com" in html
    view = IdentityView.objects.get()
    assert (view.user, view.complaint, view.where) == (city_supervisor, complaint, "detail")


@pytest.mark.parametrize("who", ["sysadmin", "outsider_b"])
def test_the_identity_is_never_revealed_to_others(request, who, complaint):
    """Not even the administrator sees the complainant; the outsider not even the complaint."""
    client = client_for(request.getfixturevalue(who))
    response = client.post(complaint.get_absolute_url(), {"reveal": "1"})
    assert response.status_code == 403
    assert "张三" not in response.content.decode()
    assert not IdentityView.objects.exists()
    if who == "sysadmin":
        html = client.get(complaint.get_absolute_url()).content.decode()
        assert "显示投诉人信息" not in html and "张*" in html


def test_an_anonymous_complaint_has_nothing_to_reveal(city_supervisor, agency_a):
    complaint = registered(agency_a, anonymous=True)
    client = client_for(city_supervisor)
    html = client.get(complaint.get_absolute_url()).content.decode()
    assert "匿名投诉" in html and "显示投诉人信息" not in html
    assert client.post(complaint.get_absolute_url(), {"reveal": "1"}).status_code == 403
