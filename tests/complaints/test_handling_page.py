"""R15–R17: the complaint's page organised by step (registration, acknowledgement, acceptance
decision, handling, finding, feedback, closing), offering only the actions the services' state
rules allow now, keeping the chosen handler, flagging an overdue complaint as the register
does, and confirming each action by what was done."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.timezone import localdate

from complaints.models import Complaint, ReceivedVia
from complaints.services.deadlines import warning_horizon
from complaints.services.decisions import complaint_refuse, complaint_transfer
from complaints.services.handling import complaint_extend, complaint_request_material
from complaints.services.steps import complaint_actions, complaint_steps
from portal.roles import Role
from portal.services import user_assign_role
from tests.conftest import client_for
from tests.factories import UserFactory

from .staff_pages import closed, in_handling, registered, texts

pytestmark = pytest.mark.django_db

REGISTER = reverse("complaints:staff-register")


def page(user, complaint) -> str:
    response = client_for(user).get(complaint.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def offered(html: str) -> set[str]:
    return set(re.findall(r'id="action-([a-z]+)"', html))


def step_states(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-step="([a-z]+)" data-state="([a-z]+)"', html))


def act(client, complaint, name, **data):
    url = reverse("complaints:staff-action", args=[complaint.pk, name])
    return client.post(url, {f"{name}-{k}": v for k, v in data.items()}, follow=True)


def selected_handler(html: str, form: str) -> str | None:
    """The value of the selected option of `<form>-handler` (None if nothing is selected)."""
    select = re.search(rf'<select name="{form}-handler"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no handler select in the {form} form"
    chosen = re.search(r'<option value="(\d*)"[^>]*selected', select.group(1))
    return chosen.group(1) if chosen else None


@pytest.fixture
def colleague(city_a):
    """A second supervisor of city A, who may be chosen as handler."""
    user = UserFactory(username="colleague_a", name="甲市监督员二")
    return user_assign_role(user=user, role=Role.SUPERVISOR, actor=None, region=city_a)


def overdue(agency, supervisor) -> Complaint:
    """Received by phone three weeks ago: its acknowledgement deadline has passed."""
    from .test_register import file_complaint

    return file_complaint(
        agency,
        actor=supervisor,
        received_via=ReceivedVia.PHONE,
        received_on=localdate() - timedelta(days=21),
    ).complaint


# --- only the actions possible now ----------------------------------------------------------


def test_a_registered_complaint_offers_the_decision_and_nothing_else(agency_a, city_supervisor):
    """R16: before the decision only accepting, refusing or transferring can be done."""
    html = page(city_supervisor, registered(agency_a))
    assert offered(html) == {"accept", "refuse", "transfer"}
    states = step_states(html)
    assert states["registered"] == "done"
    assert states["acknowledged"] == states["decided"] == "current"
    assert {states[k] for k in ("handling", "result", "feedback", "closed")} == {"upcoming"}
    assert 'id="step-handling"' not in html and 'id="step-result"' not in html
    # the decision's forms sit under the step they complete
    decided = html.index('id="step-decided"')
    assert decided < html.index('id="action-accept"') < html.index("办理过程")


def test_in_handling_the_handling_steps_and_the_closing_are_offered(agency_a, city_supervisor):
    """R17: once accepted: assign, ask the agency, record, ask for material, extend, close."""
    complaint = in_handling(agency_a, city_supervisor)
    html = page(city_supervisor, complaint)
    assert offered(html) == {"assign", "ask", "step", "material", "extend", "close"}
    states = step_states(html)
    assert states["decided"] == "done" and states["handling"] == "current"
    handling, result = html.index('id="step-handling"'), html.index('id="step-result"')
    assert handling < html.index('id="action-ask"') < result < html.index('id="action-close"')


def test_material_already_asked_for_and_an_extension_used_are_not_offered_again(
    agency_a, city_supervisor
):
    """R17: one outstanding request for material at a time; the period extends once."""
    complaint = in_handling(agency_a, city_supervisor)
    complaint_request_material(complaint=complaint, actor=city_supervisor, note="请提供照片。")
    complaint_extend(complaint=complaint, actor=city_supervisor, reason="需现场复核。")
    html = page(city_supervisor, complaint)
    assert offered(html) == {"assign", "ask", "step", "close"}
    assert "已请投诉人补充，尚未收到" in html


def test_the_service_refuses_a_second_request_for_material_as_the_page_hides_it(
    agency_a, city_supervisor
):
    """One state rule (complaints.services.steps) for the page and the service."""
    complaint = in_handling(agency_a, city_supervisor)
    complaint_request_material(complaint=complaint, actor=city_supervisor, note="请提供照片。")
    with pytest.raises(ValidationError, match="不能重复要求"):
        complaint_request_material(complaint=complaint, actor=city_supervisor, note="再提供。")
    assert complaint.timeline.filter(kind="material_requested").count() == 1


def test_a_substantiated_closed_complaint_offers_only_the_referral(agency_a, city_supervisor):
    """R26: after closing, a substantiated complaint can go on to accountability, once."""
    html = page(city_supervisor, closed(agency_a, city_supervisor))
    assert offered(html) == {"refer"}
    assert set(step_states(html).values()) == {"done"}
    assert "移送责任追究并登记线索" in html


def test_a_complaint_not_substantiated_offers_nothing_once_closed(agency_a, city_supervisor):
    html = page(city_supervisor, closed(agency_a, city_supervisor, result="not_substantiated"))
    assert offered(html) == set()


@pytest.mark.parametrize("decision", ["refuse", "transfer"])
def test_a_refused_or_transferred_complaint_skips_the_handling_steps(
    agency_a, city_supervisor, decision
):
    """R17: not accepted (or sent elsewhere): nothing more to do here; the later steps do not
    apply."""
    complaint = registered(agency_a)
    if decision == "refuse":
        complaint_refuse(complaint=complaint, actor=city_supervisor, reason="duplicate")
    else:
        complaint_transfer(complaint=complaint, actor=city_supervisor, to="丙市司法局")
    html = page(city_supervisor, complaint)
    assert offered(html) == set()
    states = step_states(html)
    assert states["decided"] == "done"
    assert {states[k] for k in ("handling", "result", "feedback", "closed")} == {"skipped"}


def test_an_administrator_reads_the_page_but_is_offered_no_action(agency_a, sysadmin):
    assert offered(page(sysadmin, registered(agency_a))) == set()


def test_the_page_offers_exactly_what_the_service_layer_allows_in_every_state(
    agency_a, city_supervisor, colleague
):
    """The page does not decide: its forms are `complaint_actions` for each state and user."""
    handled_by_colleague = in_handling(agency_a, city_supervisor)
    Complaint.objects.filter(pk=handled_by_colleague.pk).update(handler=colleague)
    complaints = [
        registered(agency_a),
        in_handling(agency_a, city_supervisor),
        handled_by_colleague,
        closed(agency_a, city_supervisor),
        closed(agency_a, city_supervisor, result="not_substantiated"),
    ]
    for user in (city_supervisor, colleague):
        for complaint in complaints:
            complaint = Complaint.objects.get(pk=complaint.pk)
            expected = set(complaint_actions(actor=user, complaint=complaint))
            assert offered(page(user, complaint)) == expected, (user, complaint.status)
            steps = complaint_steps(actor=user, complaint=complaint)
            assert {a for s in steps for a in s.actions} == expected


# --- the chosen handler stays selected --------------------------------------------------------


def test_the_handler_chosen_on_acceptance_is_selected_in_the_assign_form(
    agency_a, city_supervisor, colleague
):
    complaint = registered(agency_a)
    response = act(client_for(city_supervisor), complaint, "accept", handler=colleague.pk)
    assert selected_handler(response.content.decode(), "assign") == str(colleague.pk)


def test_the_handler_stays_selected_after_another_forms_refusal(
    agency_a, city_supervisor, colleague
):
    """A refused closing (no feedback) re-shows the page: the handler is still the one chosen."""
    complaint = in_handling(agency_a, city_supervisor)
    act(client_for(city_supervisor), complaint, "assign", handler=colleague.pk)
    response = act(client_for(city_supervisor), complaint, "close", result="substantiated")
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写反馈意见。" in html
    assert selected_handler(html, "assign") == str(colleague.pk)


def test_a_refused_acceptance_keeps_the_handler_that_was_chosen(
    agency_a, city_supervisor, colleague
):
    """The acceptance refused (its note too long): the form comes back with the choice made."""
    complaint = registered(agency_a)
    response = act(
        client_for(city_supervisor), complaint, "accept", handler=colleague.pk, note="长" * 2001
    )
    assert response.status_code == 400
    assert selected_handler(response.content.decode(), "accept") == str(colleague.pk)
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.REGISTERED


# --- the overdue flag, as in the register ------------------------------------------------------


def test_an_overdue_complaint_is_flagged_red_on_its_page_as_in_the_register(
    agency_a, city_supervisor
):
    complaint = overdue(agency_a, city_supervisor)
    assert complaint.due_on < localdate()
    html = page(city_supervisor, complaint)
    assert html.count('data-due="red"') >= 1 and "已逾期" in html
    register = client_for(city_supervisor).get(REGISTER).content.decode()
    row = re.search(rf"{complaint.number}.*?</tr>", register, re.S).group(0)
    assert 'data-due="red"' in row


def test_a_complaint_due_soon_is_flagged_yellow_on_both(agency_a, city_supervisor):
    complaint = registered(agency_a)
    Complaint.objects.filter(pk=complaint.pk).update(due_on=warning_horizon(localdate()))
    html = page(city_supervisor, complaint)
    assert 'data-due="yellow"' in html and 'data-due="red"' not in html
    register = client_for(city_supervisor).get(REGISTER).content.decode()
    assert 'data-due="yellow"' in register


def test_a_decided_complaint_is_no_longer_flagged(agency_a, city_supervisor):
    """Once refused, no deadline runs: neither the page nor the register flags it."""
    complaint = overdue(agency_a, city_supervisor)
    complaint_refuse(complaint=complaint, actor=city_supervisor, reason="duplicate")
    assert "data-due=" not in page(city_supervisor, complaint)
    assert "data-due=" not in client_for(city_supervisor).get(REGISTER).content.decode()


def test_the_status_is_a_coloured_badge_on_the_page_and_in_the_register(agency_a, city_supervisor):
    complaint = in_handling(agency_a, city_supervisor)
    assert 'class="badge tone-blue" data-status="handling"' in page(city_supervisor, complaint)
    register = client_for(city_supervisor).get(REGISTER).content.decode()
    assert 'data-status="handling">办理中</span>' in register


# --- confirmations that name what was done ----------------------------------------------------


def test_each_action_is_confirmed_by_what_was_done(agency_a, city_supervisor, colleague):
    client = client_for(city_supervisor)
    complaint = registered(agency_a)
    number = complaint.number

    said = texts(act(client, complaint, "accept"))
    complaint.refresh_from_db()
    assert said == [
        f"已受理投诉 {number}，办理期限至 {complaint.handling_due:%Y-%m-%d}，已告知投诉人。"
    ]
    said = texts(act(client, complaint, "assign", handler=colleague.pk))
    assert said == [f"已指定 {colleague} 承办投诉 {number}，并已通知承办人。"]
    said = texts(act(client, complaint, "ask", question="请说明执法经过。"))
    assert said[0].startswith(f"已要求{agency_a.name}于 ") and "作出书面说明" in said[0]
    assert texts(act(client, complaint, "step", note="调取视频。")) == [
        "已记录调查核实情况（内部，投诉人不可见）。"
    ]
    assert texts(act(client, complaint, "step", note="已约谈。", public="on")) == [
        "已记录办理进展，并告知投诉人。"
    ]
    assert texts(act(client, complaint, "material", note="请提供照片。")) == [
        "已请投诉人补充材料，投诉人可在投诉查询页面提交。"
    ]
    said = texts(act(client, complaint, "extend", reason="需现场复核。"))
    complaint.refresh_from_db()
    assert said == [
        f"投诉 {number} 的办理期限已延长至 {complaint.handling_due:%Y-%m-%d}，已告知投诉人。"
    ]
    said = texts(
        act(
            client,
            complaint,
            "close",
            result="partly",
            measures="责令改正。",
            feedback="部分属实。",
        )
    )
    assert said == [f"投诉 {number} 已办结（部分属实），反馈意见已告知投诉人。"]


@pytest.mark.parametrize(
    ("decision", "data", "expected"),
    [
        (
            "refuse",
            {"reason": "duplicate"},
            "已决定对投诉 {n} 不予受理，理由已告知投诉人并记入登记簿。",
        ),
        ("transfer", {"to": "丙市司法局"}, "投诉 {n} 已转丙市司法局办理，已告知投诉人。"),
    ],
)
def test_a_decision_not_to_accept_is_confirmed_by_name(
    agency_a, city_supervisor, decision, data, expected
):
    complaint = registered(agency_a)
    said = texts(act(client_for(city_supervisor), complaint, decision, **data))
    assert said == [expected.format(n=complaint.number)]
    assert "已保存。" not in said


# --- query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 12])
def test_the_register_with_badges_and_flags_runs_the_same_queries_for_more_rows(
    agency_a, city_supervisor, count, django_assert_max_num_queries
):
    for i in range(count):
        complaint = overdue(agency_a, city_supervisor) if i % 2 else registered(agency_a)
    client = client_for(city_supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(REGISTER)
    assert response.content.decode().count('data-due="red"') == count // 2
    assert complaint.number in response.content.decode()


@pytest.mark.parametrize("state", ["registered", "in_handling", "closed"])
def test_the_complaints_page_runs_a_bounded_number_of_queries(
    agency_a, city_supervisor, state, django_assert_max_num_queries
):
    complaint = {
        "registered": lambda: registered(agency_a),
        "in_handling": lambda: in_handling(agency_a, city_supervisor),
        "closed": lambda: closed(agency_a, city_supervisor),
    }[state]()
    client = client_for(city_supervisor)
    with django_assert_max_num_queries(20):
        response = client.get(complaint.get_absolute_url())
    assert response.status_code == 200
