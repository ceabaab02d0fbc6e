"""Shared fixtures of the evaluation tests: a 2026 cycle of city A, opened by its supervisor."""

import pytest

from assessment.models import Cycle


@pytest.fixture
def cycle_2026(city_a, city_supervisor):
    return Cycle.objects.create(region=city_a, year=2026, opened_by=city_supervisor)


# --- evidence and opinions (R20) ---------------------------------------------------------------


@pytest.fixture
def evaluated_2026(cycle_2026, agency_a, county_agency_a, city_a_legal_office):
    """Agency A and county agency A evaluated in city A's 2026 cycle by the city's legal office."""
    from assessment.models import Assignment

    for agency in (agency_a, county_agency_a):
        Assignment.objects.create(
            cycle=cycle_2026,
            agency=agency,
            role=Assignment.Role.LOCAL,
            evaluator=city_a_legal_office,
            weight=100,
        )
    return cycle_2026


@pytest.fixture
def evidence_media(settings, tmp_path):
    """Uploaded photos go to a private folder of the test, never into var/media."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
