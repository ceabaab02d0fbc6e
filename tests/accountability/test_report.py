"""R24, R28: the handler's report: the facts, the circumstances that weigh, each one's proposed
sanction checked against the band (a proposal outside it needs a written justification), the
shares confirmed first when there is an enforcement case (R25); the case moves to the notice
step. Bad input is refused and nothing changes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accountability.models import Proceeding, ProceedingEvent, Proposal, Report
from accountability.services.reports import report_submit
from accountability.services.responsibility import shares_confirm

pytestmark = pytest.mark.django_db


def body(proceeding, **overrides) -> dict:
    """Ordinary negligence, minor consequences: officers criticism–training, units
    rectification (the portal's default table)."""
    accused = list(proceeding.accused.order_by("pk"))
    proposals = {a.pk: (True, "rectification" if a.is_unit else "criticism", "") for a in accused}
    fields = {
        "proceeding": proceeding,
        "facts": "执法人员未按规定出示执法证件即实施检查。",
        "fault": "ordinary",
        "conduct": "检查时未出示证件。",
        "consequence": "minor",
        "impact": "slight",
        "mitigating": "",
        "aggravating": "",
        "good_faith": False,
        "proposals": proposals,
    }
    return fields | overrides


def test_the_handler_submits_the_report_and_the_case_moves_to_notice(proceeding, colleague):
    """R24, R28: the report is kept with each proposal and the band it was checked against."""
    report = report_submit(actor=colleague, **body(proceeding))
    proceeding.refresh_from_db()
    assert proceeding.step == Proceeding.Step.NOTICE
    assert proceeding.step_due_on >= proceeding.step_started_on
    assert proceeding.timeline.filter(kind=ProceedingEvent.Kind.REPORTED).exists()
    proposals = {p.accused.is_unit: p for p in report.proposals.select_related("accused")}
    assert (proposals[False].band_low, proposals[False].band_high) == ("criticism", "training")
    assert (proposals[True].band_low, proposals[True].band_high) == (
        "rectification",
        "rectification",
    )
    assert not proposals[False].justification


def test_a_sanction_outside_the_band_without_justification_is_refused(proceeding, colleague):
    """R28: outside the band, the report must say why; without it nothing is kept."""
    fields = body(proceeding)
    officer = proceeding.accused.get(officer__isnull=False)
    fields["proposals"][officer.pk] = (True, "withdrawal", "")
    with pytest.raises(ValidationError, match="超出了建议档次") as refused:
        report_submit(actor=colleague, **fields)
    assert f"justification_{officer.pk}" in refused.value.message_dict
    assert not Report.objects.exists() and not Proposal.objects.exists()
    proceeding.refresh_from_db()
    assert proceeding.step == Proceeding.Step.HANDLING
    fields["proposals"][officer.pk] = (True, "withdrawal", "多次违规，屡教不改。")
    report = report_submit(actor=colleague, **fields)
    assert report.proposals.get(accused=officer).justification == "多次违规，屡教不改。"


def test_circumstances_move_the_band_of_the_proposals(proceeding, colleague):
    """R28, R29: aggravating circumstances raise the band one step (criticism is then below it)."""
    fields = body(proceeding, aggravating="拒不改正。")
    with pytest.raises(ValidationError, match="超出了建议档次"):
        report_submit(actor=colleague, **fields)
    officer = proceeding.accused.get(officer__isnull=False)
    fields["proposals"][officer.pk] = (True, "training", "")
    unit = proceeding.accused.get(agency__isnull=False)
    fields["proposals"][unit.pk] = (True, "circulated", "")
    report = report_submit(actor=colleague, **fields)
    assert report.proposals.get(accused=officer).band_high == "removal"


def test_a_unit_s_sanction_for_a_person_is_refused(proceeding, colleague):
    """R28: each subject's sanction is on its own scale."""
    fields = body(proceeding)
    officer = proceeding.accused.get(officer__isnull=False)
    fields["proposals"][officer.pk] = (True, "circulated", "")
    with pytest.raises(ValidationError, match="适用于人员"):
        report_submit(actor=colleague, **fields)
    assert not Report.objects.exists()


def test_not_responsible_means_no_sanction(proceeding, colleague):
    """R24: one found not responsible gets no sanction; a sanction for them is refused."""
    fields = body(proceeding)
    officer = proceeding.accused.get(officer__isnull=False)
    fields["proposals"][officer.pk] = (False, "criticism", "")
    with pytest.raises(ValidationError, match="不应提出处理建议"):
        report_submit(actor=colleague, **fields)
    fields["proposals"][officer.pk] = (False, "", "")
    report = report_submit(actor=colleague, **fields)
    assert report.proposals.get(accused=officer).kind == ""


def test_every_one_concerned_needs_a_proposal(proceeding, colleague):
    """R24: the report answers for each person and unit concerned."""
    fields = body(proceeding)
    fields["proposals"].popitem()
    with pytest.raises(ValidationError, match="分别提出处理建议"):
        report_submit(actor=colleague, **fields)
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("fault", "evil", "主观过错"),
        ("consequence", "", "危害后果"),
        ("impact", None, "社会影响"),
        ("facts", "   ", "查明的事实"),
        ("conduct", '=HYPERLINK("x")', "行为情节"),
        ("good_faith", "yes", "依法履职"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(proceeding, colleague, field, value, message):
    """R24: each field checked before anything is written."""
    with pytest.raises(ValidationError, match=message):
        report_submit(actor=colleague, **body(proceeding, **{field: value}))
    assert not Report.objects.exists()
    proceeding.refresh_from_db()
    assert proceeding.step == Proceeding.Step.HANDLING


def test_only_the_handler_reports_and_only_once(proceeding, colleague, city_supervisor):
    """R24: the handler's report, in the handling step, once."""
    with pytest.raises(PermissionDenied):
        report_submit(actor=city_supervisor, **body(proceeding))
    report_submit(actor=colleague, **body(proceeding))
    with pytest.raises(ValidationError, match="已经提交"):
        report_submit(actor=colleague, **body(proceeding))
    assert Report.objects.count() == 1


def test_the_shares_are_confirmed_before_the_report(case_proceeding, colleague):
    """R25: with an enforcement case, the handler confirms the division first."""
    with pytest.raises(ValidationError, match="R25"):
        report_submit(actor=colleague, **body(case_proceeding))
    assert not Report.objects.exists()
    shares = list(case_proceeding.shares.all())
    shares_confirm(
        proceeding=case_proceeding,
        percents={s.pk: s.proposed_percent for s in shares},
        reasons={},
        actor=colleague,
    )
    report_submit(actor=colleague, **body(case_proceeding))
    case_proceeding.refresh_from_db()
    assert case_proceeding.step == Proceeding.Step.NOTICE
