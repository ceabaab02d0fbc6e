"""R28: proportionality (过惩相当). The report records the fault and the consequences; the band
of sanctions comes from the region's table (`SanctionBand` rows of the nearest region up the
tree with rules), else from this portal's default table below; the circumstances then move the
band one step: aggravating circumstances or a severe social impact up, mitigating circumstances
or good faith within the law (R29) down (clamped to the scale).

The default table is this portal's LOCAL DEFAULT, not the policy's: the policy names the
principle and the sanctions (七(二)) but no table. Each region's legal office may replace it.
"""

from dataclasses import dataclass

from ..models import OFFICER_SCALE, UNIT_SCALE, Consequence, Fault, Impact, SanctionKind
from .steps import rules_for

# LOCAL DEFAULT (not the policy's): (fault, consequence) -> (officer low, officer high,
# unit low, unit high), as positions on OFFICER_SCALE and UNIT_SCALE.
#   officers: 0 批评教育, 1 离岗培训, 2 调离执法岗位, 3 暂扣执法证件, 4 收回执法证件, 5 建议处分
#   units:    0 责令限期整改, 1 通报批评, 2 取消评优评先资格
DEFAULT_TABLE: dict[tuple[str, str], tuple[int, int, int, int]] = {
    (Fault.NEGLIGENCE, Consequence.NONE): (0, 0, 0, 0),
    (Fault.NEGLIGENCE, Consequence.MINOR): (0, 1, 0, 0),
    (Fault.NEGLIGENCE, Consequence.SERIOUS): (1, 2, 0, 1),
    (Fault.NEGLIGENCE, Consequence.ESPECIALLY_SERIOUS): (2, 3, 1, 2),
    (Fault.GROSS_NEGLIGENCE, Consequence.NONE): (0, 1, 0, 0),
    (Fault.GROSS_NEGLIGENCE, Consequence.MINOR): (1, 2, 0, 1),
    (Fault.GROSS_NEGLIGENCE, Consequence.SERIOUS): (2, 4, 1, 2),
    (Fault.GROSS_NEGLIGENCE, Consequence.ESPECIALLY_SERIOUS): (3, 5, 1, 2),
    (Fault.INTENT, Consequence.NONE): (1, 2, 0, 1),
    (Fault.INTENT, Consequence.MINOR): (2, 3, 1, 2),
    (Fault.INTENT, Consequence.SERIOUS): (3, 5, 1, 2),
    (Fault.INTENT, Consequence.ESPECIALLY_SERIOUS): (4, 5, 2, 2),
}


@dataclass(frozen=True)
class Band:
    """A band on each scale (lowest, highest inclusive), and how it was reached."""

    officer_low: str
    officer_high: str
    unit_low: str
    unit_high: str
    shift: int = 0  # +1 raised, -1 lowered, 0 as the table says
    from_region: bool = False  # the region's own table (else this portal's default)

    def bounds(self, *, unit: bool) -> tuple[str, str]:
        return (self.unit_low, self.unit_high) if unit else (self.officer_low, self.officer_high)

    @property
    def officer_low_label(self) -> str:
        return SanctionKind(self.officer_low).label

    @property
    def officer_high_label(self) -> str:
        return SanctionKind(self.officer_high).label

    @property
    def unit_low_label(self) -> str:
        return SanctionKind(self.unit_low).label

    @property
    def unit_high_label(self) -> str:
        return SanctionKind(self.unit_high).label


def scale(*, unit: bool) -> tuple[SanctionKind, ...]:
    return UNIT_SCALE if unit else OFFICER_SCALE


def default_band(fault: str, consequence: str) -> Band:
    """The portal's default band (LOCAL DEFAULT) for a fault and its consequences."""
    ol, oh, ul, uh = DEFAULT_TABLE[(Fault(fault), Consequence(consequence))]
    return Band(OFFICER_SCALE[ol], OFFICER_SCALE[oh], UNIT_SCALE[ul], UNIT_SCALE[uh])


def step_of(*, impact: str, mitigating: bool, aggravating: bool, good_faith: bool) -> int:
    """R28, R29: +1 for aggravating circumstances or a severe impact, -1 for mitigating ones or
    good faith within the law; each side counts once, so both together cancel out."""
    up = bool(aggravating) or impact == Impact.SEVERE
    down = bool(mitigating) or bool(good_faith)
    return int(up) - int(down)


def _moved(low: str, high: str, shift: int, kinds) -> tuple[str, str]:
    top = len(kinds) - 1
    positions = [kinds.index(SanctionKind(low)), kinds.index(SanctionKind(high))]
    low_at, high_at = (min(max(p + shift, 0), top) for p in positions)
    return kinds[low_at].value, kinds[high_at].value


def adjust(band: Band, shift: int) -> Band:
    """The band moved `shift` steps on both scales, clamped to each scale's ends."""
    officer = _moved(band.officer_low, band.officer_high, shift, OFFICER_SCALE)
    unit = _moved(band.unit_low, band.unit_high, shift, UNIT_SCALE)
    return Band(*officer, *unit, shift=shift, from_region=band.from_region)


def table_band(*, region, fault: str, consequence: str) -> Band:
    """The region's band for the fault and consequences, else the portal's default."""
    rules = rules_for(region)
    if rules.pk:
        row = rules.bands.filter(fault=fault, consequence=consequence).first()
        if row is not None:
            return Band(
                row.officer_low, row.officer_high, row.unit_low, row.unit_high, from_region=True
            )
    return default_band(fault, consequence)


def region_table(region) -> dict[tuple[str, str], Band]:
    """Every fault and consequence's band in `region` (its table over the default), in one
    query: what the report form shows before the circumstances move it."""
    table = {key: default_band(*key) for key in DEFAULT_TABLE}
    rules = rules_for(region)
    if rules.pk:
        for row in rules.bands.all():
            table[(row.fault, row.consequence)] = Band(
                row.officer_low, row.officer_high, row.unit_low, row.unit_high, from_region=True
            )
    return table


def band_for(
    *,
    region,
    fault: str,
    consequence: str,
    impact: str,
    mitigating: bool,
    aggravating: bool,
    good_faith: bool,
) -> Band:
    """R28: the band proposed for this fault, consequences and circumstances in `region`."""
    band = table_band(region=region, fault=fault, consequence=consequence)
    shift = step_of(
        impact=impact, mitigating=mitigating, aggravating=aggravating, good_faith=good_faith
    )
    return adjust(band, shift)


def within(kind: str, low: str, high: str, *, unit: bool) -> bool:
    """Is `kind` on the subject's scale and between `low` and `high` (inclusive)?"""
    kinds = [k.value for k in scale(unit=unit)]
    if kind not in kinds or low not in kinds or high not in kinds:
        return False
    return kinds.index(low) <= kinds.index(kind) <= kinds.index(high)


def in_band(kind: str, band: Band, *, unit: bool) -> bool:
    """Is `kind` on the subject's scale and within the band (inclusive)?"""
    return within(kind, *band.bounds(unit=unit), unit=unit)


def on_scale(kind: str, *, unit: bool) -> bool:
    return kind in scale(unit=unit)
