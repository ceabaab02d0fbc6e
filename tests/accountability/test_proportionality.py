"""R28: proportionality (过惩相当): the band of sanctions for a fault and its consequences, from
the region's table or this portal's default; aggravating circumstances or a severe impact raise
it one step, mitigating circumstances or good faith within the law (R29) lower it one step,
clamped to the scale."""

import pytest

from accountability.models import (
    OFFICER_SCALE,
    UNIT_SCALE,
    AccountabilityRules,
    Consequence,
    Fault,
    SanctionBand,
)
from accountability.services.proportionality import (
    DEFAULT_TABLE,
    adjust,
    band_for,
    default_band,
    in_band,
    step_of,
)

pytestmark = pytest.mark.django_db

PLAIN = {"impact": "slight", "mitigating": False, "aggravating": False, "good_faith": False}


def test_the_default_table_covers_every_fault_and_consequence_in_order():
    """R28: one band per fault and consequence; more fault or worse consequences never lower
    the band."""
    assert set(DEFAULT_TABLE) == {(f, c) for f in Fault.values for c in Consequence.values}
    for ol, oh, ul, uh in DEFAULT_TABLE.values():
        assert 0 <= ol <= oh < len(OFFICER_SCALE) and 0 <= ul <= uh < len(UNIT_SCALE)
    faults = [Fault.NEGLIGENCE, Fault.GROSS_NEGLIGENCE, Fault.INTENT]
    for f in faults:
        lows = [DEFAULT_TABLE[(f, c)][0] for c in Consequence.values]
        assert lows == sorted(lows)
    for c in Consequence.values:
        highs = [DEFAULT_TABLE[(f, c)][1] for f in faults]
        assert highs == sorted(highs)


def test_a_plain_case_gets_the_table_s_band(city_a):
    """R28: no circumstances: the table's band."""
    band = band_for(region=city_a, fault="ordinary", consequence="minor", **PLAIN)
    assert (band.officer_low, band.officer_high) == ("criticism", "training")
    assert band.shift == 0 and not band.from_region


@pytest.mark.parametrize(
    ("circumstances", "shift"),
    [
        ({"aggravating": True}, 1),
        ({"impact": "severe"}, 1),
        ({"impact": "severe", "aggravating": True}, 1),
        ({"mitigating": True}, -1),
        ({"good_faith": True}, -1),
        ({"aggravating": True, "good_faith": True}, 0),
    ],
)
def test_circumstances_move_the_band_one_step(circumstances, shift):
    """R28, R29: up one step for aggravation or severe impact, down one for mitigation or good
    faith within the law; each side counts once."""
    assert step_of(**(PLAIN | circumstances)) == shift


def test_the_band_is_clamped_to_the_scale():
    """R28: the mildest band lowered stays at the mildest; the gravest raised at the gravest."""
    mild = adjust(default_band("ordinary", "none"), -1)
    assert (mild.officer_low, mild.officer_high) == ("criticism", "criticism")
    grave = adjust(default_band("intent", "especially"), 1)
    assert (grave.officer_low, grave.officer_high) == ("discipline", "discipline")
    assert (grave.unit_low, grave.unit_high) == ("award_loss", "award_loss")


def test_good_faith_lowers_the_band(city_a):
    """R29: acting in good faith within the law mitigates."""
    band = band_for(
        region=city_a, fault="gross", consequence="serious", **(PLAIN | {"good_faith": True})
    )
    assert (band.officer_low, band.officer_high) == ("training", "suspension")
    assert band.shift == -1


def test_the_region_s_table_overrides_the_default(city_a, county_a, province):
    """R28: the region's own band applies to it and the regions below it."""
    rules = AccountabilityRules.objects.create(region=city_a)
    SanctionBand.objects.create(
        rules=rules,
        fault="ordinary",
        consequence="minor",
        officer_low="removal",
        officer_high="suspension",
        unit_low="circulated",
        unit_high="circulated",
    )
    band = band_for(region=county_a, fault="ordinary", consequence="minor", **PLAIN)
    assert band.from_region and (band.officer_low, band.officer_high) == ("removal", "suspension")
    # A pair the region's table leaves out falls back to the default.
    other = band_for(region=county_a, fault="intent", consequence="none", **PLAIN)
    assert not other.from_region
    # Another region keeps the default.
    assert not band_for(region=province, fault="ordinary", consequence="minor", **PLAIN).from_region


def test_in_band_checks_the_scale_and_the_range():
    """R28: an officer's sanction on the officers' scale within the band; a unit's on the units'."""
    band = default_band("gross", "serious")  # officers: removal–withdrawal; units: circulated–
    assert in_band("removal", band, unit=False) and in_band("withdrawal", band, unit=False)
    assert not in_band("criticism", band, unit=False)
    assert not in_band("discipline", band, unit=False)
    assert not in_band("circulated", band, unit=False)  # a unit's sanction for a person
    assert in_band("circulated", band, unit=True) and in_band("award_loss", band, unit=True)
    assert not in_band("rectification", band, unit=True)
    assert not in_band("removal", band, unit=True)
