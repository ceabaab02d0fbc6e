"""R16, R17: the decision on acceptance, told to the complainant and kept in the register."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from complaints.models import Complaint, ComplaintEvent, Notification, RefusalReason
from complaints.services.decisions import complaint_accept, complaint_refuse, complaint_transfer
from complaints.sms import LogBackend
from portal.roles import Role
from portal.services import user_assign_role
from tests.factories import UserFactory

from .test_register import file_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_outbox(monkeypatch):
    monkeypatch.setattr(LogBackend, "outbox", [])
    return LogBackend.outbox


@pytest.fixture
def other_city_supervisor(city_b):
    user = UserFactory(username="city_b_supervisor", name="丙市监督员")
    return user_assign_role(user=user, role=Role.SUPERVISOR, actor=None, region=city_b)


@pytest.fixture
def registered(agency_a):
    return file_complaint(agency_a).complaint


@pytest.fixture
def anonymous_complaint(agency_a):
    return file_complaint(agency_a, anonymous=True).complaint


def decide(capture, action, **kwargs):
    with capture(execute=True):
        return action(**kwargs)


def public_steps(complaint) -> list[str]:
    return list(complaint.timeline.filter(public=True).values_list("kind", flat=True))


def assert_told(complaint, mailoutbox, sms_outbox, subject: str, text: str):
    mail = [m for m in mailoutbox if m.subject == subject]
    assert len(mail) == 1 and mail[0].to == ["zhangsan@example.com"]
    assert text in mail[0].body and complaint.number in mail[0].body
    texts = [t for phone, t in sms_outbox if phone == "13800000000" and subject in t]
    assert len(texts) == 1 and text in texts[0]


def test_a_supervisor_accepts_and_the_complainant_is_told_by_mail_and_sms(
    registered, city_supervisor, mailoutbox, sms_outbox, django_capture_on_commit_callbacks
):
    """R16: accepted; the handling period starts and the complainant hears of it."""
    complaint = decide(
        django_capture_on_commit_callbacks,
        complaint_accept,
        complaint=registered,
        actor=city_supervisor,
    )
    assert complaint.status == Complaint.Status.ACCEPTED
    assert complaint.decided_by == city_supervisor and complaint.handling_due is not None
    assert complaint.due_on == complaint.handling_due
    assert public_steps(complaint) == ["registered", "accepted"]
    assert_told(complaint, mailoutbox, sms_outbox, "您的投诉已受理", "办结并反馈")


def test_a_refusal_tells_the_reason_and_the_register_keeps_it(
    registered, city_supervisor, mailoutbox, sms_outbox, django_capture_on_commit_callbacks
):
    """R17: the reason is told to the complainant and recorded in the register."""
    complaint = decide(
        django_capture_on_commit_callbacks,
        complaint_refuse,
        complaint=registered,
        actor=city_supervisor,
        reason=RefusalReason.OUT_OF_SCOPE,
    )
    assert complaint.status == Complaint.Status.REFUSED
    assert complaint.refusal_reason == RefusalReason.OUT_OF_SCOPE and complaint.due_on is None
    event = complaint.timeline.get(kind=ComplaintEvent.Kind.REFUSED)
    assert event.public and event.note == "不属于受理范围"
    assert_told(complaint, mailoutbox, sms_outbox, "您的投诉不予受理", "不属于受理范围")


def test_a_refusal_without_a_reason_is_refused(registered, city_supervisor):
    """R17: a complaint not accepted must carry the reason told to the complainant."""
    with pytest.raises(ValidationError) as caught:
        complaint_refuse(complaint=registered, actor=city_supervisor, reason="")
    assert "reason" in caught.value.message_dict
    registered.refresh_from_db()
    assert registered.status == Complaint.Status.REGISTERED


def test_the_reason_other_needs_a_note(registered, city_supervisor):
    """R17: "other" alone tells the complainant nothing."""
    with pytest.raises(ValidationError) as caught:
        complaint_refuse(
            complaint=registered, actor=city_supervisor, reason=RefusalReason.OTHER, note="  "
        )
    assert "note" in caught.value.message_dict
    complaint = complaint_refuse(
        complaint=registered,
        actor=city_supervisor,
        reason=RefusalReason.OTHER,
        note="投诉事项系民事纠纷。",
    )
    assert complaint.timeline.get(kind="refused").note == "其他：投诉事项系民事纠纷。"


def test_the_database_refuses_a_refusal_without_a_reason(registered):
    """R17: the invariant holds even for a raw update that bypasses the service."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=registered.pk).update(status="refused", refusal_reason="")


def test_a_second_decision_is_refused(registered, city_supervisor):
    """R16: the decision is taken once; it cannot be silently replaced."""
    complaint_accept(complaint=registered, actor=city_supervisor)
    for action, kwargs in (
        (complaint_refuse, {"reason": RefusalReason.DUPLICATE}),
        (complaint_transfer, {"to": "丙市司法局"}),
        (complaint_accept, {}),
    ):
        with pytest.raises(ValidationError, match="不能再次决定"):
            action(complaint=registered, actor=city_supervisor, **kwargs)
    registered.refresh_from_db()
    assert registered.status == Complaint.Status.ACCEPTED
    assert registered.timeline.filter(kind="accepted").count() == 1


def test_a_transfer_names_the_office_and_tells_the_complainant(
    registered, city_supervisor, mailoutbox, sms_outbox, django_capture_on_commit_callbacks
):
    """R16: transferred to the competent office, the complainant is told where."""
    with pytest.raises(ValidationError) as caught:
        complaint_transfer(complaint=registered, actor=city_supervisor, to=" ")
    assert "to" in caught.value.message_dict
    complaint = decide(
        django_capture_on_commit_callbacks,
        complaint_transfer,
        complaint=registered,
        actor=city_supervisor,
        to="甲市纪委监委",
    )
    assert complaint.status == Complaint.Status.TRANSFERRED
    assert complaint.transferred_to == "甲市纪委监委" and complaint.due_on is None
    assert public_steps(complaint) == ["registered", "transferred"]
    assert_told(complaint, mailoutbox, sms_outbox, "您的投诉已转办", "甲市纪委监委")


@pytest.mark.parametrize("action", ["accept", "refuse", "transfer"])
def test_an_anonymous_complainant_gets_no_notice_but_a_public_timeline_row(
    action,
    anonymous_complaint,
    city_supervisor,
    mailoutbox,
    sms_outbox,
    django_capture_on_commit_callbacks,
):
    """R16, R17: the anonymous follow their complaint on the tracking page only."""
    function, kwargs = {
        "accept": (complaint_accept, {}),
        "refuse": (complaint_refuse, {"reason": RefusalReason.INSUFFICIENT}),
        "transfer": (complaint_transfer, {"to": "甲市纪委监委"}),
    }[action]
    complaint = decide(
        django_capture_on_commit_callbacks,
        function,
        complaint=anonymous_complaint,
        actor=city_supervisor,
        **kwargs,
    )
    assert len(public_steps(complaint)) == 2
    assert not Notification.objects.filter(complaint=complaint).exists()
    assert mailoutbox == [] and sms_outbox == []


@pytest.mark.parametrize("who", ["outsider_b", "inspector_a", "legal_office_a", "other_city"])
@pytest.mark.parametrize("action", ["accept", "refuse", "transfer"])
def test_only_a_supervisor_of_the_region_decides(request, who, action, registered):
    """R16: the decision belongs to the government's supervisors, not to the agency
    complained about, nor to another city."""
    actor = request.getfixturevalue("other_city_supervisor" if who == "other_city" else who)
    function, kwargs = {
        "accept": (complaint_accept, {}),
        "refuse": (complaint_refuse, {"reason": RefusalReason.DUPLICATE}),
        "transfer": (complaint_transfer, {"to": "丙市司法局"}),
    }[action]
    with pytest.raises(PermissionDenied):
        function(complaint=registered, actor=actor, **kwargs)
    registered.refresh_from_db()
    assert registered.status == Complaint.Status.REGISTERED
    assert registered.timeline.count() == 1


def test_a_province_supervisor_may_decide_for_the_cities_below(province, registered):
    """R16: a supervisor's region covers the regions below it."""
    user = user_assign_role(
        user=UserFactory(username="province_supervisor"),
        role=Role.SUPERVISOR,
        actor=None,
        region=province,
    )
    assert complaint_accept(complaint=registered, actor=user).status == "accepted"


@pytest.mark.parametrize(
    ("action", "kwargs"),
    [(complaint_refuse, {"reason": ""}), (complaint_transfer, {"to": ""})],
)
def test_permission_is_checked_before_the_form(action, kwargs, registered, outsider_b):
    """R16: an outsider learns nothing about what a valid decision would need."""
    with pytest.raises(PermissionDenied):
        action(complaint=registered, actor=outsider_b, **kwargs)
