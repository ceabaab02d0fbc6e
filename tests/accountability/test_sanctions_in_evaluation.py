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


def test_a_unit_that_lost_its_award_eligibility_gets_no_award_share(
    ready, colleague, cycle, agency_a, city_supervisor
):
    """R24, R23: 取消评优评先资格 decided for the unit in the cycle's year: graded excellent, it
    still gets no share, and the next excellent unit has it; revoked on review, it counts again."""
    from decimal import Decimal

    from accountability.models import SanctionKind
    from assessment.models import AgencyResult, CycleEvent, Grade
    from assessment.services.results import award_quotas_allocate
    from tests.factories import AgencyFactory

    other = AgencyFactory(region=agency_a.region, name="乙局")
    for agency, total in ((agency_a, "98"), (other, "92")):
        AgencyResult.objects.create(
            cycle=cycle,
            agency=agency,
            total=Decimal(total),
            grade=Grade.EXCELLENT,
            performance_score=Decimal(total),
            computed_at=timezone.now(),
        )
    decide(
        ready,
        colleague,
        unit={"kind": SanctionKind.AWARD_LOSS, "rectify_by": None, "justification": "屡查屡犯。"},
    )
    award_quotas_allocate(cycle=cycle, rule_of_law=1, enforcement=1, actor=city_supervisor)
    shares = dict(AgencyResult.objects.values_list("agency__name", "award_share_rule_of_law"))
    assert shares == {agency_a.name: 0, "乙局": 1}
    assert "被取消评优评先资格的单位 1 个" in CycleEvent.objects.get(kind="awards_allocated").note

    Sanction.objects.filter(kind=SanctionKind.AWARD_LOSS).update(revoked=True)
    award_quotas_allocate(cycle=cycle, rule_of_law=1, enforcement=1, actor=city_supervisor)
    shares = dict(AgencyResult.objects.values_list("agency__name", "award_share_rule_of_law"))
    assert shares == {agency_a.name: 1, "乙局": 0}
