"""The benchmark data generator's enforcement cases (issue 5): every row as the services would
have written it, topped up on a second run and replaced when fewer are wanted."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum
from django.db.models import F as models_F
from django.utils.timezone import localdate

from enforcement.models import (
    Case,
    CaseFileReview,
    CaseRecord,
    Decision,
    DecisionDisclosure,
    FinePayment,
    LegalReview,
    Party,
    RemedyOutcome,
    Stage,
)
from enforcement.selectors.cases import cases_for
from enforcement.selectors.remedies import outcomes_awaiting_screening, unreviewed_closed_cases
from enforcement.validators import validate_credit_code, validate_resident_id
from portal.models import User

pytestmark = pytest.mark.django_db


def _every_row_is_valid() -> None:
    models = (Case, Party, CaseRecord, Decision, LegalReview, DecisionDisclosure, FinePayment)
    for model in (*models, RemedyOutcome, CaseFileReview):
        for row in model.objects.all():
            row.full_clean()
    for party in Party.objects.all():
        if party.kind == Party.Kind.CITIZEN:
            validate_resident_id(party.identifier)
        else:
            validate_credit_code(party.identifier)


def _cases_are_consistent() -> None:
    """Each case as the services leave it at its stage."""
    cases = Case.objects.annotate(
        n_parties=Count("parties", distinct=True), n_officers=Count("case_officers", distinct=True)
    )
    for case in cases.select_related("power_item"):
        assert case.n_parties >= 1 and case.n_officers == 2
        assert case.power_item.agency_id == case.agency_id and case.power_item.published
        assert list(case.records.values_list("stage", flat=True)) == [case.stage]
        assert case.timeline.filter(kind="opened").exists()
        assert case.closed_at is None or case.stage == Stage.ARCHIVING
        assert set(case.case_officers.values_list("officer__agency", flat=True)) == {case.agency_id}
    issued = Decision.objects.filter(status=Decision.Status.ISSUED)
    late = [Stage.SERVICE, Stage.ARCHIVING]
    assert issued.count() == Case.objects.filter(stage__in=late).count()
    assert not Decision.objects.exclude(status="issued").filter(case__stage__in=late).exists()
    for decision in issued.select_related("disclosure", "approved_review", "case"):
        assert decision.disclosure.decided_on == localdate(decision.issued_at)
        assert decision.disclosure.agency_id == decision.case.agency_id
        if decision.is_major:  # R5
            review = decision.approved_review
            assert review.decision_id == decision.pk and review.conclusion == "agree"
    closed_fines = issued.filter(kind="fine", case__closed_at__isnull=False)
    for decision in closed_fines.annotate(paid=Sum("payments__amount")):
        assert Decimal(decision.paid).quantize(Decimal("0.01")) == decision.fine_amount  # R30
    for remedy in RemedyOutcome.objects.all():
        assert remedy.needs_screening == (remedy.outcome != "upheld")
        note = remedy.case.decision.disclosure.remedy_note
        assert bool(note) == remedy.needs_screening
    assert not CaseFileReview.objects.filter(case__closed_at__isnull=True).exists()


def test_it_creates_cases_with_every_row_they_hold_at_their_stage():
    call_command("generate_bench_data", cases=50, agencies=20, verbosity=0)
    assert Case.objects.count() == 50
    assert Case.objects.values("agency").distinct().count() > 5
    assert {d.year for d in Case.objects.dates("opened_at", "year")} >= {localdate().year - 1}
    _every_row_is_valid()
    _cases_are_consistent()
    inspector = User.objects.get(username="bench-inspector")
    assert cases_for(user=inspector).count() == Case.objects.filter(agency=inspector.agency).count()


def test_it_tops_the_cases_up_then_replaces_them_when_fewer_are_wanted():
    call_command("generate_bench_data", cases=50, agencies=20, verbosity=0)
    call_command("generate_bench_data", cases=600, agencies=20, verbosity=0)
    assert Case.objects.count() == 600
    _cases_are_consistent()
    # Every page of the benchmark has rows to show.
    supervisor = User.objects.get(username="bench-supervisor")
    assert Decision.objects.filter(is_major=True, status="issued").exists()
    assert FinePayment.objects.exists() and DecisionDisclosure.objects.exists()
    assert outcomes_awaiting_screening(user=supervisor).exists()
    assert unreviewed_closed_cases(user=supervisor).exists()
    assert CaseFileReview.objects.exists()
    receipts = FinePayment.objects.values_list("receipt_number", flat=True)
    assert len(set(receipts)) == len(receipts)

    call_command("generate_bench_data", cases=30, agencies=20, verbosity=0)
    assert Case.objects.count() == 30
    assert Decision.objects.filter(case__isnull=True).count() == 0
    assert DecisionDisclosure.objects.count() == Decision.objects.filter(status="issued").count()
    _cases_are_consistent()


def test_it_refuses_a_negative_number_of_cases():
    with pytest.raises(CommandError):
        call_command("generate_bench_data", cases=-1, verbosity=0)


# --- the province of the evaluation (issue 12 "Scale") -----------------------------------------


def _bulk_decisions_are_consistent() -> None:
    """Bulk cases carry what the supervisors' reports count (issue 15): an issued decision for
    every case past the decision stage, disclosed; drafts only at the decision stage; closed
    cases' fines paid in full at the bank; every row valid."""
    late = [Stage.SERVICE, Stage.ARCHIVING]
    issued = Decision.objects.filter(status=Decision.Status.ISSUED)
    assert issued.count() == Case.objects.filter(stage__in=late).count() > 0
    assert (
        not Decision.objects.exclude(status="issued").exclude(case__stage=Stage.DECISION).exists()
    )
    assert DecisionDisclosure.objects.count() == issued.count()
    assert FinePayment.objects.exists()
    closed_fines = issued.filter(kind="fine", case__closed_at__isnull=False)
    for decision in closed_fines.annotate(paid=Sum("payments__amount")):
        assert decision.paid == decision.fine_amount
    models = (Decision, DecisionDisclosure, FinePayment, RemedyOutcome, CaseFileReview)
    for model in models:
        for row in model.objects.all():
            row.full_clean()


def test_the_province_flags_add_officers_bulk_cases_and_revision_tasks():
    """Bulk cases carry what the evaluation counts: two officers of their agency, their closing
    and valid file reviews of closed cases only, and what the reports count (decisions,
    disclosures, payments); revision tasks are due, done or open."""
    from enforcement.benchdata.bulk import BULK_PREFIX
    from enforcement.models import CaseOfficer, Officer, RevisionTask

    options = {"agencies": 6, "officers": 60, "revision_tasks": 25, "verbosity": 0}
    call_command("generate_bench_data", bulk_cases=300, **options)
    assert Officer.objects.filter(certificate_number__startswith="CBZF-").count() == 60

    def bulk():
        return Case.objects.filter(number__startswith=BULK_PREFIX)

    assert bulk().count() == Case.objects.count() == 300
    assert {c.number for c in bulk()} == {f"{BULK_PREFIX}{c.pk}" for c in bulk()}
    for case in bulk().annotate(n=Count("case_officers")):
        assert case.n == 2
    assert not CaseOfficer.objects.exclude(officer__agency=models_F("case__agency")).exists()
    assert bulk().filter(closed_at__isnull=False).exists()
    assert not CaseFileReview.objects.filter(case__closed_at__isnull=True).exists()
    _bulk_decisions_are_consistent()
    tasks = RevisionTask.objects.all()
    assert tasks.count() == 25
    assert tasks.filter(status="closed").exists() and tasks.filter(status="open").exists()

    call_command("generate_bench_data", bulk_cases=350, cases=20, **options)  # tops up
    assert bulk().count() == 350 and Case.objects.count() == 370
    assert RevisionTask.objects.count() == 25
    call_command("generate_bench_data", bulk_cases=100, **options)  # fewer: replaced
    assert bulk().count() == 100 and Case.objects.count() == 120
    # the replaced cases' decisions, disclosures and payments went with them
    assert Decision.objects.count() == Decision.objects.filter(case__in=Case.objects.all()).count()
    assert (
        FinePayment.objects.count()
        == FinePayment.objects.filter(decision__in=Decision.objects.all()).count()
    )
    _bulk_decisions_are_consistent()


def test_it_refuses_a_negative_size_of_the_province():
    with pytest.raises(CommandError):
        call_command("generate_bench_data", bulk_cases=-1, verbosity=0)


def test_the_intake_benchmarks_register_is_not_the_generators():
    """The intake benchmarks file into a register of their own (989900): its complaints never
    count as the generator's, which would otherwise replace its registers on the next run."""
    from enforcement.models import Region
    from portal.benchdata import INTAKE_REGION, PROVINCE, bench_region_ids

    province = Region.objects.create(code=PROVINCE[0], name=PROVINCE[1], level="province")
    city = Region.objects.create(code="980100", name="长白市", level="city", parent=province)
    intake = Region.objects.create(
        code=INTAKE_REGION[0], name=INTAKE_REGION[1], level="city", parent=province
    )
    assert set(bench_region_ids()) == {province.pk, city.pk}
    assert intake.pk not in bench_region_ids()
