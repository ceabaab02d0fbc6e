"""Fixtures shared by the portal's tests."""

import pytest

from portal.roles import Role
from tests.factories import AgencyFactory

from .todo_world import persona


@pytest.fixture
def sides(
    city_a, county_agency_a, agency_a, agency_b, city_b, inspector_a, legal_office_a,
    city_supervisor, outsider_b, sysadmin, city_a_legal_office,
):  # fmt: skip
    """City A's and city B's agencies and people, each side as a dict; `build` fills them."""
    a = {
        "agency": agency_a,
        "county_agency": county_agency_a,
        "other_agency": AgencyFactory(name="甲市交通运输局", region=city_a),
        "staff": inspector_a,
        "legal_office": legal_office_a,
        "supervisor": city_supervisor,
        "handler": persona("colleague_a", Role.SUPERVISOR, region=city_a),
    }
    b = {
        "agency": agency_b,
        "county_agency": AgencyFactory(name="丙县生态环境局", region=city_b),
        "other_agency": AgencyFactory(name="丙市交通运输局", region=city_b),
        "staff": outsider_b,
        "legal_office": persona("legal_office_b", Role.LEGAL_OFFICE, agency=agency_b),
        "supervisor": persona("city_b_supervisor", Role.SUPERVISOR, region=city_b),
    }
    return a, b
