"""R29: the notice to each person and unit concerned, and their written statement and defence
within a period counted in working days, or their express written waiver; the accused reads
their own notice, not another agency's file."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accountability.models import (
    Accused,
    Defence,
    Proceeding,
    ProceedingEvent,
    Proposal,
    Report,
    SanctionKind,
)
from accountability.services.clues import clue_assign
from accountability.services.defences import defence_submit, defence_waive, notice_send
from tests.conftest import client_for
from tests.factories import OfficerFactory
from workdays.deadlines import add_working_days

from .conftest import register

pytestmark = pytest.mark.django_db


def case_at_notice(*, supervisor, handler, agency, officer_user=None, number="WZ-T-0001"):
    """A case whose report is in, at step NOTICE, built from model rows: an officer of `agency`
    (whose account is `officer_user`) and the unit itself are accused, each with a proposal."""
    clue = register(supervisor, agency)
    clue = clue_assign(clue=clue, handler=handler, actor=supervisor)
    today = timezone.localdate()
    proceeding = Proceeding.objects.create(
        clue=clue,
        number=number,
        agency=agency,
        handler=handler,
        step=Proceeding.Step.NOTICE,
        step_started_on=today,
        step_due_on=today + timedelta(days=7),
        investigation="调取案卷，询问当事人。",
        opened_by=supervisor,
    )
    officer = OfficerFactory(agency=agency, name="李执法", user=officer_user)
    person = Accused.objects.create(proceeding=proceeding, officer=officer)
    unit = Accused.objects.create(proceeding=proceeding, agency=agency)
    report = Report.objects.create(
        proceeding=proceeding,
        facts="执法人员未出示执法证件即作出罚款决定。",
        fault="gross",
        conduct="未经法制审核作出重大执法决定。",
        consequence="minor",
        impact="bad",
        submitted_by=handler,
    )
    Proposal.objects.create(
        report=report,
        accused=person,
        kind=SanctionKind.TRAINING,
        band_low=SanctionKind.CRITICISM,
        band_high=SanctionKind.REMOVAL,
    )
    Proposal.objects.create(
        report=report,
        accused=unit,
        kind=SanctionKind.RECTIFICATION,
        band_low=SanctionKind.RECTIFICATION,
        band_high=SanctionKind.CIRCULATED,
    )
    return proceeding


def notified(proceeding, handler):
    notice_send(proceeding=proceeding, notice="拟对你作出离岗培训处理，可陈述申辩。", actor=handler)
    proceeding.refresh_from_db()
    return proceeding


@pytest.fixture
def case(city_supervisor, colleague, agency_a, inspector_a):
    """Agency A's case at NOTICE: inspector_a is the accused officer's own account."""
    return case_at_notice(
        supervisor=city_supervisor, handler=colleague, agency=agency_a, officer_user=inspector_a
    )


@pytest.fixture
def defences(case, colleague):
    notified(case, colleague)
    person = Defence.objects.get(accused__proceeding=case, accused__officer__isnull=False)
    unit = Defence.objects.get(accused__proceeding=case, accused__agency__isnull=False)
    return person, unit


def test_the_handler_notifies_every_accused_with_a_period_in_working_days(
    case, colleague, inspector_a, django_capture_on_commit_callbacks
):
    """R29: one notice each, due `defence_days` (5) working days later; the case moves to step
    DECISION, due `decision_days` (10) working days after the latest defence due date; the
    officer is emailed."""
    mail.outbox.clear()
    with_user_email = inspector_a.email
    with django_capture_on_commit_callbacks(execute=True):
        defences = notice_send(proceeding=case, notice="拟作出离岗培训处理。", actor=colleague)
    today = timezone.localdate()
    due = add_working_days(start=today, days=5).deadline
    assert len(defences) == 2
    assert {d.due_on for d in defences} == {due}
    assert all(d.notified_on == today and d.notified_by == colleague for d in defences)
    case.refresh_from_db()
    assert case.step == Proceeding.Step.DECISION
    assert case.step_due_on == add_working_days(start=due, days=10).deadline
    assert case.timeline.filter(kind=ProceedingEvent.Kind.NOTIFIED).count() == 1
    assert [m.to for m in mail.outbox] == [[with_user_email]]


def test_only_the_handler_notifies_and_only_at_step_notice(case, city_supervisor, colleague):
    """R29: the notice is the handler's, once, after the report."""
    with pytest.raises(PermissionDenied):
        notice_send(proceeding=case, notice="告知。", actor=city_supervisor)
    Proceeding.objects.filter(pk=case.pk).update(step=Proceeding.Step.HANDLING)
    with pytest.raises(ValidationError, match="提交调查报告后"):
        notice_send(proceeding=case, notice="告知。", actor=colleague)
    assert not Defence.objects.exists()
    assert not case.timeline.exists()


def test_the_accused_officer_submits_a_written_defence_once(defences, inspector_a):
    """R29: the officer's own account states the defence in writing, once."""
    person, _ = defences
    done = defence_submit(defence=person, statement="当时情况紧急，已事后补正。", actor=inspector_a)
    assert done.answered and done.statement.startswith("当时") and done.submitted_by == inspector_a
    with pytest.raises(ValidationError, match="不能再次提交"):
        defence_submit(defence=person, statement="补充意见。", actor=inspector_a)
    person.refresh_from_db()
    assert person.statement == "当时情况紧急，已事后补正。"
    assert person.accused.proceeding.timeline.filter(kind="defended").count() == 1


def test_someone_else_cannot_speak_for_the_accused(defences, legal_office_a, outsider_b, colleague):
    """R29: not the handler, not another agency's staff; the unit's defence is its own staff's."""
    person, unit = defences
    for actor in (legal_office_a, outsider_b, colleague):
        with pytest.raises(PermissionDenied, match="被追究的本人"):
            defence_submit(defence=person, statement="代为申辩。", actor=actor)
    with pytest.raises(PermissionDenied):
        defence_submit(defence=unit, statement="代为申辩。", actor=outsider_b)
    done = defence_submit(defence=unit, statement="本单位已整改。", actor=legal_office_a)
    assert done.answered
    person.refresh_from_db()
    assert not person.answered


def test_a_defence_after_the_period_is_refused(defences, inspector_a):
    """R29: the statement is given within the period; after its due date it is refused."""
    person, _ = defences
    Defence.objects.filter(pk=person.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError, match="已于 .* 届满"):
        defence_submit(defence=person, statement="迟到的意见。", actor=inspector_a)
    person.refresh_from_db()
    assert not person.answered and person.statement == ""


def test_the_right_is_waived_only_expressly_in_writing(defences, inspector_a):
    """R29: a waiver is an express written statement; an empty one is refused."""
    person, _ = defences
    with pytest.raises(ValidationError, match="放弃声明"):
        defence_waive(defence=person, waiver="  ", actor=inspector_a)
    person.refresh_from_db()
    assert not person.waived
    done = defence_waive(defence=person, waiver="本人放弃陈述申辩的权利。", actor=inspector_a)
    assert done.waived and done.answered
    assert person.accused.proceeding.timeline.filter(kind="waived").count() == 1


def test_a_statement_with_script_is_refused(defences, inspector_a):
    """R29: text input is checked (no script)."""
    person, _ = defences
    with pytest.raises(ValidationError):
        defence_submit(defence=person, statement="<script>alert(1)</script>", actor=inspector_a)
    person.refresh_from_db()
    assert not person.answered


def test_the_accused_lists_and_reads_their_own_notice_and_submits_on_the_page(
    defences, inspector_a, django_assert_max_num_queries
):
    """R29: 我的问责告知 lists the accused's notices; the notice page shows the report's facts
    and the proposal concerning them, and takes the defence."""
    person, unit = defences
    client = client_for(inspector_a)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("accountability:defence-list"))
    assert page.status_code == 200
    listed = page.content.decode()
    # Their own notice, and their unit's (agency staff speak for the unit).
    assert reverse("accountability:defence-detail", args=[person.pk]) in listed
    assert reverse("accountability:defence-detail", args=[unit.pk]) in listed
    page = client.get(reverse("accountability:defence-detail", args=[person.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "未出示执法证件" in text and "离岗培训" in text
    assert "责令限期整改" not in text  # the unit's proposal is not the officer's to read
    done = client.post(
        reverse("accountability:defence-detail", args=[person.pk]),
        {"action": "submit", "statement": "已当场补正。"},
    )
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.statement == "已当场补正。"


def test_an_officer_of_agency_b_cannot_read_agency_as_file(defences, outsider_b):
    """R29, bad input: an officer of agency B reading agency A's accountability file is refused
    and nothing changes."""
    person, unit = defences
    client = client_for(outsider_b)
    for defence in (person, unit):
        url = reverse("accountability:defence-detail", args=[defence.pk])
        assert client.get(url).status_code == 404
        response = client.post(url, {"action": "submit", "statement": "冒名申辩。"})
        assert response.status_code == 404
    assert (
        "未出示执法证件" not in client.get(reverse("accountability:defence-list")).content.decode()
    )
    response = client.get(reverse("api:accountability-defence", args=[person.pk]))
    assert response.status_code == 404
    assert not Defence.objects.filter(submitted_at__isnull=False).exists()


def test_the_api_lists_the_accuseds_own_defences_and_takes_a_waiver(
    defences, inspector_a, legal_office_a, outsider_b, django_assert_max_num_queries
):
    """R29: the API gives each accused their own notices (an officer's: their own account's;
    a unit's: its staff's) and takes their answer."""
    person, unit = defences
    client = client_for(inspector_a)
    with django_assert_max_num_queries(10):
        listed = client.get(reverse("api:accountability-defences"))
    assert listed.status_code == 200
    assert {row["id"] for row in listed.json()["results"]} == {person.pk, unit.pk}
    office = client_for(legal_office_a).get(reverse("api:accountability-defences")).json()
    assert [row["id"] for row in office["results"]] == [unit.pk]
    other = client_for(outsider_b).get(reverse("api:accountability-defences")).json()
    assert other["results"] == []
    bad = client.post(
        reverse("api:accountability-defence", args=[person.pk]),
        {"action": "waive", "waiver": ""},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "放弃声明" in bad.content.decode()
    done = client.post(
        reverse("api:accountability-defence", args=[person.pk]),
        {"action": "waive", "waiver": "本人放弃陈述申辩。"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["waived"] is True


def test_a_statement_that_is_not_text_is_refused_as_a_wrong_type(defences, inspector_a):
    """R29: a number or a list where the statement's text is expected is refused in Chinese,
    not turned into text, and nothing is answered."""
    person, _unit = defences
    for wrong in (12345, ["申辩"], {"text": "申辩"}):
        refused = client_for(inspector_a).post(
            reverse("api:accountability-defence", args=[person.pk]),
            {"action": "submit", "statement": wrong},
            content_type="application/json",
        )
        assert refused.status_code == 400
        assert "无效" in refused.content.decode() or "字符串" in refused.content.decode()
    person.refresh_from_db()
    assert person.submitted_at is None and person.statement == ""


def test_the_handler_sends_the_notices_from_the_decision_page(case, colleague, city_supervisor):
    """R29: the notice form is the handler's; an empty notice is refused and nothing is sent."""
    url = reverse("accountability:notice-send", args=[case.pk])
    assert client_for(city_supervisor).post(url, {"notice": "告知。"}).status_code == 403
    client = client_for(colleague)
    page = client.get(reverse("accountability:decision", args=[case.pk]))
    assert page.status_code == 200 and url in page.content.decode()
    refused = client.post(url, {"notice": ""})
    assert refused.status_code == 400 and "告知内容" in refused.content.decode()
    assert not Defence.objects.exists()
    assert client.post(url, {"notice": "拟作出离岗培训处理，可陈述申辩。"}).status_code == 302
    assert Defence.objects.filter(accused__proceeding=case).count() == 2


def listed_rows(client) -> list[str]:
    html = client.get(reverse("accountability:defence-list")).content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return body.split("<tr>")[1:]


def test_an_officer_who_is_his_units_staff_sees_his_own_notice_first_and_each_labelled(
    defences, inspector_a, legal_office_a, agency_a, django_assert_max_num_queries
):
    """R29: 我的问责告知 tells the officer's own notice (本人) from his unit's (本单位), each
    named, his own first, the links distinct, and whether each is open (with its due date),
    answered, waived or past due."""
    person, unit = defences
    client = client_for(inspector_a)
    with django_assert_max_num_queries(12):
        own, units = listed_rows(client)
    number = person.accused.proceeding.number
    assert "<strong>本人</strong>（李执法" in own and f"{number} · 本人</a>" in own
    assert f"<strong>本单位</strong>（{agency_a}）" in units and f"{number} · 本单位</a>" in units
    assert reverse("accountability:defence-detail", args=[person.pk]) in own
    assert reverse("accountability:defence-detail", args=[unit.pk]) in units
    assert f"待陈述申辩，{person.due_on:%Y-%m-%d} 前" in own
    defence_submit(defence=person, statement="已当场补正。", actor=inspector_a)
    defence_waive(defence=unit, waiver="本单位放弃陈述申辩。", actor=legal_office_a)
    today = f"{timezone.localdate():%Y-%m-%d}"
    own, units = listed_rows(client)
    assert f"已提交陈述申辩（{today}）" in own and f"已书面放弃（{today}）" in units
    # The legal office speaks for the unit only: one row, the unit's, not labelled 本人.
    (only,) = listed_rows(client_for(legal_office_a))
    assert "<strong>本单位</strong>" in only and "本人" not in only


def test_a_notice_left_unanswered_past_its_due_date_is_shown_as_past_due(defences, inspector_a):
    """R29: a period that ended without an answer or waiver says so."""
    person, _unit = defences
    Defence.objects.filter(pk=person.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    own, _units = listed_rows(client_for(inspector_a))
    assert "期限已届满" in own and "未陈述申辩" in own and "待陈述申辩" not in own
