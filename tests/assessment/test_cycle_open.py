"""Opening a region's yearly evaluation (R19, R20): who may, once a year, the local choices fixed
on the cycle, the scheme copied or defaulted, the timeline."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError

from assessment.models import Cycle, CycleEvent, Indicator
from assessment.services.cycles import DEFAULT_SCHEME, evaluation_defaults, indicator_save
from portal.roles import Role
from portal.services import user_assign_role
from tests.factories import UserFactory

from .cycle_helpers import open_cycle

pytestmark = pytest.mark.django_db


def test_a_city_supervisor_opens_its_citys_cycle_with_the_default_scheme(
    city_a, city_supervisor, agency_a
):
    """R19, R20: the cycle starts with a 100-point scheme in the two categories, each indicator
    with its computed figure where the portal has one."""
    cycle = open_cycle(city_a, city_supervisor)
    indicators = list(cycle.indicators.all())
    assert len(indicators) == len(DEFAULT_SCHEME)
    assert sum(i.max_points for i in indicators) == Decimal("100")
    assert {i.category for i in indicators} == set(Indicator.Category.values)
    assert cycle.indicators.get(code="B2").figure == Indicator.Figure.CASE_REVIEWS
    kinds = list(cycle.events.values_list("kind", flat=True))
    assert kinds == [CycleEvent.Kind.OPENED, CycleEvent.Kind.ASSIGNMENTS_DERIVED]
    assert cycle.opened_by == city_supervisor


def test_a_city_supervisor_cannot_open_another_citys_cycle(city_a, city_b, city_supervisor):
    """R19: only a supervisor whose region covers the cycle's region opens it."""
    with pytest.raises(PermissionDenied, match="只能为本人监督的区划"):
        open_cycle(city_b, city_supervisor)
    assert not Cycle.objects.exists()


def test_a_city_supervisor_opens_the_cycle_of_a_county_below(county_a, city_supervisor):
    cycle = open_cycle(county_a, city_supervisor)
    assert cycle.region == county_a


@pytest.mark.parametrize("persona", ["inspector_a", "legal_office_a", "sysadmin"])
def test_no_one_but_a_supervisor_opens_a_cycle(request, city_a, persona):
    with pytest.raises(PermissionDenied):
        open_cycle(city_a, request.getfixturevalue(persona))
    assert not Cycle.objects.exists()


def test_a_second_cycle_for_the_same_region_and_year_is_refused(city_a, city_supervisor):
    open_cycle(city_a, city_supervisor)
    with pytest.raises(ValidationError, match="已经开启，不能重复开启"):
        open_cycle(city_a, city_supervisor)
    assert Cycle.objects.count() == 1
    assert CycleEvent.objects.count() == 2


@pytest.mark.parametrize("year", [1999, "abc", "２０２６", "", 2101, True, "2026.5"])
def test_a_malformed_year_is_refused_in_chinese(city_a, city_supervisor, year):
    with pytest.raises(ValidationError, match="考核年度应为"):
        open_cycle(city_a, city_supervisor, year=year)
    assert not Cycle.objects.exists()


def test_the_local_choices_come_from_the_settings_and_are_fixed_on_the_cycle(
    city_a, city_supervisor, settings
):
    """The thresholds, objection period and dual weight are local choices: a region's defaults
    (EVALUATION_DEFAULTS) are copied onto the cycle, so a later change regrades nothing."""
    settings.EVALUATION_DEFAULTS = {
        "excellent_from": 85,
        "regions": {city_a.code: {"dual_vertical_weight": 70, "objection_working_days": 7}},
    }
    cycle = open_cycle(city_a, city_supervisor)
    assert cycle.excellent_from == Decimal("85")
    assert cycle.dual_vertical_weight == 70
    assert cycle.objection_working_days == 7
    settings.EVALUATION_DEFAULTS = {"excellent_from": 95}
    cycle.refresh_from_db()
    assert cycle.excellent_from == Decimal("85")


def test_the_opener_may_set_the_local_choices(city_a, city_supervisor):
    cycle = open_cycle(
        city_a, city_supervisor, excellent_from=Decimal("92"), dual_vertical_weight=60
    )
    assert (cycle.excellent_from, cycle.dual_vertical_weight) == (Decimal("92"), 60)


def test_thresholds_out_of_order_are_refused(city_a, city_supervisor):
    with pytest.raises(ValidationError, match="合格分数线应低于优秀分数线"):
        open_cycle(city_a, city_supervisor, excellent_from=Decimal("50"))
    assert not Cycle.objects.exists()


@pytest.mark.parametrize(
    "value",
    [
        "90",
        {"excellent_from": "ninety"},
        {"qualified_from": 95},
        {"unknown": 1},
        {"objection_working_days": 0},
        {"regions": []},
        {"regions": {"220100": {"dual_vertical_weight": 101}}},
    ],
)
def test_malformed_evaluation_defaults_fail_loudly(city_a, value, settings):
    settings.EVALUATION_DEFAULTS = value
    with pytest.raises(ImproperlyConfigured):
        evaluation_defaults(city_a)


def test_a_new_cycle_copies_the_regions_scheme_of_last_year(city_a, city_supervisor):
    """R20: a new cycle starts from a copy of last year's scheme, edits included."""
    last = open_cycle(city_a, city_supervisor, year=2025)
    indicator_save(
        cycle=last,
        actor=city_supervisor,
        code="D1",
        name="执法公示",
        category=Indicator.Category.ENFORCEMENT,
        max_points="5",
    )
    cycle = open_cycle(city_a, city_supervisor, year=2026)
    assert cycle.indicators.filter(code="D1", name="执法公示").exists()
    assert cycle.indicators.count() == last.indicators.count()
    assert "2025" in cycle.events.get(kind=CycleEvent.Kind.OPENED).note


def test_a_supervisor_without_a_region_opens_nothing(city_a):
    user = UserFactory(username="regionless")
    user_assign_role(user=user, role=Role.SUPERVISOR, actor=None, region=city_a)
    user.region = None
    with pytest.raises(PermissionDenied):
        open_cycle(city_a, user)


@pytest.mark.parametrize("raw", ["{not json", "[90, 60]"])
def test_a_malformed_evaluation_defaults_variable_stops_the_start(raw):
    """Settings from the environment: a bad value fails loudly, before any cycle opens."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[2],
        env={**env, "DJANGO_DEBUG": "1", "EVALUATION_DEFAULTS": raw},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "EVALUATION_DEFAULTS must be a JSON object" in result.stderr
