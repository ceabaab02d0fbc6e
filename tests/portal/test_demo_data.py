"""`load_demo_data` builds the demo province once, with a login for every persona."""

import hashlib
import logging
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.timezone import localdate

from complaints import access_codes
from complaints.models import Complaint, ComplaintChannel, ComplaintEvent, Notification
from enforcement.models import (
    Agency,
    Case,
    CaseEvent,
    CaseRecord,
    Decision,
    Delegation,
    DiscretionTier,
    DiscretionTrial,
    Dispute,
    MajorDecisionCriteria,
    Officer,
    PowerItem,
    PublishedPowerItem,
    Region,
    RevisionTask,
    Stage,
)
from enforcement.models.powers import Category
from portal import scoping
from portal.management.commands.load_demo_data import PERSONAS
from portal.models import User
from portal.roles import Role
from portal.services import user_assign_role
from tests.enforcement.staff_factories import make_draft
from tests.factories import AgencyFactory, RegionFactory, UserFactory


@pytest.fixture
def demo(db, settings, capsys, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path  # the demo cases' record files
    call_command("load_demo_data")
    return capsys.readouterr().out


def test_the_demo_province_shows_every_kind_of_subject_and_every_state_of_a_list(demo):
    assert {r.level for r in Region.objects.all()} == set(Region.Level.values)
    assert {a.kind for a in Agency.objects.all()} == set(Agency.Kind.values)
    assert {a.management for a in Agency.objects.all()} == set(Agency.Management.values)
    assert Agency.objects.count() >= 20
    assert Agency.objects.filter(is_legal_office=True).exists()
    assert Officer.objects.exclude(certificate_status=Officer.CertificateStatus.VALID).exists()
    # Issue 3: a list for every agency, over all categories, in every state of review.
    assert PowerItem.objects.count() >= 200
    # R1, R4: every enforcement subject but a delegated organisation, whose items are on its
    # delegating agency's list.
    delegated = Agency.objects.filter(kind=Agency.Kind.DELEGATED)
    assert not Agency.objects.exclude(kind=Agency.Kind.DELEGATED).filter(power_items=None).exists()
    assert delegated.exists() and not PowerItem.objects.filter(agency__in=delegated).exists()
    assert {i.category for i in PowerItem.objects.all()} == set(Category.values)
    assert {i.status for i in PowerItem.objects.all()} >= {
        "draft",
        "submitted",
        "legal_passed",
        "returned",
        "published",
    }
    assert (
        PublishedPowerItem.objects.count() == PowerItem.objects.filter(status="published").count()
    )
    assert DiscretionTier.objects.exists() and Delegation.objects.exists()
    assert RevisionTask.objects.filter(status=RevisionTask.Status.OPEN).exists()
    # R2: a newly enacted law reached the agencies of its domain, with no item yet.
    assert RevisionTask.objects.filter(item=None, change__kind="enacted").exists()
    # Issue 4, R14: every government publishes its complaint channels, and a department too.
    governments = ComplaintChannel.objects.filter(agency__isnull=True).values("region")
    assert not Region.objects.exclude(pk__in=governments).exists()
    assert ComplaintChannel.objects.filter(agency__isnull=False).exists()
    # Personas: a login each, seeing what their role allows.
    for username in ("inspector_a", "legal_office_a", "city_supervisor", "outsider_b", "admin"):
        assert username in demo
        assert User.objects.get(username=username).check_password("demo-2026-Songjiang")
    city = User.objects.get(username="city_supervisor")
    outsider = User.objects.get(username="outsider_b")
    assert scoping.visible_agencies(city).filter(name="松江市东城区市场监督管理局").exists()
    assert not scoping.visible_agencies(city).filter(name="白山湖市生态环境局").exists()
    assert list(scoping.visible_agencies(outsider).values_list("name", flat=True)) == [
        "白山湖市生态环境局"
    ]


def test_running_it_twice_changes_nothing(demo, capsys):
    models = (
        Region,
        Agency,
        Officer,
        User,
        PowerItem,
        Complaint,
        ComplaintEvent,
        Notification,
        Case,
        CaseRecord,
        CaseEvent,
        Decision,
        Dispute,
    )

    def counts():
        return [m.objects.count() for m in models]

    from accountability.models import (
        Clue,
        ClueEvent,
        Defence,
        Proceeding,
        ProceedingEvent,
        Sanction,
        TrainingSession,
        Transfer,
        TypicalCase,
    )
    from assessment.models import CycleEvent, OfficerResult, PublicOpinion, Score

    models += (CycleEvent, Score, OfficerResult, PublicOpinion)
    models += (Clue, ClueEvent, Proceeding, ProceedingEvent, Defence, Sanction, Transfer)
    models += (TypicalCase, TrainingSession)
    before = counts()
    call_command("load_demo_data")
    assert counts() == before
    again = capsys.readouterr().out
    assert complaint_lines(again) == complaint_lines(demo)
    assert evaluation_lines(again) == evaluation_lines(demo) != []
    assert accountability_lines(again) == accountability_lines(demo) != []
    assert again.count("(existing)") == len(PERSONAS)  # .ci/run greps the second start for it


def evaluation_lines(out: str) -> list[str]:
    """The lines printed under the demo evaluation's heading."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Demo evaluation"))
    end = next(i for i, line in enumerate(lines) if i > start and line.startswith("Demo "))
    return lines[start + 1 : end]


def accountability_lines(out: str) -> list[str]:
    """The lines printed under the demo accountability's heading."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Demo accountability"))
    end = next(i for i, line in enumerate(lines) if i > start and line.startswith("Demo "))
    return lines[start + 1 : end]


def complaint_lines(out: str) -> list[list[str]]:
    """The "number  code  state" lines printed for the demo complaints."""
    return [line.split() for line in out.splitlines() if re.match(r"^  \d{6}-\d{4}-\d{6}  ", line)]


def test_the_demo_has_a_complaint_in_every_state_to_follow_with_a_printed_code(demo):
    """R15–R17: registered, accepted, refused with its reason, transferred, in handling, closed
    (one rated) and one overdue, about 松江市's agencies, each followable with its printed code."""
    complaints = Complaint.objects.select_related("agency__region")
    assert {c.status for c in complaints} == set(Complaint.Status.values)
    assert all(c.agency.region.path.startswith("990000/990100/") for c in complaints)
    assert all(c.timeline.filter(kind="registered", public=True).exists() for c in complaints)
    lines = complaint_lines(demo)
    assert len(lines) == complaints.count()
    for number, code, _state in lines:
        assert access_codes.matches(code, Complaint.objects.get(number=number).access_code_hash)
    refused = complaints.get(status="refused")
    assert refused.refusal_reason and refused.timeline.filter(kind="refused").exists()
    handling = complaints.get(status="handling")
    assert handling.handler.username == "city_supervisor"
    request = handling.requests.get()
    assert request.answered_by.username == "inspector_a"
    assert request.agency.name == "松江市市场监督管理局"
    assert request.answer and handling.timeline.filter(kind="progress", public=True).exists()
    closed = complaints.filter(status="closed")
    assert all(c.result == "substantiated" and c.feedback for c in closed)
    assert closed.filter(rating__isnull=False).count() == 1
    overdue = [c for c in complaints if c.is_open and c.due_on < localdate()]
    assert len(overdue) == 1 and overdue[0].status == "registered"
    assert "已逾期" in next(line for line in lines if line[0] == overdue[0].number)[2]
    # The complainants are fictional: their notices are not sent on loading.
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_the_demo_agency_has_a_case_in_every_stage_with_its_records(demo, settings):
    """R6: 松江市市场监督管理局's cases, opened by inspector_a under published items with two
    officers holding valid certificates, one in each stage, a record in every stage reached;
    one record corrected as a second version with its reason; the files are really stored."""
    cases = Case.objects.prefetch_related("records", "case_officers__officer")
    assert {c.agency.name for c in cases} == {"松江市市场监督管理局"}
    assert sorted(c.stage for c in cases) == sorted(Stage.values)
    order = list(Stage)
    for case in cases:
        assert case.opened_by.username == "inspector_a"
        assert PublishedPowerItem.objects.filter(item=case.power_item_id).exists()
        officers = [o.officer for o in case.case_officers.all()]
        assert len(officers) >= 2 and all(o.may_enforce for o in officers)
        reached = order[: order.index(Stage(case.stage)) + 1]
        assert {r.stage for r in case.records.all()} == set(reached)
        assert case.timeline.filter(kind="stage_advanced").count() == len(reached) - 1
    corrected = CaseRecord.objects.get(version=2)
    assert corrected.supersedes.version == 1 and corrected.correction_reason
    for record in CaseRecord.objects.all():
        with record.file.open("rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == record.sha256


def test_a_major_decision_awaits_the_legal_offices_review_and_earlier_ones_were_issued(demo):
    """R5, R7: the case in 审查决定 has a major fine submitted to the legal office, not yet
    reviewed; the cases past that stage had a non-major decision issued, naming their tier."""
    waiting = Decision.objects.get(case__stage=Stage.DECISION)
    assert waiting.status == Decision.Status.IN_REVIEW and waiting.is_major
    assert waiting.kind == "fine" and waiting.major_reasons and not waiting.reviews.exists()
    assert waiting.case.timeline.filter(kind="decision_submitted").exists()
    legal_office = User.objects.get(username="legal_office_a")
    assert scoping.can_review_for(legal_office, waiting.case.agency)
    past = Case.objects.filter(stage__in=[Stage.SERVICE, Stage.ARCHIVING])
    issued = Decision.objects.filter(case__in=past)
    assert issued.count() == past.count()
    assert all(d.status == "issued" and not d.is_major and d.issued_at for d in issued)
    assert not Decision.objects.filter(case__stage__in=[Stage.INITIATION, Stage.INVESTIGATION])


def test_the_province_keeps_a_catalogue_of_major_decisions_shown_on_its_agencies_pages(
    demo, client
):
    """R5: the demo province's catalogue (the portal's default thresholds, labelled as local
    defaults) with entries of the ecology domain, shown on an ecology agency's public page."""
    criteria = MajorDecisionCriteria.objects.get(region__code="990000")
    assert criteria.entries.count() == 2
    agency = Agency.objects.get(name="白山湖市生态环境局")
    page = client.get(reverse("enforcement:public-agency", args=[agency.pk])).content.decode()
    assert "本目录由松江省制定" in page and "生态环境领域较大数额罚款" in page
    assert "本地区设定的默认值（非政策规定）" in page


def test_an_open_jurisdiction_dispute_awaits_the_other_agencys_answer(demo):
    """R8: the demo has a dispute raised by the market regulator against the city management
    bureau, on which 松江市's establishment office has given its opinion, waiting for the other
    side's statement."""
    dispute = Dispute.objects.get()
    assert dispute.status == Dispute.Status.RAISED
    assert dispute.raised_by.name == "松江市市场监督管理局"
    assert dispute.other.name == "松江市城市管理行政执法局"
    assert list(dispute.timeline.values_list("kind", flat=True)) == ["raised", "opinion"]
    assert dispute.opinion_office.name == "中共松江市委机构编制委员会办公室"
    assert dispute.opinion_by.username == "establishment_office"


def test_the_demo_shows_a_level_split_numbered_decisions_and_a_trial(demo, client):
    """R10: the province's split of 市场监管 is on the public pages and flags an item; R9: the
    demo agency's cases and issued decisions carry official numbers; R7: 松江市 is in the
    licensing trial."""
    county = Region.objects.get(code="990102")
    page = client.get(f"/powers/regions/{county.code}/").content.decode()
    assert 'id="level-splits"' in page and "松政办发〔2025〕12号" in page
    from enforcement.selectors.levels import level_flags

    flags = level_flags(user=User.objects.get(username="province_supervisor"))
    assert flags.items.filter(agency__name="松江市东城区市场监督管理局").exists()
    year = localdate().year
    numbers = sorted(Case.objects.values_list("number", flat=True))
    assert numbers == [f"松市监立〔{year}〕{n}号" for n in range(1, 6)]
    issued = Decision.objects.filter(status="issued")
    assert issued.exists() and all(d.number.startswith("松市监罚〔") for d in issued)
    assert all(d.disclosure.document_number == d.number for d in issued)
    assert DiscretionTrial.objects.filter(region__code="990100", category="licensing").exists()


def test_the_evaluation_has_a_closed_2025_and_an_open_2026_cycle_with_both_stories(demo):
    """R19–R23 in the demo (the years follow the clock: last year's cycle and this year's, 2025
    and 2026 when written): 松江市's cycles evaluate local, vertical and dual departments, the
    vertical one hearing the local government; last year's results are disclosed to the public
    and its unqualified department's rectification closed with evidence; this year one
    department's order is open and two evaluations are left to score; the officer unqualified
    both years has a pending repeat decision, inspector_a's officer a pending objection."""
    from assessment.models import (
        AgencyResult,
        Assignment,
        Cycle,
        Grade,
        Inspection,
        Measure,
        Objection,
        OfficerResult,
        PublicOpinion,
        RectificationOrder,
        RepeatDecision,
        ResultUse,
    )

    year = localdate().year
    previous = Cycle.objects.get(region__code="990100", year=year - 1)
    current = Cycle.objects.get(region__code="990100", year=year)
    assert previous.status == Cycle.Status.CLOSED and current.status == Cycle.Status.OPEN
    for cycle in (previous, current):
        # R19: the three kinds, derived from the agencies' management.
        managed = {
            a.agency.management: a.agency for a in cycle.assignments.select_related("agency")
        }
        assert set(managed) == {"local", "vertical", "dual"}
        dual = cycle.assignments.filter(agency=managed["dual"])
        assert sorted(dual.values_list("role", "weight")) == [("local", 50), ("vertical", 50)]
        assert dual.get(role="vertical").evaluator == managed["dual"].supervising_agency
        vertical = cycle.assignments.get(agency=managed["vertical"])
        assert vertical.role == Assignment.Role.VERTICAL and vertical.local_opinion
        assert vertical.evaluator == managed["vertical"].supervising_agency
        # R20: an unannounced visit with its photo, cited by a score.
        visit = cycle.inspections.get(kind=Inspection.Kind.UNANNOUNCED)
        assert visit.photos.get().content_type == "image/png" and visit.scores.exists()
        assert cycle.figures.exists()
    assert current.inspections.filter(kind=Inspection.Kind.SPECIAL).exists()
    # Every evaluation of last year scored, two of this year's left for the scoring page.
    assert not previous.assignments.filter(scores=None).exists()
    assert current.assignments.filter(scores=None).count() == 2
    # R20: cards, hotline and symposium; one comment left in the moderation queue.
    opinions = PublicOpinion.objects.filter(period=year)
    assert set(opinions.values_list("source", flat=True)) == {"card", "hotline", "symposium"}
    commented = opinions.exclude(comment="")
    assert sorted(commented.values_list("moderation", flat=True)) == [
        "approved",
        "approved",
        "pending",
        "rejected",
    ]
    assert PublicOpinion.objects.filter(moderation="pending").count() == 1
    # R23: last year's results public with the awards shared; its unqualified department's
    # order closed with evidence; this year's unqualified department's order open, due ahead.
    assert not previous.results.exclude(disclosure=AgencyResult.Disclosure.PUBLIC).exists()
    assert previous.results.filter(award_share_rule_of_law__gt=0).exists()
    closed = RectificationOrder.objects.get(result__cycle=previous)
    assert closed.result.grade == Grade.UNQUALIFIED
    assert closed.status == "closed" and closed.closing_note and closed.closing_file
    order = RectificationOrder.objects.get(result__cycle=current)
    assert order.status == "open" and order.due > localdate()
    assert order.result.grade == Grade.UNQUALIFIED
    assert order.result.agency.name == "松江市交通运输综合行政执法支队"
    assert not current.results.exclude(disclosure="none").exists()
    # R21, R22: the officer unqualified both years: measure completed, decision pending.
    decision = RepeatDecision.objects.get()
    assert decision.outcome == "" and decision.result.cycle == current
    assert decision.previous_result.cycle == previous
    assert decision.previous_result.grade == decision.result.grade == Grade.UNQUALIFIED
    assert decision.result.final_at and decision.result.barred_from_excellent
    measure = Measure.objects.get()
    assert measure.result == decision.previous_result and measure.completed_on
    assert ResultUse.objects.filter(result__cycle=previous).exists()
    assert not previous.officer_results.filter(final_at=None).exists()
    # R21: inspector_a's officer objected within the period; only that result is not final.
    objection = Objection.objects.get()
    assert objection.status == Objection.Status.PENDING
    assert objection.result.officer.user.username == "inspector_a"
    assert objection.result.cycle == current
    assert list(current.officer_results.filter(final_at=None)) == [objection.result]
    assert OfficerResult.objects.filter(officer__user__username="inspector_a").count() == 2
    assert "评议考核" in demo and "待处理异议 1" in demo


def test_the_demo_accountability_shows_a_clue_and_a_case_in_every_step(demo, client):
    """R24–R29, R18, R32 in the demo: a clue registered, one in handling and a case in each
    step (handling with the shares proposed from the enforcement case's record, notice,
    decision awaiting with the defence period open, transfer awaiting its receipt, closed);
    the closed case decided inside the proposed band, the officer's certificate suspended
    through the decision, transferred with its receipt; a clue reverse-traced from the
    late-acknowledged complaint, linked to its original (R27); the typical case published
    anonymised on the public page and used in a training session; the handler outside the
    units concerned."""
    from accountability.models import (
        Clue,
        Proceeding,
        Sanction,
        TrainingSession,
        TypicalCase,
    )
    from accountability.services.clues import conflicted

    clues = Clue.objects.filter(region__code="990100")
    assert {c.status for c in clues} == set(Clue.Status.values)
    assert clues.filter(status="registered", proceeding__isnull=True).exists()
    assert clues.filter(status="handling", proceeding__isnull=True).exists()
    cases = Proceeding.objects.select_related("handler", "agency")
    assert sorted(c.step for c in cases) == sorted(Proceeding.Step.values)
    handler = User.objects.get(username="city_handler")
    assert all(c.handler == handler and not conflicted(handler, c.agency) for c in cases)
    assert cases.get(step="handling").shares.filter(percent__isnull=True).exists()
    waiting = cases.get(step="decision")
    assert waiting.accused.filter(defence__submitted_at__isnull=True).count() == 2
    assert waiting.accused.filter(officer__user__username="inspector_a").exists()
    pending = cases.get(step="transfer").transfers.get()
    assert pending.receipt_on is None and pending.proceeding.decision
    # The decided and transferred case, closed with its receipt.
    closed = cases.get(step="closed")
    assert closed.clue.source == "complaint" and closed.clue.finding == "responsible"
    transfer = closed.transfers.get()
    assert transfer.receipt_on and transfer.receipt_number
    suspended = Sanction.objects.get(decision__proceeding=closed, kind="suspension")
    assert not suspended.outside_band and suspended.accused.proposal.band_low == "removal"
    officer = suspended.accused.officer
    assert officer.user.username == "officer_cg"
    assert officer.certificate_status == Officer.CertificateStatus.SUSPENDED
    assert closed.number in officer.status_reason
    assert suspended.accused.defence.statement  # his own defence, beside the findings
    # R27: the late acknowledgement traced to a second clue, linked to the original.
    traced = clues.get(source="reverse")
    assert traced.trace_check == "late_ack" and traced.traced_from.source == "complaint"
    assert traced.traced_from.complaint.submission_token == "demo-complaint-late"
    assert traced.traced_complaint == traced.traced_from.complaint
    # R18, R32: published anonymised, circulated, used in a session with attendees.
    typical = TypicalCase.objects.get(proceeding=closed)
    assert typical.status == "published" and typical.circulated_at
    assert officer.name not in typical.facts + typical.analysis + typical.lesson
    session = TrainingSession.objects.get(cases=typical)
    assert session.attendees.filter(pk=officer.pk).exists()
    page = client.get("/typical-cases/").content.decode()
    assert typical.title in page
    assert "Demo accountability" in demo


def test_it_refuses_to_create_public_passwords_in_production(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="published passwords"):
        call_command("load_demo_data")
    assert not User.objects.exists()


def test_make_runs_output_is_the_logins_and_codes_without_the_tasks_log_noise(
    bundled_calendar, settings, capsys, caplog, tmp_path
):
    """`make run` prints what a newcomer needs and nothing that buries it: a transactional test,
    so that the load really commits and its notices' tasks really run (in-process) meanwhile."""
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    caplog.set_level(logging.INFO)
    call_command("load_demo_data")
    out = capsys.readouterr().out
    for username, *_rest in PERSONAS:
        assert re.search(rf"^  {username} +demo-2026-Songjiang ", out, re.M)
    lines = complaint_lines(out)
    assert len(lines) == Complaint.objects.count() == 9
    for number, code, _state in lines:
        assert access_codes.matches(code, Complaint.objects.get(number=number).access_code_hash)
    assert "Task " not in out and "succeeded in" not in out
    # The people are fictional: what the services mail on commit goes nowhere.
    from django.core import mail

    assert mail.outbox == [] and "Subject:" not in out
    noise = [r for r in caplog.records if r.name.startswith(("celery", "kombu"))]
    assert noise == []
    # The complaints come last: nothing printed after them comes between them and the server.
    assert out.rstrip().splitlines()[-1].split()[:2] == lines[-1][:2]


def test_the_tasks_log_shows_again_at_verbosity_2(caplog):
    from portal.management.commands.load_demo_data import quiet_logging

    caplog.set_level(logging.INFO)
    with quiet_logging(1):
        logging.getLogger("celery.app.trace").info("Task x succeeded")
        logging.getLogger("kombu.connection").warning("No hostname was supplied.")
        logging.getLogger("portal").warning("a real problem")
    with quiet_logging(2):
        logging.getLogger("celery.app.trace").info("Task y succeeded")
    logging.getLogger("celery.app.trace").info("Task z succeeded")
    assert [r.getMessage() for r in caplog.records] == [
        "a real problem",
        "Task y succeeded",
        "Task z succeeded",
    ]


def test_it_loads_the_demo_lists_beside_items_another_province_already_has(db, settings, tmp_path):
    """A bench database generated first holds items of its own: the demo still loads its own
    lists and the cases opened under them (once the demo's loader skipped every list there)."""
    elsewhere = AgencyFactory(region=RegionFactory(code="980000", name="长白省"))
    staff = user_assign_role(
        user=UserFactory(username="bench-staff"),
        role=Role.AGENCY_STAFF,
        actor=None,
        agency=elsewhere,
    )
    other = make_draft(elsewhere, staff)
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo_data")
    assert PowerItem.objects.exclude(pk=other.pk).filter(published__isnull=False).exists()
    assert Case.objects.exclude(agency=elsewhere).exists()
