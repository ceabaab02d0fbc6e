"""Closing a cycle: once, by its supervisor; nothing of a closed cycle changes afterwards."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessment.models import Cycle, CycleEvent
from assessment.services.cycles import assignments_derive, cycle_close

from .cycle_helpers import open_cycle

pytestmark = pytest.mark.django_db


def test_the_supervisor_closes_the_cycle_and_the_timeline_says_so(city_a, city_supervisor):
    cycle = cycle_close(cycle=open_cycle(city_a, city_supervisor), actor=city_supervisor)
    assert cycle.status == Cycle.Status.CLOSED
    assert cycle.closed_at is not None
    assert cycle.events.filter(kind=CycleEvent.Kind.CLOSED, actor=city_supervisor).count() == 1


def test_a_closed_cycle_cannot_be_closed_again(city_a, city_supervisor):
    cycle = cycle_close(cycle=open_cycle(city_a, city_supervisor), actor=city_supervisor)
    closed_at = cycle.closed_at
    with pytest.raises(ValidationError, match="已经结束，不能重复结束"):
        cycle_close(cycle=cycle, actor=city_supervisor)
    cycle.refresh_from_db()
    assert cycle.closed_at == closed_at
    assert cycle.events.filter(kind=CycleEvent.Kind.CLOSED).count() == 1


def test_agency_staff_cannot_close_a_cycle(city_a, city_supervisor, inspector_a):
    cycle = open_cycle(city_a, city_supervisor)
    with pytest.raises(PermissionDenied):
        cycle_close(cycle=cycle, actor=inspector_a)
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.OPEN


def test_a_closed_cycle_is_not_refreshed(city_a, city_supervisor):
    cycle = cycle_close(cycle=open_cycle(city_a, city_supervisor), actor=city_supervisor)
    events = cycle.events.count()
    with pytest.raises(ValidationError, match="已结束"):
        assignments_derive(cycle=cycle, actor=city_supervisor)
    assert cycle.events.count() == events
