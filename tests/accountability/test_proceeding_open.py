"""R24: an accountability case is opened from a clue in handling, by a supervisor over the unit,
with the clue's handler (who must not belong to the unit: 回避), numbered after the clue, one
case per clue, with the persons and the unit concerned. R25: a clue about an enforcement case
gets its shares of responsibility proposed at once.

The fixtures (a clue in handling, an open case, a case with a full record) are in
proceeding_fixtures.py."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accountability.models import Accused, Clue, Proceeding, ProceedingEvent
from accountability.services.proceedings import proceeding_open
from tests.factories import OfficerFactory

from .conftest import register
from .proceeding_fixtures import handling

pytestmark = pytest.mark.django_db


def test_a_supervisor_opens_the_case_of_a_clue_in_handling(
    proceeding, handling_clue, colleague, city_supervisor, officer_a, agency_a
):
    """R24: numbered after the clue (ZJ- becomes WZ-), handled by the clue's handler, in the
    handling step with its limit, the officer and the unit concerned, the opening in the
    timeline."""
    assert proceeding.number == "WZ-" + handling_clue.number.removeprefix("ZJ-")
    assert proceeding.handler == colleague and proceeding.opened_by == city_supervisor
    assert proceeding.step == Proceeding.Step.HANDLING
    assert proceeding.step_due_on > proceeding.step_started_on
    accused = list(proceeding.accused.order_by("pk"))
    assert [a.officer for a in accused] == [officer_a, None]
    assert accused[1].agency == agency_a
    assert proceeding.timeline.get().kind == ProceedingEvent.Kind.OPENED
    assert not proceeding.shares.exists()  # no enforcement case: nothing to divide


def test_the_clue_s_officers_are_concerned_when_none_is_named(
    clue, city_supervisor, colleague, officer_a
):
    """R24: by default the persons concerned are the clue's officers."""
    clue.officers.set([officer_a])
    proceeding = proceeding_open(
        clue=handling(clue, city_supervisor, colleague), actor=city_supervisor
    )
    assert proceeding.accused.filter(officer=officer_a).exists()


def test_one_case_per_clue(proceeding, handling_clue, city_supervisor):
    """R24: a clue is opened once."""
    with pytest.raises(ValidationError, match="已经立案"):
        proceeding_open(clue=handling_clue, actor=city_supervisor)
    assert Proceeding.objects.count() == 1


def test_a_clue_without_a_handler_is_not_opened(clue, city_supervisor):
    """R24: handling (a handler named) comes first."""
    with pytest.raises(ValidationError, match="指定承办人"):
        proceeding_open(clue=clue, actor=city_supervisor)
    assert not Proceeding.objects.exists()


def test_only_a_supervisor_over_the_unit_opens_it(
    handling_clue, inspector_a, legal_office_a, city_b_supervisor, sysadmin
):
    """R24: agency staff, its legal office, another city's supervisor and the administrator may
    not open a case."""
    for user in (inspector_a, legal_office_a, city_b_supervisor, sysadmin):
        with pytest.raises(PermissionDenied):
            proceeding_open(clue=handling_clue, actor=user)
    assert not Proceeding.objects.exists()


def test_a_handler_from_the_unit_under_investigation_is_refused(
    legal_office_clue, city_supervisor, province_supervisor
):
    """R24 (回避): a handler who has since become conflicted (here: city A's supervisor on a clue
    against city A's own legal office, assigned before the rule could catch it) is refused."""
    Clue.objects.filter(pk=legal_office_clue.pk).update(
        status=Clue.Status.HANDLING, handler=city_supervisor
    )
    with pytest.raises(ValidationError, match="回避"):
        proceeding_open(clue=legal_office_clue, actor=province_supervisor)
    assert not Proceeding.objects.exists()


def test_officers_of_another_unit_are_refused(handling_clue, city_supervisor, agency_b):
    """R24: the persons concerned are officers of the unit concerned."""
    stranger = OfficerFactory(agency=agency_b)
    with pytest.raises(ValidationError) as refused:
        proceeding_open(clue=handling_clue, actor=city_supervisor, officers=[stranger])
    assert "被追究单位的执法人员" in str(refused.value)
    assert not Proceeding.objects.exists() and not Accused.objects.exists()


def test_somebody_must_be_concerned(handling_clue, city_supervisor):
    """R24: neither an officer nor the unit: refused."""
    with pytest.raises(ValidationError, match="至少指明"):
        proceeding_open(clue=handling_clue, actor=city_supervisor, include_unit=False)
    assert not Proceeding.objects.exists()


def test_the_enforcement_case_must_be_the_unit_s(
    handling_clue, city_supervisor, agency_b, item_a, outsider_b
):
    """R25: a case of another agency cannot be the one the clue concerns."""
    from enforcement.models import Case

    foreign = Case(agency=agency_b, pk=None)
    with pytest.raises(ValidationError, match="被追究单位办理的案件"):
        proceeding_open(clue=handling_clue, actor=city_supervisor, enforcement_case=foreign)
    assert not Proceeding.objects.exists()


def test_a_file_review_clue_takes_its_case(
    city_supervisor, colleague, agency_a, enforcement_case, officers_a
):
    """R25: a clue from a remedy outcome or a file review concerns that enforcement case, and
    the shares are proposed from its record when the case is opened."""
    from enforcement.models import RemedyOutcome

    outcome = RemedyOutcome.objects.create(
        case=enforcement_case,
        kind="reconsideration",
        body="甲市人民政府",
        reference="甲府复决〔2026〕99号",
        decided_on=enforcement_case.opened_at.date(),
        outcome="revoked",
        summary="撤销。",
        recorded_by=city_supervisor,
    )
    clue = register(city_supervisor, agency_a, source="remedy", remedy_outcome=outcome)
    clue = handling(clue, city_supervisor, colleague)
    proceeding = proceeding_open(clue=clue, actor=city_supervisor, officers=officers_a)
    assert proceeding.enforcement_case == enforcement_case
    assert proceeding.shares.exists()
