"""R24, R26: a supervisor over the unit names a handler from outside the unit concerned; a
conflict of interest is refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accountability.models import Clue
from accountability.services.clues import clue_assign

pytestmark = pytest.mark.django_db


def test_a_supervisor_assigns_a_colleague_and_the_clue_is_in_handling(
    clue, city_supervisor, colleague
):
    clue = clue_assign(clue=clue, handler=colleague, actor=city_supervisor)
    assert clue.status == Clue.Status.HANDLING and clue.handler == colleague
    assert clue.assigned_at is not None
    assert clue.timeline.filter(kind="assigned").exists()


def test_a_handler_from_the_unit_concerned_is_refused(
    legal_office_clue, city_supervisor, colleague, province_supervisor
):
    """R24: conflict of interest (利害关系回避): on a clue against city A's legal office, city
    A's supervisors (who work in it) are refused; the province's supervisor may handle it."""
    with pytest.raises(ValidationError) as caught:
        clue_assign(clue=legal_office_clue, handler=colleague, actor=city_supervisor)
    assert "回避" in " ".join(caught.value.messages)
    legal_office_clue.refresh_from_db()
    assert legal_office_clue.handler is None
    assert legal_office_clue.status == Clue.Status.REGISTERED
    done = clue_assign(clue=legal_office_clue, handler=province_supervisor, actor=city_supervisor)
    assert done.handler == province_supervisor


def test_agency_a_s_own_staff_are_refused_as_conflicted(clue, city_supervisor, legal_office_a):
    with pytest.raises(ValidationError) as caught:
        clue_assign(clue=clue, handler=legal_office_a, actor=city_supervisor)
    assert "回避" in " ".join(caught.value.messages)


@pytest.mark.parametrize("who", ["inspector_a", "legal_office_a", "city_b_supervisor"])
def test_agency_staff_or_a_supervisor_out_of_scope_cannot_be_handler(
    request, who, clue, city_supervisor
):
    with pytest.raises(ValidationError):
        clue_assign(clue=clue, handler=request.getfixturevalue(who), actor=city_supervisor)
    clue.refresh_from_db()
    assert clue.handler is None


@pytest.mark.parametrize("who", ["inspector_a", "city_b_supervisor", "sysadmin"])
def test_only_a_supervisor_over_the_unit_assigns(request, who, clue, colleague):
    with pytest.raises(PermissionDenied):
        clue_assign(clue=clue, handler=colleague, actor=request.getfixturevalue(who))


def test_a_province_supervisor_may_handle_a_city_clue(clue, city_supervisor, province_supervisor):
    clue = clue_assign(clue=clue, handler=province_supervisor, actor=city_supervisor)
    assert clue.handler == province_supervisor
