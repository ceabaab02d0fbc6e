"""Helpers of the cycle tests (R19, R20): a cycle opened through the service, as users do."""

from assessment.services.cycles import cycle_open
from enforcement.models import Agency
from tests.factories import AgencyFactory


def open_cycle(region, supervisor, year=2026, **kwargs):
    return cycle_open(region=region, year=year, actor=supervisor, **kwargs)


def province_office(province):
    """The province's own department, above a vertically managed city one."""
    return AgencyFactory(name="测试省税务局", region=province)


def vertical_agency(region, above, *, management=Agency.Management.VERTICAL, name="甲市税务局"):
    return AgencyFactory(name=name, region=region, management=management, supervising_agency=above)
