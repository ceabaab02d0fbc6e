"""R24, R28, R20: the sanctions of a decision count in the units' evaluation figures of the
decision's year (`AgencyFigures.accountability_findings`): the unit's own and its officers',
when responsible and not revoked on review."""

import pytest
from django.utils import timezone

from accountability.models import Sanction
from accountability.services.reviews import review_decide, review_request
from assessment.models import AgencyFigures, Cycle
from assessment.services.figures import figures_compute

from . import test_decision, test_defence
from .test_decision import decide

pytestmark = pytest.mark.django_db
case, defences = test_defence.case, test_defence.defences  # fixtures
ready = test_decision.ready


@pytest.fixture
def cycle(city_a, city_supervisor):
    year = timezone.localdate().year
    return Cycle.objects.create(region=city_a, year=year, opened_by=city_supervisor)


def findings(cycle, agency) -> int:
    figures_compute(cycle=cycle)
    return AgencyFigures.objects.get(cycle=cycle, agency=agency).accountability_findings


def test_the_units_and_its_officers_sanctions_count_in_the_decisions_year(
    ready, colleague, cycle, agency_a, city_a_legal_office
):
    """R24, R20: a training for the officer and a rectification order for the unit: two."""
    assert findings(cycle, agency_a) == 0
    decide(ready, colleague)
    assert findings(cycle, agency_a) == 2
    assert (
        AgencyFigures.objects.get(cycle=cycle, agency=city_a_legal_office).accountability_findings
        == 0
    )


def test_a_finding_of_no_responsibility_and_another_years_sanction_do_not_count(
    ready, colleague, cycle, agency_a
):
    """R24, R20: only responsible sanctions of the cycle's year."""
    decide(ready, colleague, officer={"responsible": False, "kind": ""})
    assert findings(cycle, agency_a) == 1
    Sanction.objects.filter(responsible=True).update(counts_in_year=cycle.year - 1)
    assert findings(cycle, agency_a) == 0


def test_a_sanction_revoked_on_review_no_longer_counts(
    ready, colleague, inspector_a, city_supervisor, cycle, agency_a
):
    """R29, R20: revoked on review, the officer's sanction drops out of the unit's figure."""
    decide(ready, colleague)
    sanction = Sanction.objects.get(accused__officer__isnull=False)
    review = review_request(sanction=sanction, grounds="处理过重。", actor=inspector_a)
    review_decide(review=review, outcome="revoked", reasons="情节轻微。", actor=city_supervisor)
    assert findings(cycle, agency_a) == 1
