"""R17: handling an accepted complaint from its page: assignment, the agency's written
response, steps and progress, material, one extension, the feedback and the referral."""

import pytest
from django.urls import reverse

from complaints.models import AgencyRequest, Complaint, ComplaintEvent, Result
from portal.roles import Role
from portal.services import user_assign_role
from tests.conftest import client_for
from tests.factories import UserFactory

from .staff_pages import closed, in_handling, registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint(agency_a, city_supervisor):
    return in_handling(agency_a, city_supervisor)


@pytest.fixture
def county_supervisor(county_a):
    user = UserFactory(username="county_supervisor", name="乙县监督员")
    return user_assign_role(user=user, role=Role.SUPERVISOR, actor=None, region=county_a)


def act(client, complaint, name, **data):
    url = reverse("complaints:staff-action", args=[complaint.pk, name])
    return client.post(url, {f"{name}-{k}": v for k, v in data.items()}, follow=True)


def test_the_page_offers_the_handling_steps(city_supervisor, complaint):
    html = client_for(city_supervisor).get(complaint.get_absolute_url()).content.decode()
    for name in ("assign", "ask", "step", "material", "extend", "close"):
        assert f'id="action-{name}"' in html, name
    assert 'id="action-accept"' not in html


def test_the_handler_is_chosen_among_the_supervisors_over_the_region(
    city_supervisor, county_supervisor, agency_a, county_agency_a
):
    """A county's supervisor may handle the county's complaints, not the city's."""
    client = client_for(city_supervisor)
    city_case = in_handling(agency_a, city_supervisor)
    response = act(client, city_case, "assign", handler=county_supervisor.pk)
    assert "选择一个有效的选项" in response.content.decode()
    county_case = in_handling(county_agency_a, city_supervisor)
    act(client, county_case, "assign", handler=county_supervisor.pk)
    county_case.refresh_from_db()
    assert county_case.handler == county_supervisor
    assert client_for(county_supervisor).get(county_case.get_absolute_url()).status_code == 200


def test_the_handler_asks_the_agency_for_a_written_response(city_supervisor, complaint):
    act(
        client_for(city_supervisor),
        complaint,
        "ask",
        question="请说明执法经过。",
        share_identity="on",
    )
    request = AgencyRequest.objects.get()
    assert request.agency == complaint.agency and request.share_identity
    html = client_for(city_supervisor).get(complaint.get_absolute_url()).content.decode()
    assert "请说明执法经过。" in html and "尚未答复" in html


def test_an_empty_question_is_refused_in_chinese(city_supervisor, complaint):
    response = act(client_for(city_supervisor), complaint, "ask", question="  ")
    assert "请填写需说明的事项。" in response.content.decode()
    assert not AgencyRequest.objects.exists()


def test_steps_are_internal_unless_told_to_the_complainant(city_supervisor, complaint):
    client = client_for(city_supervisor)
    act(client, complaint, "step", note="调取执法记录仪视频。")
    act(client, complaint, "step", note="已约谈执法人员。", public="on")
    steps = dict(
        complaint.timeline.filter(
            kind__in=[ComplaintEvent.Kind.INVESTIGATION, ComplaintEvent.Kind.PROGRESS]
        ).values_list("note", "public")
    )
    assert steps == {"调取执法记录仪视频。": False, "已约谈执法人员。": True}
    html = client.get(complaint.get_absolute_url()).content.decode()
    assert "内部" in html and "投诉人可见" in html


def test_material_is_requested_from_the_complainant(city_supervisor, complaint):
    act(client_for(city_supervisor), complaint, "material", note="请提供现场照片。")
    complaint.refresh_from_db()
    assert complaint.material_requested


def test_the_period_is_extended_once_only(city_supervisor, complaint):
    """R17: one extension, with a reason; a second is refused and changes nothing."""
    client = client_for(city_supervisor)
    before = complaint.handling_due
    act(client, complaint, "extend", reason="需调取外地证据。")
    complaint.refresh_from_db()
    extended = complaint.handling_due
    assert extended > before and complaint.extension_reason == "需调取外地证据。"
    response = act(client, complaint, "extend", reason="再延一次。")
    assert "办理期限只能延长一次。" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.handling_due == extended and complaint.extension_reason == "需调取外地证据。"


def test_an_extension_without_a_reason_is_refused(city_supervisor, complaint):
    response = act(client_for(city_supervisor), complaint, "extend", reason="")
    assert "请填写延期理由。" in response.content.decode()
    complaint.refresh_from_db()
    assert not complaint.extended


def test_closing_records_the_result_and_the_feedback(city_supervisor, complaint):
    """R17: the result and the feedback close the complaint."""
    act(
        client_for(city_supervisor),
        complaint,
        "close",
        result=Result.SUBSTANTIATED,
        measures="责令改正。",
        feedback="投诉属实，已责令改正。",
    )
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED and complaint.result == "substantiated"
    assert complaint.due_on is None


def test_closing_as_substantiated_without_measures_is_refused(city_supervisor, complaint):
    response = act(
        client_for(city_supervisor),
        complaint,
        "close",
        result=Result.SUBSTANTIATED,
        feedback="属实。",
    )
    assert "请填写处理措施。" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.HANDLING


def test_a_substantiated_complaint_is_referred_to_accountability(city_supervisor, agency_a):
    """R26, R27: a complaint found true is sent on; only once."""
    complaint = closed(agency_a, city_supervisor)
    client = client_for(city_supervisor)
    assert 'id="action-refer"' in client.get(complaint.get_absolute_url()).content.decode()
    act(client, complaint, "refer", note="移送问责。")
    complaint.refresh_from_db()
    assert complaint.referred_at is not None
    response = act(client, complaint, "refer", note="再次移送。")
    assert "该投诉已经移送责任追究。" in response.content.decode()


def test_a_complaint_found_untrue_cannot_be_referred(city_supervisor, agency_a):
    complaint = closed(agency_a, city_supervisor, result=Result.NOT_SUBSTANTIATED)
    client = client_for(city_supervisor)
    assert 'id="action-refer"' not in client.get(complaint.get_absolute_url()).content.decode()
    response = act(client, complaint, "refer", note="移送。")
    assert "只有核查属实或部分属实的投诉可以移送责任追究。" in response.content.decode()


def test_handling_steps_are_refused_before_acceptance(city_supervisor, agency_a):
    complaint = registered(agency_a)
    response = act(client_for(city_supervisor), complaint, "step", note="调查。")
    assert "不能办理" in response.content.decode()
    assert not complaint.timeline.filter(kind=ComplaintEvent.Kind.INVESTIGATION).exists()
