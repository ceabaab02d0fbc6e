"""Enforcement subjects as data (R1, R10, R11): regions, agencies and officers keep their rules."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from enforcement.models import Agency, Officer, Region
from enforcement.validators import validate_credit_code
from tests.factories import AgencyFactory, OfficerFactory, RegionFactory


def test_a_valid_unified_social_credit_code_passes():
    validate_credit_code("91350100M000100Y43")  # a published example code


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y44", "校验位"),
        ("9135010OM000100Y43", "18位"),
        ("123", "18位"),
    ],
)
def test_a_bad_credit_code_is_refused_with_a_chinese_message(code, message):
    with pytest.raises(ValidationError, match=message):
        validate_credit_code(code)


def test_a_county_cannot_hang_directly_under_the_province(province):
    county = Region(name="错县", code="229999", level=Region.Level.COUNTY, parent=province)
    with pytest.raises(ValidationError, match="上级区划"):
        county.full_clean()


def test_a_management_committee_sits_under_the_province_like_a_city(province):
    committee = RegionFactory(
        name="长白山管委会", code="229900", level=Region.Level.COMMITTEE, parent=province
    )
    committee.full_clean()
    county = RegionFactory(
        name="池北区", code="229901", level=Region.Level.COUNTY, parent=committee
    )
    assert county.is_within(province) and county.is_within(committee)


def test_the_database_refuses_a_second_root_region(province):
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(name="错市", code="229998", level=Region.Level.CITY)


def test_a_vertically_managed_department_must_name_its_upper_agency(city_a):
    agency = AgencyFactory.build(region=city_a, management=Agency.Management.VERTICAL)
    with pytest.raises(ValidationError, match="上级主管部门"):
        agency.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        agency.save()


def test_every_kind_of_enforcement_subject_can_be_recorded(city_a):
    """R1: departments, organisations authorised by law, and delegated organisations."""
    for kind in Agency.Kind:
        AgencyFactory(region=city_a, kind=kind).full_clean()
    assert Agency.objects.filter(region=city_a).count() == len(Agency.Kind)


def test_a_certificate_number_is_unique(agency_a, agency_b):
    OfficerFactory(agency=agency_a, certificate_number="22000001")
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficerFactory(agency=agency_b, certificate_number="22000001")


def test_withdrawing_a_certificate_needs_a_reason_and_a_date(agency_a):
    officer = OfficerFactory(agency=agency_a)
    officer.certificate_status = Officer.CertificateStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="原因和日期"):
        officer.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        officer.save()


def test_an_officer_with_a_suspended_certificate_may_not_enforce(agency_a):
    officer = OfficerFactory(
        agency=agency_a,
        certificate_status=Officer.CertificateStatus.SUSPENDED,
        status_reason="涉嫌违规",
        status_date="2026-11-01",
    )
    assert not officer.may_enforce


def test_changes_to_an_agency_are_kept_in_its_history(agency_a):
    agency_a.supervision_phone = "0431-99999"
    agency_a.save()
    phones = [h.supervision_phone for h in agency_a.history.all()]
    assert phones[:2] == ["0431-99999", "0431-12345"]
