"""R26: every clue ends in a finding; none closes without one, and it closes once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accountability.models import Clue
from accountability.services.clues import clue_assign, clue_close

pytestmark = pytest.mark.django_db


@pytest.fixture
def handled(clue, city_supervisor, colleague):
    return clue_assign(clue=clue, handler=colleague, actor=city_supervisor)


def test_the_handler_closes_with_a_finding_and_reasons(handled, colleague):
    clue = clue_close(
        clue=handled, finding="responsible", reasons="执法人员未履行告知义务。", actor=colleague
    )
    assert clue.status == Clue.Status.CLOSED and clue.finding == "responsible"
    assert clue.closed_by == colleague
    assert "认定存在责任" in clue.timeline.get(kind="closed").note


@pytest.mark.parametrize(
    ("finding", "reasons"), [("", "理由。"), ("maybe", "理由。"), ("responsible", "")]
)
def test_a_clue_closed_without_a_finding_or_reasons_is_refused(
    handled, colleague, finding, reasons
):
    """R26: none closes without a finding."""
    with pytest.raises(ValidationError):
        clue_close(clue=handled, finding=finding, reasons=reasons, actor=colleague)
    handled.refresh_from_db()
    assert handled.status == Clue.Status.HANDLING and handled.finding == ""


def test_a_clue_closes_once(handled, colleague):
    clue_close(clue=handled, finding="not_responsible", reasons="查无实据。", actor=colleague)
    with pytest.raises(ValidationError):
        clue_close(clue=handled, finding="responsible", reasons="改判。", actor=colleague)
    handled.refresh_from_db()
    assert handled.finding == "not_responsible"


def test_a_supervisor_over_the_handler_may_close(handled, city_supervisor):
    clue = clue_close(
        clue=handled, finding="transferred", reasons="移交监察机关。", actor=city_supervisor
    )
    assert clue.finding == "transferred"


@pytest.mark.parametrize("who", ["inspector_a", "city_b_supervisor", "legal_office_a"])
def test_others_may_not_close(request, who, handled):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        clue_close(clue=handled, finding="responsible", reasons="理由。", actor=actor)


def test_script_in_the_reasons_is_refused(handled, colleague):
    with pytest.raises(ValidationError):
        clue_close(
            clue=handled, finding="responsible", reasons="<script>x</script>", actor=colleague
        )
