"""R23: the departments' results, computed from the scores (never typed), their disclosure and
their share of the award quotas."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AgencyResult, Assignment, Cycle, CycleEvent, Grade, Score
from .permissions import cycle_can_manage

TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)
MAX_QUOTA = 1000


@dataclass
class ComputedResults:
    """What `results_compute` did: the results it wrote and the agencies left out, each with
    the number of indicators still unscored."""

    results: list = field(default_factory=list)
    incomplete: list = field(default_factory=list)  # [(agency, unscored count)]

    @property
    def incomplete_message(self) -> str:
        if not self.incomplete:
            return ""
        names = _("、").join(
            _("%(agency)s（%(count)s 项未评分）") % {"agency": agency, "count": count}
            for agency, count in self.incomplete
        )
        return _("以下单位尚有指标未评分，未计算结果：%(names)s。") % {"names": names}


def _check_manager(actor, cycle: Cycle) -> None:
    if not cycle_can_manage(actor, cycle):
        raise PermissionDenied(_("只有本地区的政府法制监督人员可以办理考核结果。"))


def _locked_cycle(cycle: Cycle) -> Cycle:
    return Cycle.objects.select_for_update(of=("self",)).select_related("region").get(pk=cycle.pk)


def _quantized(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@transaction.atomic
def results_compute(*, cycle: Cycle, actor) -> ComputedResults:
    """R23: each agency's total out of 100 from its evaluators' scores.

    An assignment's total is its points earned over the points available in the cycle's scheme,
    × 100; an agency's total is its assignments' totals weighted by their weights (a local
    department: its government alone; vertical: the department above; dual: both, by the cycle's
    local choice). The grade follows the cycle's thresholds; the performance score is the total.
    Agencies with an unscored indicator are left out and listed. A recomputed result whose total
    changes loses its award shares, which were allotted by rank (allot them again)."""
    cycle = _locked_cycle(cycle)
    _check_manager(actor, cycle)
    if cycle.status != Cycle.Status.OPEN:
        raise ValidationError(_("该考核周期已结束，不能重新计算结果。"), code="closed")
    indicators = cycle.indicators.aggregate(n=Count("pk"), points=Sum("max_points"))
    if not indicators["n"]:
        raise ValidationError(_("本考核周期还没有考核指标，无法计算结果。"), code="no_scheme")
    available = indicators["points"]

    assignments = list(
        Assignment.objects.filter(cycle=cycle)
        .select_related("agency")
        .order_by("agency__name", "agency_id", "role")
    )
    if not assignments:
        raise ValidationError(_("本考核周期还没有评议关系，无法计算结果。"), code="no_assignments")
    earned = {
        row["assignment"]: row
        for row in Score.objects.filter(assignment__cycle=cycle)
        .values("assignment")
        .annotate(n=Count("pk"), points=Sum("points"))
    }
    by_agency = defaultdict(list)
    for assignment in assignments:
        by_agency[assignment.agency].append(assignment)

    outcome, now = ComputedResults(), timezone.now()
    existing = {
        r.agency_id: r for r in AgencyResult.objects.select_for_update().filter(cycle=cycle)
    }
    for agency, own in by_agency.items():
        missing = sum(indicators["n"] - earned.get(a.pk, {}).get("n", 0) for a in own)
        if missing:
            outcome.incomplete.append((agency, missing))
            continue
        totals = {a.role: earned[a.pk]["points"] / available * HUNDRED for a in own}
        weight = sum(a.weight for a in own)
        if weight:
            total = sum(earned[a.pk]["points"] / available * HUNDRED * a.weight for a in own)
            total = total / weight
        else:  # weights of zero everywhere would be a derivation error; fall back to the mean
            total = sum(totals.values()) / len(totals)
        total = _quantized(total)
        result = existing.get(agency.pk) or AgencyResult(cycle=cycle, agency=agency)
        if result.pk and result.total != total:
            result.award_share_rule_of_law = result.award_share_enforcement = 0
        local = totals.get(Assignment.Role.LOCAL)
        vertical = totals.get(Assignment.Role.VERTICAL)
        result.local_total = _quantized(local) if local is not None else None
        result.vertical_total = _quantized(vertical) if vertical is not None else None
        result.total = total
        result.grade = cycle.grade_for(total)
        result.performance_score = total
        result.computed_at = now
        result.full_clean(exclude=["cycle", "agency"], validate_unique=False)
        result._history_user = actor
        result.save()
        outcome.results.append(result)

    note = _("计算 %(done)s 个单位的考核结果。") % {"done": len(outcome.results)}
    if outcome.incomplete:
        note += outcome.incomplete_message
    CycleEvent.objects.create(
        cycle=cycle, kind=CycleEvent.Kind.RESULTS_COMPUTED, actor=actor, note=note
    )
    return outcome


DISCLOSURE_SCOPES = (
    AgencyResult.Disclosure.INTERNAL,
    AgencyResult.Disclosure.REGION,
    AgencyResult.Disclosure.PUBLIC,
)


@transaction.atomic
def results_disclose(*, cycle: Cycle, scope: str, actor) -> int:
    """R23: disclose the cycle's results within `scope`: internal (the supervisors and each
    agency its own), the region (every staff of the cycle's region and below) or the public.
    A narrower scope may replace a wider one. Returns how many results it set."""
    cycle = _locked_cycle(cycle)
    _check_manager(actor, cycle)
    if scope not in DISCLOSURE_SCOPES:
        raise ValidationError({"scope": _("请选择公开范围：内部通报、本地区公开或向社会公开。")})
    results = list(AgencyResult.objects.select_for_update().filter(cycle=cycle))
    if not results:
        raise ValidationError(_("本考核周期还没有计算考核结果，无可公开的内容。"), code="empty")
    now = timezone.now()
    for result in results:
        result.disclosure, result.disclosed_at = scope, now
        result._history_user = actor
    AgencyResult.objects.bulk_update(results, ["disclosure", "disclosed_at"])
    # bulk_update writes no history: one version each, as save() would.
    AgencyResult.history.bulk_history_create(results, default_user=actor)
    CycleEvent.objects.create(
        cycle=cycle,
        kind=CycleEvent.Kind.RESULTS_DISCLOSED,
        actor=actor,
        note=_("考核结果公开范围：%(scope)s（%(count)s 个单位）。")
        % {"scope": AgencyResult.Disclosure(scope).label, "count": len(results)},
    )
    return len(results)


def _quota(raw, label) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_QUOTA:
        raise ValidationError(
            _("%(label)s应为 0 至 %(max)s 之间的整数。") % {"label": label, "max": MAX_QUOTA},
            code="bad_quota",
        )
    return raw


# Reads another app keeps of agencies barred from awards in a year (accountability's loss of
# award eligibility, 取消评优评先资格): name -> reads(agency ids, year) -> the barred ids.
AWARD_BARS: dict[str, Callable] = {}


def register_award_bar(name: str, reads: Callable) -> None:
    """Add a bar another app keeps (see AWARD_BARS); registering again replaces."""
    AWARD_BARS[name] = reads


def award_barred(agency_ids: list[int], year: int) -> set[int]:
    barred: set[int] = set()
    for reads in AWARD_BARS.values():
        barred |= set(reads(agency_ids, year))
    return barred


@transaction.atomic
def award_quotas_allocate(*, cycle: Cycle, rule_of_law: int, enforcement: int, actor) -> list:
    """R23: the region's awards of each category shared among its departments by result.

    The rule (a local choice, labelled as such on the page): only departments graded excellent
    get shares; in rank order (highest total first, then by name), one award each, until the
    quota is used; a quota larger than the excellent departments leaves the rest unallotted.
    Every earlier allotment of the cycle is replaced. Returns the results that got shares."""
    cycle = _locked_cycle(cycle)
    _check_manager(actor, cycle)
    rule_of_law = _quota(rule_of_law, _("法治建设评优名额"))
    enforcement = _quota(enforcement, _("行政执法评优名额"))
    results = list(
        AgencyResult.objects.select_for_update(of=("self",))
        .filter(cycle=cycle)
        .select_related("agency")
        .order_by("-total", "agency__name", "agency_id")
    )
    if not results:
        raise ValidationError(_("本考核周期还没有计算考核结果，无法分配评优名额。"), code="empty")
    # An agency that lost its award eligibility in the cycle's year gets no share (R24).
    barred = award_barred([r.agency_id for r in results], cycle.year)
    excellent = [r for r in results if r.grade == Grade.EXCELLENT and r.agency_id not in barred]
    for result in results:
        rank = excellent.index(result) if result in excellent else None
        result.award_share_rule_of_law = int(rank is not None and rank < rule_of_law)
        result.award_share_enforcement = int(rank is not None and rank < enforcement)
    AgencyResult.objects.bulk_update(
        results, ["award_share_rule_of_law", "award_share_enforcement"]
    )
    AgencyResult.history.bulk_history_create(results, default_user=actor)
    CycleEvent.objects.create(
        cycle=cycle,
        kind=CycleEvent.Kind.AWARDS_ALLOCATED,
        actor=actor,
        note=_("评优名额：法治建设 %(a)s 个，行政执法 %(b)s 个；优秀单位 %(n)s 个。")
        % {"a": rule_of_law, "b": enforcement, "n": len(excellent)}
        + (
            _("被取消评优评先资格的单位 %(m)s 个，不参与分配。") % {"m": len(barred)}
            if barred
            else ""
        ),
    )
    return [r for r in results if r.award_share_rule_of_law or r.award_share_enforcement]
