"""Reads for fines (R30) and the discretion report (R7): which banks may collect an agency's
fines, what has been paid on a fine, and the supervisors' reports, each scoped to who asks."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum

from portal.scoping import scope
from reporting.models import DiscretionTally, MonthTally

from ..models import (
    TRIAL_CATEGORIES,
    Agency,
    CollectingBank,
    Decision,
    DiscretionTier,
    FinePayment,
)
from ..models.powers import Category

ZERO = Decimal("0.00")


def banks_for(*, agency: Agency) -> QuerySet[CollectingBank]:
    """The active banks designated by the agency's region, or by the nearest region above it
    that designates any."""
    active = CollectingBank.objects.filter(is_active=True)
    nearest = agency.region.nearest(active)
    if nearest is None:
        return CollectingBank.objects.none()
    return active.filter(region_id=nearest.region_id).order_by("name", "pk")


# --- one fine ----------------------------------------------------------------------------------


def issued_fine_of(*, case) -> Decision | None:
    """The case's decision if it is an issued fine (R30: only then is anything collected)."""
    return (
        Decision.objects.filter(case=case, status=Decision.Status.ISSUED, kind=Decision.Kind.FINE)
        .select_related("collecting_bank")
        .first()
    )


def payments_of(*, decision: Decision) -> QuerySet[FinePayment]:
    return decision.payments.select_related("recorded_by").order_by("paid_on", "pk")


def paid_total(*, decision: Decision) -> Decimal:
    """What has been paid on the fine so far, from the banks' receipts."""
    total = decision.payments.aggregate(total=Sum("amount"))["total"]
    return total if total is not None else ZERO


def outstanding(*, decision: Decision) -> Decimal:
    """What is still owed on the fine (never below zero)."""
    return max((decision.fine_amount or ZERO) - paid_total(decision=decision), ZERO)


# --- the reports: shared filters -----------------------------------------------------------------


def _issued(*, user, year: int, agency_id=None) -> QuerySet[Decision]:
    """The issued decisions of `year` (by the local date of issue) that `user` may read."""
    rows = scope(
        Decision.objects.filter(status=Decision.Status.ISSUED, issued_at__year=year),
        user,
        agency_field="case__agency",
    )
    if agency_id:
        rows = rows.filter(case__agency_id=agency_id)
    return rows


def _money(value) -> Decimal:
    # SQLite's sums lose the scale of the column: show every amount with its two decimals.
    return (value or ZERO).quantize(Decimal("0.01"))


def _rate(collected: Decimal, decided: Decimal) -> Decimal | None:
    if not decided:
        return None
    return (collected * 100 / decided).quantize(Decimal("0.1"))


# --- R30: decided against collected -------------------------------------------------------------


@dataclass
class FineRow:
    agency_id: int | None
    agency_name: str
    decisions: int = 0
    decided: Decimal = ZERO
    collected: Decimal = ZERO

    @property
    def outstanding(self) -> Decimal:
        return max(self.decided - self.collected, ZERO)

    @property
    def rate(self) -> Decimal | None:
        return _rate(self.collected, self.decided)


@dataclass
class FineReport:
    rows: list[FineRow] = field(default_factory=list)
    total: FineRow = field(default_factory=lambda: FineRow(None, ""))


def fine_report(*, user, year: int, agency_id=None) -> FineReport:
    """R30: per agency, the fines issued in `year`, what they decided, what the banks have
    collected on them (whenever paid), what is outstanding and the rate. Read from the monthly
    tallies (`reporting.MonthTally`, kept by the services' saves), which count issued fines by
    the month of issue and the payments by their fine's month: one query over at most twelve
    rows per agency, whatever the number of decisions."""
    tallies = scope(MonthTally.objects.filter(month__year=year), user, agency_field="agency")
    if agency_id:
        tallies = tallies.filter(agency_id=agency_id)
    per_agency = (
        tallies.values("agency_id", "agency__name")
        .annotate(
            decisions=Sum("fines_issued"),
            decided=Sum("fines_decided"),
            collected=Sum("fines_collected"),
        )
        .filter(decisions__gt=0)
        .order_by("agency__name", "agency_id")
    )
    report = FineReport()
    for row in per_agency:
        line = FineRow(
            agency_id=row["agency_id"],
            agency_name=row["agency__name"],
            decisions=row["decisions"],
            decided=_money(row["decided"]),
            collected=_money(row["collected"]),
        )
        report.rows.append(line)
        report.total.decisions += line.decisions
        report.total.decided += line.decided
        report.total.collected += line.collected
    return report


# --- R7: how the discretion benchmarks are applied ----------------------------------------------

PENALTY = ~Q(kind=Decision.Kind.OTHER)
# R7: the report covers penalties, and every decision under a licensing or coercion item (the
# trial's categories: such an item has a benchmark only where its region joined the trial).
# `discretion_report` applies the same rule to the tally's rows (penalties, plus the "other"
# decisions of an item of TRIAL_CATEGORIES): a change here is a change there.
COVERED = PENALTY | Q(case__power_item__category__in=TRIAL_CATEGORIES)
FINE_WITH_TIER = Q(kind=Decision.Kind.FINE, tier__isnull=False)
# SQL comparisons with a missing bound are unknown, hence false: an open end is never crossed.
BELOW = FINE_WITH_TIER & Q(fine_amount__lt=F("tier__fine_min"))
ABOVE = FINE_WITH_TIER & Q(fine_amount__gt=F("tier__fine_max"))
WITHIN = (
    FINE_WITH_TIER
    & (Q(tier__fine_min__isnull=True) | Q(fine_amount__gte=F("tier__fine_min")))
    & (Q(tier__fine_max__isnull=True) | Q(fine_amount__lte=F("tier__fine_max")))
)


def _item_has_tiers():
    return Exists(DiscretionTier.objects.filter(item_id=OuterRef("case__power_item_id")))


@dataclass
class DiscretionRow:
    agency_id: int
    agency_name: str
    item_id: int
    item_code: str
    item_name: str
    category: str
    category_label: str
    decisions: int
    with_tier: int
    within: int
    below: int
    above: int
    fine_min: Decimal | None
    fine_max: Decimal | None


@dataclass
class DiscretionReport:
    rows: list[DiscretionRow] = field(default_factory=list)
    # how many decisions `discretion_outliers` lists: fines outside their tier's range, and
    # covered decisions naming no tier although their item has tiers
    outliers: int = 0


def discretion_report(*, user, year: int, agency_id=None) -> DiscretionReport:
    """R7: per agency and power item, the issued decisions of `year` the report covers
    (penalties; any decision of a licensing or coercion item), how many name a tier, how many
    fines fall within, below or above the applied tier's range, the smallest and largest fine;
    and how many decisions the outlier list holds. Read from the discretion tally
    (`reporting.DiscretionTally`, kept by the saves of decisions, cases and tiers): one query
    over a few rows per agency, whatever the number of decisions. Whether a decision of the
    kind "other" is covered, and whether an item has tiers, are read now, as the outlier list
    reads them."""
    tallies = scope(DiscretionTally.objects.filter(year=year), user, agency_field="agency")
    if agency_id:
        tallies = tallies.filter(agency_id=agency_id)
    tallies = tallies.annotate(
        agency_name=F("agency__name"),
        category=F("item__category"),
        has_tiers=Exists(DiscretionTier.objects.filter(item_id=OuterRef("item_id"))),
    ).order_by("agency__name", "agency_id", "item_code", "item_id")
    labels = dict(Category.choices)
    report = DiscretionReport()
    for tally in tallies:
        trial = tally.category in TRIAL_CATEGORIES
        decisions = tally.penalties + (tally.others if trial else 0)
        if not decisions:
            continue
        with_tier = tally.penalties_with_tier + (tally.others_with_tier if trial else 0)
        report.rows.append(
            DiscretionRow(
                agency_id=tally.agency_id,
                agency_name=tally.agency_name,
                item_id=tally.item_id,
                item_code=tally.item_code,
                item_name=tally.item_name,
                category=tally.category,
                category_label=labels.get(tally.category, tally.category),
                decisions=decisions,
                with_tier=with_tier,
                within=tally.fines_within,
                below=tally.fines_below,
                above=tally.fines_above,
                fine_min=_money(tally.fine_min) if tally.fine_min is not None else None,
                fine_max=_money(tally.fine_max) if tally.fine_max is not None else None,
            )
        )
        untiered = decisions - with_tier if tally.has_tiers else 0
        report.outliers += tally.fines_below + tally.fines_above + untiered
    return report


def discretion_outliers(*, user, year: int, agency_id=None) -> QuerySet[Decision]:
    """R7: issued fines outside their tier's range, and issued decisions the report covers
    naming no tier although their item has tiers; newest first."""
    untiered = COVERED & Q(tier__isnull=True, has_tiers=True)
    return (
        _issued(user=user, year=year, agency_id=agency_id)
        .alias(has_tiers=_item_has_tiers())
        .filter(BELOW | ABOVE | untiered)
        .select_related("case__agency", "tier")
        .order_by("-issued_at", "-pk")
    )
