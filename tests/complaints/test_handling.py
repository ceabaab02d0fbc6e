"""R17: an accepted complaint is handled, its progress and result fed back to the complainant."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from complaints.models import Attachment, Complaint, ComplaintChannel, Notification, Result
from complaints.services import decisions
from complaints.services.decisions import complaint_accept
from complaints.services.handling import (
    agency_request_answer,
    complaint_add_material,
    complaint_ask_agency,
    complaint_assign,
    complaint_close,
    complaint_extend,
    complaint_rate,
    complaint_record_step,
    complaint_refer,
    complaint_request_material,
)
from portal.roles import Role
from portal.services import user_assign_role
from tests.factories import UserFactory
from workdays.deadlines import add_days, add_working_days

from .test_register import file_complaint, png

pytestmark = pytest.mark.django_db

D = date.fromisoformat


def supervisor(username, region):
    return user_assign_role(
        user=UserFactory(username=username), role=Role.SUPERVISOR, actor=None, region=region
    )


@pytest.fixture
def colleague(city_a):
    """Another supervisor of city A, to whom a complaint can be given."""
    return supervisor("colleague_a", city_a)


@pytest.fixture
def other_city_supervisor(city_b):
    return supervisor("city_b_supervisor", city_b)


@pytest.fixture
def accepted(agency_a, city_supervisor):
    complaint = file_complaint(agency_a).complaint
    return complaint_accept(complaint=complaint, actor=city_supervisor)


@pytest.fixture
def handled(accepted, city_supervisor, colleague):
    return complaint_assign(complaint=accepted, actor=city_supervisor, handler=colleague)


def notices(complaint, key_part: str) -> list[Notification]:
    return list(Notification.objects.filter(complaint=complaint, key__contains=key_part))


# --- assignment


def test_the_handler_is_a_supervisor_covering_the_region(
    accepted, city_supervisor, colleague, inspector_a, other_city_supervisor
):
    """R17: the complaint is handled by the government's supervisors, never by the agency."""
    for wrong in (inspector_a, other_city_supervisor):
        with pytest.raises(ValidationError) as caught:
            complaint_assign(complaint=accepted, actor=city_supervisor, handler=wrong)
        assert "handler" in caught.value.message_dict
    complaint = complaint_assign(complaint=accepted, actor=city_supervisor, handler=colleague)
    assert complaint.handler == colleague and complaint.status == Complaint.Status.HANDLING
    assert not complaint.timeline.get(kind="assigned").public
    assert notices(complaint, "assigned")[0].recipients == ["colleague_a@example.gov.cn"]


def test_only_a_supervisor_of_the_region_assigns(accepted, colleague, outsider_b, inspector_a):
    """R17: nobody else hands the complaint out."""
    for actor in (outsider_b, inspector_a):
        with pytest.raises(PermissionDenied):
            complaint_assign(complaint=accepted, actor=actor, handler=colleague)


def test_a_complaint_not_accepted_cannot_be_handled(agency_a, city_supervisor, colleague):
    """R17: handling follows acceptance."""
    registered = file_complaint(agency_a).complaint
    with pytest.raises(ValidationError, match="不能办理"):
        complaint_assign(complaint=registered, actor=city_supervisor, handler=colleague)


# --- the agency's written response


def test_asking_the_agency_notifies_its_staff(handled, colleague, inspector_a, legal_office_a):
    """R17: the agency complained about is asked to answer in writing, by e-mail to its staff."""
    request = complaint_ask_agency(complaint=handled, actor=colleague, question="请说明查封依据。")
    assert request.agency == handled.agency and request.respond_by > date(2000, 1, 1)
    (notice,) = notices(handled, f"request:{request.pk}")
    assert notice.recipients == ["inspector_a@example.gov.cn", "legal_office_a@example.gov.cn"]
    assert "请说明查封依据。" in notice.body
    assert not handled.timeline.get(kind="agency_asked").public


def test_the_agencys_answer_period_is_the_regions_choice_ten_working_days_by_default(
    handled, colleague, city_a
):
    """A local choice, not the policy's: the agency answers in writing within the working days
    the channel of the complaint's region sets; without one, the portal's default of 10."""
    today = timezone.localdate()
    first = complaint_ask_agency(complaint=handled, actor=colleague, question="请说明查封依据。")
    assert first.respond_by == add_working_days(start=today, days=10).deadline
    ComplaintChannel.objects.create(
        region=city_a, office="甲市司法局", hotline="12345", agency_response_working_days=5
    )
    second = complaint_ask_agency(complaint=handled, actor=colleague, question="请补充说明。")
    assert second.respond_by == add_working_days(start=today, days=5).deadline


def test_only_that_agencys_staff_answer_and_only_once(
    handled, colleague, inspector_a, outsider_b, city_supervisor
):
    """R17: the agency's own answer; nobody answers for it, and it is not rewritten."""
    request = complaint_ask_agency(complaint=handled, actor=colleague, question="请说明查封依据。")
    for actor in (outsider_b, city_supervisor, colleague):
        with pytest.raises(PermissionDenied):
            agency_request_answer(request=request, actor=actor, answer="代为答复。")
    answered = agency_request_answer(
        request=request, actor=inspector_a, answer="依据《食品安全法》第一百一十条。"
    )
    assert answered.answered_by == inspector_a and answered.answered_at is not None
    with pytest.raises(ValidationError, match="不能重复答复"):
        agency_request_answer(request=request, actor=inspector_a, answer="改一下。")
    assert notices(handled, f"request:{request.pk}:answered")[0].recipients == [
        "colleague_a@example.gov.cn"
    ]
    assert not handled.timeline.get(kind="agency_answered").public


# --- steps, material


def test_progress_is_told_to_the_complainant_and_investigation_is_not(handled, colleague):
    """R17: progress is fed back; investigation notes stay internal."""
    progress = complaint_record_step(
        complaint=handled, actor=colleague, note="已调取执法记录仪视频。", public=True
    )
    investigation = complaint_record_step(
        complaint=handled, actor=colleague, note="执法人员王某称当日未佩戴证件。", public=False
    )
    assert (progress.kind, progress.public) == ("progress", True)
    assert (investigation.kind, investigation.public) == ("investigation", False)
    assert len(notices(handled, f"progress:{progress.pk}")) == 2  # e-mail and SMS
    assert not Notification.objects.filter(body__contains="王某").exists()


def test_the_outsider_cannot_record_anything(handled, outsider_b, inspector_a):
    """R17: the agency complained about never writes into the handling."""
    for actor in (outsider_b, inspector_a):
        with pytest.raises(PermissionDenied):
            complaint_record_step(complaint=handled, actor=actor, note="无", public=True)


def test_material_is_requested_then_added_by_the_complainant(
    handled, colleague, settings, tmp_path
):
    """R17: the complainant is asked for material and answers from the tracking page."""
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError, match="没有需要补充"):
        complaint_add_material(complaint=handled, note="主动补充。")
    complaint = complaint_request_material(
        complaint=handled, actor=colleague, note="请提供查封当日的照片。"
    )
    assert complaint.material_requested
    assert complaint.timeline.get(kind="material_requested").public
    event = complaint_add_material(complaint=handled, note="照片见附件。", files=[png()])
    assert event.public and event.kind == "material_added"
    assert Attachment.objects.get(event=event).extension == "png"
    handled.refresh_from_db()
    assert not handled.material_requested
    with pytest.raises(ValidationError):
        complaint_add_material(complaint=handled, note="再来一张。")


# --- extension


def test_the_period_is_extended_once_from_the_end_of_the_first_with_a_public_reason(
    agency_a, city_a, city_supervisor, monkeypatch
):
    """R17 and the Civil Code: accepted Thu 20 Aug 2026 with a 30-day period: 19 Sep is a
    Saturday, so the period ends on the next working day, Sun 20 Sep (调休). The 15-day extension
    runs from there: 5 Oct falls in the National Day holiday, so it ends Thu 8 Oct 2026."""
    ComplaintChannel.objects.create(
        region=city_a,
        office="甲市司法局",
        scope="行政执法",
        email="jd@example.gov.cn",
        handling_days=30,
        extension_days=15,
    )
    monkeypatch.setattr(decisions, "localdate", lambda: D("2026-08-20"))
    complaint = complaint_accept(
        complaint=file_complaint(agency_a).complaint, actor=city_supervisor
    )
    assert complaint.handling_due == D("2026-09-20")
    with pytest.raises(ValidationError):
        complaint_extend(complaint=complaint, actor=city_supervisor, reason=" ")
    complaint = complaint_extend(
        complaint=complaint, actor=city_supervisor, reason="需现场勘验，等待检测报告。"
    )
    assert complaint.handling_due == D("2026-10-08") == complaint.due_on
    assert complaint.handling_due == add_days(start=D("2026-09-20"), days=15).deadline
    event = complaint.timeline.get(kind="extended")
    assert event.public and "需现场勘验" in event.note and "2026-10-08" in event.note
    with pytest.raises(ValidationError, match="只能延长一次"):
        complaint_extend(complaint=complaint, actor=city_supervisor, reason="再延一次。")


# --- closing, referral, rating


def test_closing_needs_a_result_and_feedback(handled, colleague):
    """R17: the result is fed back to the complainant."""
    with pytest.raises(ValidationError):
        complaint_close(
            complaint=handled, actor=colleague, result="", measures="", feedback="已核实。"
        )
    with pytest.raises(ValidationError):
        complaint_close(
            complaint=handled,
            actor=colleague,
            result=Result.SUBSTANTIATED,
            measures="责令改正。",
            feedback=" ",
        )
    with pytest.raises(ValidationError):  # a finding that it is true says what was done
        complaint_close(
            complaint=handled,
            actor=colleague,
            result=Result.SUBSTANTIATED,
            measures="",
            feedback="属实。",
        )
    complaint = complaint_close(
        complaint=handled,
        actor=colleague,
        result=Result.SUBSTANTIATED,
        measures="责令改正，对执法人员批评教育。",
        feedback="经核查，投诉属实，已责令改正。",
    )
    assert complaint.status == Complaint.Status.CLOSED and complaint.due_on is None
    event = complaint.timeline.get(kind="closed")
    assert event.public and "投诉属实" in event.note
    assert len(notices(complaint, "closed")) == 2


def close(complaint, actor, result):
    return complaint_close(
        complaint=complaint, actor=actor, result=result, measures="责令改正。", feedback="已办结。"
    )


def test_only_a_substantiated_complaint_is_referred_and_once(agency_a, city_supervisor, colleague):
    """R17, R26: a substantiated or partly substantiated finding goes on to accountability."""
    unfounded = complaint_accept(
        complaint=file_complaint(agency_a).complaint, actor=city_supervisor
    )
    close(unfounded, city_supervisor, Result.NOT_SUBSTANTIATED)
    with pytest.raises(ValidationError, match="属实"):
        complaint_refer(complaint=unfounded, actor=city_supervisor, note="移送。")
    for result in (Result.SUBSTANTIATED, Result.PARTLY):
        complaint = complaint_accept(
            complaint=file_complaint(agency_a).complaint, actor=city_supervisor
        )
        close(complaint, city_supervisor, result)
        referred = complaint_refer(complaint=complaint, actor=city_supervisor, note="移送问责。")
        assert referred.referred_at is not None
        with pytest.raises(ValidationError, match="已经移送"):
            complaint_refer(complaint=complaint, actor=city_supervisor, note="再移送。")


def test_the_complainant_rates_once_from_one_to_five_only_when_closed(handled, colleague):
    """R17: the complainant's say on the handling, once it is over."""
    with pytest.raises(ValidationError, match="办结后"):
        complaint_rate(complaint=handled, rating=5)
    close(handled, colleague, Result.PARTLY)
    for wrong in (0, 6):
        with pytest.raises(ValidationError):
            complaint_rate(complaint=handled, rating=wrong)
    rated = complaint_rate(complaint=handled, rating=4, comment="处理及时。")
    assert (rated.rating, rated.rating_comment) == (4, "处理及时。")
    assert rated.timeline.get(kind="rated").public
    with pytest.raises(ValidationError, match="评价过"):
        complaint_rate(complaint=handled, rating=1)


def test_an_outsider_cannot_close_even_with_a_bad_form(handled, outsider_b):
    """R17: permission first, whatever was sent."""
    with pytest.raises(PermissionDenied):
        complaint_close(complaint=handled, actor=outsider_b, result="", measures="", feedback="")


def test_a_channel_without_extension_days_refuses_an_extension(agency_a, city_a, city_supervisor):
    """R17: an extension must move the deadline; one of zero days would only hide that."""
    ComplaintChannel.objects.create(
        region=city_a,
        office="甲市司法局",
        scope="行政执法",
        email="jd@example.gov.cn",
        extension_days=0,
    )
    complaint = complaint_accept(
        complaint=file_complaint(agency_a).complaint, actor=city_supervisor
    )
    with pytest.raises(ValidationError, match="不能延长"):
        complaint_extend(complaint=complaint, actor=city_supervisor, reason="需要检测。")
    assert not complaint.timeline.filter(kind="extended").exists()


def test_a_rating_must_be_a_whole_number_from_one_to_five(handled, colleague):
    close(handled, colleague, Result.PARTLY)
    for wrong in (True, 4.5, "5"):
        with pytest.raises(ValidationError):
            complaint_rate(complaint=handled, rating=wrong)


def test_a_provisional_handling_deadline_is_confirmed_when_its_year_is_loaded(
    agency_a, city_supervisor, monkeypatch, django_capture_on_commit_callbacks
):
    """R17 and the calendar rule: accepted Wed 25 Nov 2026 with 60 days: Sun 24 Jan 2027, so
    Mon 25 Jan 2027 by the fallback rules (provisional); loading 2027 confirms it, and an
    amended schedule making 25 Jan a holiday moves it to Tue 26 Jan."""
    from workdays.services import DayInput, calendar_year_load

    monkeypatch.setattr(decisions, "localdate", lambda: D("2026-11-25"))
    complaint = complaint_accept(
        complaint=file_complaint(agency_a).complaint, actor=city_supervisor
    )
    assert (complaint.handling_due, complaint.handling_provisional) == (D("2027-01-25"), True)
    new_year = [DayInput(date=D("2027-01-01"), kind="holiday", name="元旦")]
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(year=2027, days=new_year, source="测试", actor=None)
    complaint.refresh_from_db()
    assert (complaint.handling_due, complaint.handling_provisional) == (D("2027-01-25"), False)
    extra = [DayInput(date=D("2027-01-25"), kind="holiday", name="测试假日")]
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(year=2027, days=new_year + extra, source="修订", actor=None)
    complaint.refresh_from_db()
    assert (complaint.handling_due, complaint.due_on) == (D("2027-01-26"), D("2027-01-26"))
