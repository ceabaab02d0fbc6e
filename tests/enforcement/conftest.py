"""Fixtures of the enforcement tests: agency A's published item, two of its officers, and a
private media folder for every test (no test writes into var/media)."""

import pytest

from tests.factories import OfficerFactory

from .staff_factories import make_published


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def item_a(agency_a, inspector_a, legal_office_a, city_supervisor):
    return make_published(agency_a, inspector_a, legal_office_a, city_supervisor)


@pytest.fixture
def officers_a(agency_a):
    return [OfficerFactory(agency=agency_a, name=n) for n in ("李执法", "赵执法")]
