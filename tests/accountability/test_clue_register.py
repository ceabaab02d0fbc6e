"""R26: every clue is registered with a number (per region and year, gapless) by a supervisor
over the unit concerned, with its source; bad input is refused and changes nothing."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.utils import timezone

from accountability.models import Clue, ClueEvent
from accountability.services.clues import clue_deadline
from tests.factories import OfficerFactory

from .conftest import register

pytestmark = pytest.mark.django_db


def test_a_supervisor_registers_a_numbered_clue_with_its_deadline_and_timeline(
    city_supervisor, agency_a, city_a
):
    """R26: numbered ZJ-<region code>-<year>-<4 digits>, due in working days, logged."""
    first = register(city_supervisor, agency_a)
    second = register(city_supervisor, agency_a)
    year = timezone.localdate().year
    assert first.number == f"ZJ-{city_a.code}-{year}-0001"
    assert second.number == f"ZJ-{city_a.code}-{year}-0002"
    assert first.status == Clue.Status.REGISTERED
    assert first.due_on == clue_deadline(first.received_on).deadline
    assert first.timeline.get().kind == ClueEvent.Kind.REGISTERED
    assert first.history.count() == 1


def test_each_region_numbers_its_own_clues(city_supervisor, city_b_supervisor, agency_a, agency_b):
    """R26: the register is per region: city B starts at 0001 too."""
    register(city_supervisor, agency_a)
    b = register(city_b_supervisor, agency_b)
    assert b.number.endswith("-0001")


def test_a_refused_registration_gives_no_number_back(city_supervisor, agency_a):
    """R26: gapless: a refusal takes no number."""
    with pytest.raises(ValidationError):
        register(city_supervisor, agency_a, summary="<script>alert(1)</script>")
    assert register(city_supervisor, agency_a).number.endswith("-0001")


@pytest.mark.parametrize("who", ["inspector_a", "legal_office_a", "outsider_b", "sysadmin"])
def test_only_a_supervisor_over_the_unit_registers(request, who, city_supervisor, agency_a):
    """R26: agency staff, the legal office, another city's staff and the administrator may not."""
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        register(actor, agency_a, region=city_supervisor.region)
    assert not Clue.objects.exists()


def test_a_supervisor_of_another_city_cannot_register_against_agency_a(city_b_supervisor, agency_a):
    with pytest.raises(PermissionDenied):
        register(city_b_supervisor, agency_a)
    assert not Clue.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("received_on", timezone.localdate() + timezone.timedelta(days=1), "不能晚于今天"),
        ("received_on", "2026-01-01", "不是有效的日期"),
        ("summary", "<script>alert(1)</script>", ""),
        ("summary", "=cmd|' /C calc'!A0", ""),
        ("summary", "", "请填写"),
        ("external_body", "", "请填写移送或来源机关"),
        ("source", "overdue", "有效的线索来源"),
        ("source", "complaint", "请指明来源投诉"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(
    city_supervisor, agency_a, field, value, message
):
    with pytest.raises(ValidationError) as caught:
        register(city_supervisor, agency_a, **{field: value})
    assert message in " ".join(caught.value.messages)
    assert not Clue.objects.exists() and not ClueEvent.objects.exists()


def test_officers_must_belong_to_the_unit_concerned(city_supervisor, agency_a, county_agency_a):
    mine, foreign = OfficerFactory(agency=agency_a), OfficerFactory(agency=county_agency_a)
    with pytest.raises(ValidationError):
        register(city_supervisor, agency_a, officers=[mine, foreign])
    clue = register(city_supervisor, agency_a, officers=[mine])
    assert list(clue.officers.all()) == [mine]


def test_an_external_referral_keeps_its_body_reference_and_date(city_supervisor, agency_a):
    """R12: a referral from the supervision commission is a clue with its paper trail."""
    clue = register(
        city_supervisor,
        agency_a,
        source=Clue.Source.SUPERVISION,
        external_body="甲市监察委员会",
        external_reference="甲监移〔2026〕3号",
        external_date=timezone.localdate(),
    )
    assert clue.get_source_display() == "监察机关移送"
    assert clue.external_reference == "甲监移〔2026〕3号"


def test_a_malformed_working_days_setting_is_loud(settings, city_supervisor, agency_a):
    """The time limit is a local choice; a bad value fails rather than guessing."""
    settings.ACCOUNTABILITY_CLUE_WORKING_DAYS = 0
    with pytest.raises(ImproperlyConfigured):
        register(city_supervisor, agency_a)


def test_a_clue_closed_without_a_finding_is_refused_by_the_database(clue):
    """R26: the CheckConstraint backs the service: no closed clue without a finding."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Clue.objects.filter(pk=clue.pk).update(status=Clue.Status.CLOSED)
