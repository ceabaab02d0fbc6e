"""Shared fixtures of the evaluation tests: a 2026 cycle of city A, opened by its supervisor."""

import pytest

from assessment.models import Cycle


@pytest.fixture
def cycle_2026(city_a, city_supervisor):
    return Cycle.objects.create(region=city_a, year=2026, opened_by=city_supervisor)
