"""R24, R28, R29: the decision by the competent person: not while a defence period is open
unless the right was expressly waived; each sanction on its scale and, outside the proposed band,
only with a written justification the reviewer sees; certificate sanctions applied through the
officers' service; the case then closes with its clue's finding, or waits for its transfer."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accountability.models import (
    Clue,
    Decision,
    Defence,
    Proceeding,
    ProceedingEvent,
    Sanction,
    SanctionKind,
)
from accountability.services.decisions import decision_make
from accountability.services.defences import defence_submit, defence_waive
from enforcement.models import Officer
from tests.conftest import client_for

from . import test_defence

case, defences = test_defence.case, test_defence.defences  # fixtures

pytestmark = pytest.mark.django_db


def sanctions_for(proceeding, *, officer=None, unit=None):
    """The sanctions dict: by default training for the officer, rectification for the unit."""
    person = proceeding.accused.get(officer__isnull=False)
    firm = proceeding.accused.get(agency__isnull=False)
    in_a_month = timezone.localdate() + timedelta(days=30)
    return {
        person.pk: {"responsible": True, "kind": SanctionKind.TRAINING} | (officer or {}),
        firm.pk: {
            "responsible": True,
            "kind": SanctionKind.RECTIFICATION,
            "rectify_by": in_a_month,
        }
        | (unit or {}),
    }


def decide(proceeding, actor, *, transfer_needed=False, **changes):
    return decision_make(
        proceeding=proceeding,
        reasons="事实清楚，证据确凿，综合过错与后果作出处理。",
        transfer_needed=transfer_needed,
        sanctions=sanctions_for(proceeding, **changes),
        actor=actor,
    )


@pytest.fixture
def ready(defences, inspector_a, legal_office_a):
    """Both accused have answered: the officer in writing, the unit by an express waiver."""
    person, unit = defences
    defence_submit(defence=person, statement="情况紧急，已事后补正。", actor=inspector_a)
    defence_waive(defence=unit, waiver="本单位放弃陈述申辩。", actor=legal_office_a)
    return person.accused.proceeding


def assert_nothing_decided(proceeding):
    proceeding.refresh_from_db()
    assert proceeding.step == Proceeding.Step.DECISION
    assert not Decision.objects.exists() and not Sanction.objects.exists()
    assert not proceeding.timeline.filter(kind=ProceedingEvent.Kind.DECIDED).exists()
    assert proceeding.clue.status != Clue.Status.CLOSED
    assert set(Officer.objects.values_list("certificate_status", flat=True)) == {"valid"}


def test_a_decision_before_the_defence_period_ends_is_refused(defences, inspector_a, colleague):
    """R29, bad input: while the unit's period is open and it has neither answered nor waived,
    no decision; the officer's written defence alone is not enough. Nothing changes."""
    person, _ = defences
    defence_submit(defence=person, statement="已补正。", actor=inspector_a)
    proceeding = person.accused.proceeding
    with pytest.raises(ValidationError, match="陈述申辩期限届满前不得作出决定"):
        decide(proceeding, colleague)
    assert_nothing_decided(proceeding)


def test_a_decision_after_the_period_ended_without_an_answer_is_allowed(defences, colleague):
    """R29: the right was given; silence until the period ended does not block the decision."""
    person, _ = defences
    yesterday = timezone.localdate() - timedelta(days=1)
    Defence.objects.update(due_on=yesterday)
    proceeding = person.accused.proceeding
    Proceeding.objects.filter(pk=proceeding.pk).update(step_started_on=yesterday)
    decision = decide(proceeding, colleague)
    assert decision.sanctions.count() == 2


def test_a_decision_after_every_answer_closes_the_case_and_its_clue(ready, colleague):
    """R24: decided without a transfer, the case closes and its clue is found RESPONSIBLE; each
    sanction counts in the evaluation of the decision's year."""
    decision = decide(ready, colleague)
    ready.refresh_from_db()
    assert ready.step == Proceeding.Step.CLOSED and ready.closed_at is not None
    clue = ready.clue
    clue.refresh_from_db()
    assert (clue.status, clue.finding) == (Clue.Status.CLOSED, Clue.Finding.RESPONSIBLE)
    year = timezone.localdate().year
    assert {(s.kind, s.counts_in_year) for s in decision.sanctions.all()} == {
        (SanctionKind.TRAINING, year),
        (SanctionKind.RECTIFICATION, year),
    }
    kinds = list(ready.timeline.values_list("kind", flat=True))
    assert kinds[-2:] == [ProceedingEvent.Kind.DECIDED, ProceedingEvent.Kind.CLOSED]


def test_nobody_responsible_closes_the_clue_as_not_responsible(ready, colleague):
    """R24, R29: a decision that finds nobody responsible gives no sanction."""
    decide(
        ready,
        colleague,
        officer={"responsible": False, "kind": ""},
        unit={"responsible": False, "kind": ""},
    )
    ready.clue.refresh_from_db()
    assert ready.clue.finding == Clue.Finding.NOT_RESPONSIBLE
    assert set(Sanction.objects.values_list("kind", flat=True)) == {""}


def test_a_sanction_outside_the_band_without_justification_is_refused(ready, colleague):
    """R28, bad input: withdrawal lies above the band 批评教育—调离执法岗位; without a written
    justification it is refused and nothing changes."""
    with pytest.raises(ValidationError, match="超出建议档次.*须写明书面理由"):
        decide(ready, colleague, officer={"kind": SanctionKind.WITHDRAWAL})
    assert_nothing_decided(ready)


def test_a_sanction_outside_the_band_with_justification_is_kept_for_the_reviewer(
    ready, colleague, city_supervisor
):
    """R28: outside the band with a written justification; the reviewer sees it on the page."""
    decide(
        ready,
        colleague,
        officer={"kind": SanctionKind.SUSPENSION, "justification": "多次违规，屡教不改。"},
    )
    sanction = Sanction.objects.get(accused__officer__isnull=False)
    assert sanction.outside_band and sanction.justification == "多次违规，屡教不改。"
    page = client_for(city_supervisor).get(reverse("accountability:decision", args=[ready.pk]))
    assert page.status_code == 200 and "多次违规，屡教不改。" in page.content.decode()


def test_a_suspension_suspends_the_officers_certificate(ready, colleague):
    """R28: 暂扣执法证件 goes through the officers' service, with the reason and the date."""
    decide(
        ready,
        colleague,
        officer={"kind": SanctionKind.SUSPENSION, "justification": "后果较重。"},
    )
    officer = Officer.objects.get()
    assert officer.certificate_status == Officer.CertificateStatus.SUSPENDED
    assert ready.number in officer.status_reason and officer.status_date == timezone.localdate()
    assert ready.timeline.filter(kind=ProceedingEvent.Kind.SANCTION_APPLIED).count() == 1


def test_a_withdrawal_withdraws_the_officers_certificate(ready, colleague):
    """R28: 收回执法证件 goes through the officers' service too (outside this band: justified)."""
    decide(
        ready,
        colleague,
        officer={"kind": SanctionKind.WITHDRAWAL, "justification": "故意违法，后果严重。"},
    )
    officer = Officer.objects.get()
    assert officer.certificate_status == Officer.CertificateStatus.WITHDRAWN
    assert not officer.may_enforce


def test_each_kind_must_be_on_its_own_scale(ready, colleague):
    """R28: a unit cannot be given an officer's sanction, nor an officer a unit's."""
    with pytest.raises(ValidationError, match="对单位只能"):
        decide(ready, colleague, unit={"kind": SanctionKind.CRITICISM})
    with pytest.raises(ValidationError, match="对执法人员只能"):
        decide(ready, colleague, officer={"kind": SanctionKind.CIRCULATED})
    assert_nothing_decided(ready)


def test_a_rectification_needs_a_deadline_in_the_future(ready, colleague):
    """R28: 责令限期整改 runs to a deadline after today."""
    for rectify_by in (None, timezone.localdate()):
        with pytest.raises(ValidationError, match="整改期限"):
            decide(ready, colleague, unit={"rectify_by": rectify_by})
    assert_nothing_decided(ready)


def test_only_a_supervisor_over_the_unit_without_a_conflict_decides(
    ready, inspector_a, legal_office_a, city_b_supervisor
):
    """R24: the competent person: not the unit's own staff, not another city's supervisor."""
    for actor in (inspector_a, legal_office_a, city_b_supervisor):
        with pytest.raises(PermissionDenied):
            decide(ready, actor)
    assert_nothing_decided(ready)


def test_a_decision_calling_for_a_transfer_waits_for_it(ready, colleague):
    """R24: the case moves to step TRANSFER; the clue stays open until the receipts."""
    decide(ready, colleague, transfer_needed=True)
    ready.refresh_from_db()
    assert ready.step == Proceeding.Step.TRANSFER and ready.step_due_on is not None
    assert ready.clue.status != Clue.Status.CLOSED


def test_a_case_is_decided_once_and_only_in_step_decision(ready, colleague):
    """R24: a decided case is not decided again."""
    decide(ready, colleague, transfer_needed=True)
    with pytest.raises(ValidationError):
        decide(ready, colleague)
    assert Decision.objects.count() == 1


def test_the_decision_page_shows_each_defence_beside_the_proposal_and_decides(
    ready, colleague, django_assert_max_num_queries
):
    """R29: the defence beside the findings and the proposed band; the form decides."""
    client = client_for(colleague)
    url = reverse("accountability:decision", args=[ready.pk])
    with django_assert_max_num_queries(20):
        page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "情况紧急，已事后补正。" in text and "本单位放弃陈述申辩。" in text
    assert "批评教育—调离执法岗位" in text
    person = ready.accused.get(officer__isnull=False)
    unit = ready.accused.get(agency__isnull=False)
    form = {
        "reasons": "事实清楚。",
        f"responsible_{person.pk}": "yes",
        f"sanction_{person.pk}": SanctionKind.WITHDRAWAL,
        f"responsible_{unit.pk}": "no",
    }
    refused = client.post(url, form)
    assert refused.status_code == 400 and "须写明书面理由" in refused.content.decode()
    assert not Decision.objects.exists()
    form[f"sanction_{person.pk}"] = SanctionKind.CRITICISM
    assert client.post(url, form).status_code == 302
    assert Decision.objects.get().sanctions.filter(responsible=True).count() == 1


def test_the_decisions_api_is_scoped(
    ready, colleague, city_b_supervisor, outsider_b, django_assert_max_num_queries
):
    """R24: supervisors over the unit read its decisions; another city's read none; staff none."""
    decision = decide(ready, colleague)
    client = client_for(colleague)
    with django_assert_max_num_queries(10):
        listed = client.get(reverse("api:accountability-decisions"))
    assert [row["id"] for row in listed.json()["results"]] == [decision.pk]
    assert len(listed.json()["results"][0]["sanctions"]) == 2
    other = client_for(city_b_supervisor)
    assert other.get(reverse("api:accountability-decisions")).json()["results"] == []
    url = reverse("api:accountability-decision", args=[decision.pk])
    assert other.get(url).status_code == 404
    assert client_for(outsider_b).get(url).status_code == 403


def fieldset(html, accused) -> str:
    """The decision form's row of fields for one accused."""
    start = html.index(f'id="decide-{accused.pk}"')
    return html[start : html.index("</fieldset>", start)]


def test_the_rectification_deadline_is_asked_only_in_the_units_row(ready, colleague):
    """R28: the form groups the fields per accused; 整改期限 is in the unit's row only, saying it
    applies to 责令限期整改 alone; the officer's row has no date to fill."""
    html = (
        client_for(colleague)
        .get(reverse("accountability:decision", args=[ready.pk]))
        .content.decode()
    )
    person = ready.accused.get(officer__isnull=False)
    unit = ready.accused.get(agency__isnull=False)
    officer_row, unit_row = fieldset(html, person), fieldset(html, unit)
    assert "<legend>执法人员：李执法（" in officer_row and "<legend>单位：" in unit_row
    assert f'name="sanction_{person.pk}"' in officer_row and "整改期限" not in officer_row
    assert f'name="rectify_by_{unit.pk}"' in unit_row and 'type="date"' in unit_row
    assert "仅适用于“责令限期整改”" in unit_row
    assert html.count('type="date"') == 1
    assert "<script>" not in html  # no inline script (the CSP allows none)


@pytest.mark.parametrize(
    ("kind", "shown"),
    [(SanctionKind.SUSPENSION, "执法证件已暂扣"), (SanctionKind.WITHDRAWAL, "执法证件已收回")],
)
def test_the_decision_page_says_the_certificate_was_suspended_or_withdrawn(
    ready, colleague, kind, shown, django_assert_max_num_queries
):
    """R28: beside each certificate sanction, what was carried out and when, from the officer's
    certificate status; on the decision page and on the case's page."""
    decide(ready, colleague, officer={"kind": kind, "justification": "后果较重。"})
    today = f"{timezone.localdate():%Y-%m-%d}"
    client = client_for(colleague)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("accountability:decision", args=[ready.pk]))
    assert f"{shown}（{today}）" in page.content.decode()
    case_page = client.get(reverse("accountability:case-detail", args=[ready.pk]))
    assert f"{shown}（{today}）" in case_page.content.decode()


def test_a_sanction_without_a_certificate_says_nothing_was_done_to_it(ready, colleague):
    """R28: 离岗培训 leaves the certificate alone: no certificate line is shown."""
    decide(ready, colleague)
    html = (
        client_for(colleague)
        .get(reverse("accountability:decision", args=[ready.pk]))
        .content.decode()
    )
    assert "离岗培训" in html and "执法证件已" not in html and "执法证件现为有效" not in html
