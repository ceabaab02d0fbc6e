"""R26, R13: records elsewhere in the portal become clues: a substantiated complaint's referral
and the clue in one transaction; a flagged remedy outcome screened and opened as a clue in one
action; an inspection or a case-file review registered against its agency; none twice."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accountability.models import Clue
from accountability.services.intake import clue_from_complaint, clue_from_remedy
from complaints.services.decisions import complaint_accept
from enforcement.models import RemedyOutcome
from tests.complaints.test_register import file_complaint

from .conftest import register

pytestmark = pytest.mark.django_db


def test_a_substantiated_complaint_is_referred_and_becomes_a_clue(substantiated, city_supervisor):
    """R26: the referral becomes a clue against the complaint's agency."""
    clue = clue_from_complaint(
        complaint=substantiated, note="执法人员未亮证，移送问责。", actor=city_supervisor
    )
    substantiated.refresh_from_db()
    assert substantiated.referred_at is not None
    assert clue.source == Clue.Source.COMPLAINT and clue.complaint == substantiated
    assert clue.agency_id == substantiated.agency_id


def test_the_same_complaint_cannot_be_registered_twice(substantiated, city_supervisor):
    clue_from_complaint(complaint=substantiated, note="移送。", actor=city_supervisor)
    with pytest.raises(ValidationError):
        clue_from_complaint(complaint=substantiated, note="再移送。", actor=city_supervisor)
    with pytest.raises(ValidationError) as caught:
        register(
            city_supervisor,
            substantiated.agency,
            source=Clue.Source.COMPLAINT,
            complaint=substantiated,
        )
    assert "已经登记" in " ".join(caught.value.messages)
    assert Clue.objects.count() == 1


def test_a_refused_clue_leaves_the_complaint_unreferred(substantiated, city_supervisor):
    """One transaction: script in the note refuses both."""
    with pytest.raises(ValidationError):
        clue_from_complaint(
            complaint=substantiated, note="<script>x</script>", actor=city_supervisor
        )
    substantiated.refresh_from_db()
    assert substantiated.referred_at is None and not Clue.objects.exists()


def test_an_unsubstantiated_complaint_is_not_a_clue(agency_a, city_supervisor):
    complaint = complaint_accept(
        complaint=file_complaint(agency_a).complaint, actor=city_supervisor
    )
    with pytest.raises(ValidationError):
        clue_from_complaint(complaint=complaint, note="移送。", actor=city_supervisor)
    assert not Clue.objects.exists()


def test_another_city_cannot_refer(substantiated, city_b_supervisor):
    with pytest.raises(PermissionDenied):
        clue_from_complaint(complaint=substantiated, note="移送。", actor=city_b_supervisor)
    assert not Clue.objects.exists()


def test_screening_a_flagged_outcome_opens_a_clue_in_one_action(flagged, city_supervisor):
    """R13: the screening note and the clue, together."""
    clue = clue_from_remedy(
        outcome=flagged, note="复议撤销，需追究承办人责任。", actor=city_supervisor
    )
    outcome = RemedyOutcome.objects.get(pk=flagged.pk)
    assert outcome.screened_at is not None and outcome.screened_by == city_supervisor
    assert clue.source == Clue.Source.REMEDY and clue.remedy_outcome_id == flagged.pk
    assert clue.agency_id == flagged.case.agency_id
    with pytest.raises(ValidationError):
        clue_from_remedy(outcome=flagged, note="再筛查。", actor=city_supervisor)
    assert Clue.objects.count() == 1


def test_an_outcome_already_screened_is_not_screened_again_into_a_clue(flagged, city_supervisor):
    from enforcement.services.remedies import remedy_screen

    remedy_screen(outcome=flagged, actor=city_supervisor, note="不需追究。")
    with pytest.raises(ValidationError):
        clue_from_remedy(outcome=flagged, note="改为追究。", actor=city_supervisor)
    assert not Clue.objects.exists()


def test_an_inspection_is_registered_against_its_agency_only(
    city_supervisor, agency_a, county_agency_a, city_a
):
    from assessment.models import Cycle, Inspection

    cycle = Cycle.objects.create(region=city_a, year=2026, opened_by=city_supervisor)
    inspection = Inspection.objects.create(
        cycle=cycle,
        agency=agency_a,
        kind=Inspection.Kind.UNANNOUNCED,
        held_on=timezone.localdate(),
        place="办事大厅",
        inspectors="张三",
        findings="窗口人员未佩戴执法证件。",
        recorded_by=city_supervisor,
    )
    with pytest.raises(ValidationError):
        register(city_supervisor, county_agency_a, source="inspection", inspection=inspection)
    clue = register(city_supervisor, agency_a, source="inspection", inspection=inspection)
    assert clue.inspection == inspection
    with pytest.raises(ValidationError):
        register(city_supervisor, agency_a, source="inspection", inspection=inspection)
