"""Writes of the yearly cycle (R19, R20): opening it with the region's local choices, deriving
who evaluates whom, the indicator scheme, the local government's opinion, and closing it.

Every function is atomic and takes `actor=`; a refusal is a ValidationError (or PermissionDenied)
in Chinese and changes nothing; every state change leaves a CycleEvent on the cycle's timeline.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from enforcement.models import Agency, PowerItem, Region
from portal.scoping import can_act_for
from portal.text import clean_text, refuse_control_chars

from ..models import Assignment, Cycle, CycleEvent, Indicator, Score, UnitEvaluation
from .coverage import candidate_agencies
from .permissions import supervises_region as may_run

# --- the local choices (本地选择) ----------------------------------------------------------------

LOCAL_CHOICES = (
    "excellent_from",
    "qualified_from",
    "objection_working_days",
    "dual_vertical_weight",
)
BUILT_IN_DEFAULTS = {
    "excellent_from": Decimal("90"),
    "qualified_from": Decimal("60"),
    "objection_working_days": 5,
    "dual_vertical_weight": 50,
}


def _checked_choices(raw, where: str) -> dict:
    """The local choices of one entry of EVALUATION_DEFAULTS, or ImproperlyConfigured: a wrong
    default would grade a whole region's year, so it stops the cycle instead of being guessed."""
    if not isinstance(raw, dict):
        raise ImproperlyConfigured(f"EVALUATION_DEFAULTS{where} must be a dict, got {raw!r}")
    unknown = set(raw) - set(LOCAL_CHOICES)
    if unknown:
        raise ImproperlyConfigured(f"EVALUATION_DEFAULTS{where} has unknown keys {sorted(unknown)}")
    choices = {}
    for name, value in raw.items():
        try:
            if name in ("excellent_from", "qualified_from"):
                choices[name] = Decimal(str(value))
            elif isinstance(value, int) and not isinstance(value, bool):
                choices[name] = value
            else:
                raise TypeError
        except (InvalidOperation, TypeError):
            raise ImproperlyConfigured(
                f"EVALUATION_DEFAULTS{where}[{name!r}]={value!r} is not a number"
            ) from None
    return choices


def _validated(choices: dict, where: str) -> dict:
    if not Decimal("0") < choices["qualified_from"] < choices["excellent_from"] <= 100:
        raise ImproperlyConfigured(
            f"EVALUATION_DEFAULTS{where}: need 0 < qualified_from < excellent_from <= 100"
        )
    if not 1 <= choices["objection_working_days"] <= 30:
        raise ImproperlyConfigured(f"EVALUATION_DEFAULTS{where}: objection_working_days 1–30")
    if not 0 <= choices["dual_vertical_weight"] <= 100:
        raise ImproperlyConfigured(f"EVALUATION_DEFAULTS{where}: dual_vertical_weight 0–100")
    return choices


def evaluation_defaults(region: Region) -> dict:
    """The local choices a new cycle of `region` starts from: the built-in defaults, overridden by
    `settings.EVALUATION_DEFAULTS` (its top-level keys for every region, its "regions" entry,
    keyed by region code, for a region and those below it, the nearest code winning).
    A malformed setting raises ImproperlyConfigured."""
    raw = getattr(settings, "EVALUATION_DEFAULTS", {}) or {}
    if not isinstance(raw, dict):
        raise ImproperlyConfigured(f"EVALUATION_DEFAULTS must be a dict, got {raw!r}")
    by_region = raw.get("regions", {})
    if not isinstance(by_region, dict):
        raise ImproperlyConfigured("EVALUATION_DEFAULTS['regions'] must be a dict of region codes")
    choices = dict(BUILT_IN_DEFAULTS)
    choices |= _checked_choices({k: v for k, v in raw.items() if k != "regions"}, "")
    for code in [c for c in region.path.strip("/").split("/") if c]:
        if code in by_region:
            choices |= _checked_choices(by_region[code], f"['regions'][{code!r}]")
    return _validated(choices, "")


# --- the default indicator scheme (R20) ---------------------------------------------------------

ENF = Indicator.Category.ENFORCEMENT
RESP = Indicator.Category.RESPONSIBILITY
F = Indicator.Figure
# (code, name, category, points, figure, guidance): 100 points in all.
DEFAULT_SCHEME = (
    ("A1", "权责清单编制与动态调整", RESP, "10", F.REVISIONS,
     "权责清单完整公布，依据变化后按时调整；逾期未调整的每项扣 2 分。"),
    ("A2", "执法责任制与岗位责任落实", RESP, "10", F.NONE,
     "执法岗位、人员和责任明确，执法人员持证上岗；发现未落实的每处扣 2 分。"),
    ("A3", "责任追究", RESP, "10", F.ACCOUNTABILITY,
     "对违法或不当执法行为依法追究责任；应追究未追究的每件扣 3 分。"),
    ("B1", "行政执法程序规范", ENF, "15", F.INSPECTIONS,
     "专项检查和暗访中发现程序违法的每件扣 3 分。"),
    ("B2", "案卷质量", ENF, "15", F.CASE_REVIEWS, "按案卷评查平均得分折算。"),
    ("B3", "重大执法决定法制审核", ENF, "10", F.LEGAL_REVIEWS,
     "重大执法决定未经法制审核即作出的每件扣 5 分。"),
    ("B4", "行政复议和行政诉讼情况", ENF, "10", F.REMEDIES,
     "执法决定被撤销、变更或确认违法的每件扣 2 分。"),
    ("B5", "投诉举报办理", ENF, "10", F.COMPLAINTS,
     "投诉按时告知、按时办结；投诉属实的每件扣 2 分。"),
    ("C1", "社会评议", ENF, "10", F.OPINION, "按评议卡、问卷和座谈会的满意率折算。"),
)  # fmt: skip


# --- permissions --------------------------------------------------------------------------------


def cycle_check_runner(*, cycle: Cycle, actor) -> None:
    """PermissionDenied unless `actor` supervises the cycle's region (open, refresh, scheme,
    close)."""
    if not may_run(actor, cycle.region):
        raise PermissionDenied(_("只有本区划或上级的政府法制监督人员可以管理该评议考核。"))


def _check_open(cycle: Cycle) -> None:
    if cycle.status != Cycle.Status.OPEN:
        raise ValidationError(_("该评议考核已结束，不能再修改。"), code="closed")


def _event(cycle: Cycle, kind: str, actor, *, agency=None, note: str = "") -> CycleEvent:
    return CycleEvent.objects.create(cycle=cycle, kind=kind, actor=actor, agency=agency, note=note)


# --- opening ------------------------------------------------------------------------------------


def _year(value) -> int:
    text = (
        str(value).strip() if isinstance(value, int | str) and not isinstance(value, bool) else ""
    )
    if not text.isascii() or not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise ValidationError({"year": _("考核年度应为 2000 至 2100 之间的年份（半角数字）。")})
    return int(text)


def _copy_scheme(cycle: Cycle, actor) -> str:
    """The previous cycle's scheme of the region, else the default one; returns where from."""
    previous = (
        Cycle.objects.filter(region=cycle.region, year__lt=cycle.year).order_by("-year").first()
    )
    if previous is not None and previous.indicators.exists():
        rows = [
            (i.code, i.name, i.category, i.max_points, i.figure, i.guidance, i.order)
            for i in previous.indicators.all()
        ]
        source = _("沿用 %(year)s 年度指标体系") % {"year": previous.year}
    else:
        rows = [(*row, index) for index, row in enumerate(DEFAULT_SCHEME, start=1)]
        source = _("采用默认指标体系")
    for code, name, category, points, figure, guidance, order in rows:
        indicator = Indicator(
            cycle=cycle,
            code=code,
            name=name,
            category=category,
            max_points=Decimal(points),
            figure=figure,
            guidance=guidance,
            order=order,
        )
        indicator.full_clean()
        indicator._history_user = actor
        indicator.save()
    return source


@transaction.atomic
def cycle_open(
    *,
    region: Region,
    year,
    actor,
    merged_with_rule_of_law: bool = False,
    excellent_from=None,
    qualified_from=None,
    objection_working_days=None,
    dual_vertical_weight=None,
) -> Cycle:
    """R19, R20: open the region's evaluation of `year`: its local choices fixed on the cycle
    (given, else the defaults of EVALUATION_DEFAULTS), the scheme copied from the region's last
    cycle (else the default scheme), the assignments and the internal units derived."""
    if not may_run(actor, region):
        raise PermissionDenied(_("只能为本人监督的区划开启评议考核。"))
    year = _year(year)
    Region.objects.select_for_update().get(pk=region.pk)  # two openings of one year queue here
    if Cycle.objects.filter(region=region, year=year).exists():
        raise ValidationError(
            {"year": _("%(region)s %(year)s 年度的评议考核已经开启，不能重复开启。")
             % {"region": region.name, "year": year}},
            code="duplicate",
        )  # fmt: skip
    choices = evaluation_defaults(region)
    given = {
        "excellent_from": excellent_from,
        "qualified_from": qualified_from,
        "objection_working_days": objection_working_days,
        "dual_vertical_weight": dual_vertical_weight,
    }
    choices |= {name: value for name, value in given.items() if value is not None}
    cycle = Cycle(
        region=region,
        year=year,
        opened_by=actor,
        merged_with_rule_of_law=bool(merged_with_rule_of_law),
        **choices,
    )
    if not cycle.qualified_from < cycle.excellent_from:
        raise ValidationError({"qualified_from": _("合格分数线应低于优秀分数线。")})
    cycle.full_clean()
    cycle._history_user = actor
    cycle.save()
    source = _copy_scheme(cycle, actor)
    _event(cycle, CycleEvent.Kind.OPENED, actor, note=source)
    _derive(cycle, actor)
    return cycle


# --- who evaluates whom (R19) -------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """One evaluation an agency should have in a cycle, or the reason it cannot."""

    agency: Agency
    role: str = ""
    evaluator: Agency | None = None
    weight: int = 0
    problem: str = ""


def _legal_offices(cycle: Cycle) -> dict[int, Agency]:
    """The legal office of the cycle's region and of the region above (lowest id if several)."""
    ids = [cycle.region_id] + ([cycle.region.parent_id] if cycle.region.parent_id else [])
    found = {}
    for office in Agency.objects.filter(region_id__in=ids, is_legal_office=True).order_by("-pk"):
        found[office.region_id] = office
    return found


def expected_assignments(cycle: Cycle, agencies=None) -> list[Expected]:
    """R19 as data: for each evaluated agency, its evaluators and weights, or the problem that
    keeps it from being evaluated (shown on the cycle's page, never silently skipped)."""
    offices = _legal_offices(cycle)
    here, above = offices.get(cycle.region_id), offices.get(cycle.region.parent_id)
    expected = []
    for agency in agencies if agencies is not None else candidate_agencies(cycle):
        local = above if agency.is_legal_office else here
        vertical_weight = {
            Agency.Management.LOCAL: 0,
            Agency.Management.VERTICAL: 100,
            Agency.Management.DUAL: cycle.dual_vertical_weight,
        }[agency.management]
        wanted = []
        if agency.management != Agency.Management.LOCAL:
            wanted.append((Assignment.Role.VERTICAL, agency.supervising_agency, vertical_weight))
        if agency.management != Agency.Management.VERTICAL:
            wanted.append((Assignment.Role.LOCAL, local, 100 - vertical_weight))
        for role, evaluator, weight in wanted:
            if weight == 0:
                continue
            if evaluator is None or evaluator.pk == agency.pk:
                expected.append(Expected(agency=agency, role=role, problem=_missing(agency, role)))
            else:
                expected.append(Expected(agency, role, evaluator, weight))
    return expected


def cycle_problems(cycle: Cycle) -> list[Expected]:
    """R19: what keeps the cycle's assignments from matching the agencies: an agency without an
    evaluator, or a scored assignment that its agency's management no longer calls for (kept for
    its scores, to be settled by hand)."""
    expected = expected_assignments(cycle)
    wanted = {(row.agency.pk, row.role) for row in expected if not row.problem}
    stale = [
        Expected(
            agency=assignment.agency,
            role=assignment.role,
            problem=_("管理体制已变化，该项评议（%(role)s）已有评分，未自动撤销，请核实处理。")
            % {"role": assignment.get_role_display()},
        )
        for assignment in cycle.assignments.select_related("agency")
        .filter(scores__isnull=False)
        .distinct()
        if (assignment.agency_id, assignment.role) not in wanted
    ]
    return [row for row in expected if row.problem] + stale


def _missing(agency: Agency, role: str) -> str:
    if role == Assignment.Role.VERTICAL:
        return _("未登记上级主管部门，无法确定上级评议单位。")
    if agency.is_legal_office:
        return _("上级区划未登记政府法制部门，无法评议本级政府法制部门。")
    return _("本区划未登记政府法制部门（司法行政部门），无法确定本级政府评议单位。")


def _derive_units(cycle: Cycle, agencies) -> int:
    existing = set(cycle.unit_evaluations.values_list("agency_id", "unit"))
    found = (
        PowerItem.objects.filter(agency__in=agencies)
        .exclude(status=PowerItem.Status.WITHDRAWN)
        .exclude(handling_unit="")
        .values_list("agency_id", "handling_unit")
        .distinct()
    )
    new = {(agency_id, unit.strip()) for agency_id, unit in found if unit.strip()} - existing
    UnitEvaluation.objects.bulk_create(
        [UnitEvaluation(cycle=cycle, agency_id=a, unit=u) for a, u in sorted(new)]
    )
    return len(new)


def _reconcile(cycle: Cycle, expected: list[Expected], actor) -> tuple[int, int, int]:
    """Brings the assignments in line with the agencies' management as it stands: missing ones
    added, weights (and the evaluator, while nothing is scored) corrected, those no longer due
    removed unless scored. A scored assignment keeps its evaluator: the scores are its."""
    wanted = {(row.agency.pk, row.role): row for row in expected if not row.problem}
    scored = Exists(Score.objects.filter(assignment=OuterRef("pk")))
    existing = {
        (a.agency_id, a.role): a
        for a in cycle.assignments.select_for_update().annotate(scored=scored)
    }
    added = changed = removed = 0
    for key, row in wanted.items():
        assignment = existing.get(key)
        if assignment is None:
            assignment = Assignment(cycle=cycle, agency=row.agency, role=row.role)
            added += 1
        elif assignment.weight == row.weight and (
            assignment.scored or assignment.evaluator_id == row.evaluator.pk
        ):
            continue
        else:
            changed += 1
        assignment.weight = row.weight
        if assignment.pk is None or not assignment.scored:
            assignment.evaluator = row.evaluator
        assignment.full_clean()
        assignment._history_user = actor
        assignment.save()
    for key, assignment in existing.items():
        if key not in wanted and not assignment.scored:
            assignment._history_user = actor
            assignment.delete()
            removed += 1
    return added, changed, removed


def _derive(cycle: Cycle, actor) -> list[Expected]:
    """Derives the assignments and units; what exists and its scores are kept."""
    agencies = list(candidate_agencies(cycle))
    expected = expected_assignments(cycle, agencies)
    added, changed, removed = _reconcile(cycle, expected, actor)
    units = _derive_units(cycle, agencies)
    problems = [row for row in expected if row.problem]
    note = _(
        "新增评议关系 %(added)s 条，调整 %(changed)s 条，撤销 %(removed)s 条；"
        "新增内设机构 %(units)s 个；待处理问题 %(problems)s 个。"
    ) % {
        "added": added,
        "changed": changed,
        "removed": removed,
        "units": units,
        "problems": len(problems),
    }
    _event(cycle, CycleEvent.Kind.ASSIGNMENTS_DERIVED, actor, note=note)
    return problems


@transaction.atomic
def assignments_derive(*, cycle: Cycle, actor) -> Cycle:
    """R19: derive (again) who evaluates whom and the departments' internal units. Idempotent:
    agencies and units registered since are added, the existing rows and their scores kept."""
    cycle_check_runner(cycle=cycle, actor=actor)
    cycle = Cycle.objects.select_for_update().select_related("region").get(pk=cycle.pk)
    _check_open(cycle)
    _derive(cycle, actor)
    return cycle


def may_give_local_opinion(actor, region: Region) -> bool:
    """The local government's voice in `region`: its legal office's staff, or a supervisor."""
    if may_run(actor, region):
        return True
    offices = Agency.objects.filter(region=region, is_legal_office=True)
    return any(can_act_for(actor, office) for office in offices)


def assignment_check_opinion(*, assignment: Assignment, actor) -> None:
    if not may_give_local_opinion(actor, assignment.agency.region):
        raise PermissionDenied(_("只有属地政府法制部门或监督人员可以录入属地政府意见。"))


@transaction.atomic
def assignment_record_local_opinion(*, assignment: Assignment, opinion: str, actor) -> Assignment:
    """R19: a vertically managed department is evaluated by the department above, hearing the
    local government: its opinion is recorded on the vertical assignment."""
    assignment_check_opinion(assignment=assignment, actor=actor)
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("cycle", "agency")
        .get(pk=assignment.pk)
    )
    _check_open(assignment.cycle)
    if assignment.role != Assignment.Role.VERTICAL:
        raise ValidationError(_("只有上级主管部门评议的评议关系需要录入属地政府意见。"))
    assignment.local_opinion = clean_text(
        opinion, label=_("属地政府意见"), max_length=2000, field="opinion"
    )
    refuse_control_chars(assignment.local_opinion, label=_("属地政府意见"))
    assignment.local_opinion_by = actor
    assignment.local_opinion_at = timezone.now()
    assignment.full_clean()
    assignment._history_user = actor
    assignment.save()
    _event(
        assignment.cycle,
        CycleEvent.Kind.LOCAL_OPINION,
        actor,
        agency=assignment.agency,
        note=assignment.local_opinion,
    )
    return assignment


# --- the indicator scheme (R20) -----------------------------------------------------------------


def _points(value) -> Decimal:
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, TypeError):
        points = None
    if points is None or not points.is_finite() or not Decimal("0") < points <= 100:
        raise ValidationError({"max_points": _("分值应大于 0 且不超过 100。")}, code="points")
    if points != points.quantize(Decimal("0.01")):
        raise ValidationError({"max_points": _("分值最多保留两位小数。")}, code="points")
    return points


@transaction.atomic
def indicator_save(
    *,
    cycle: Cycle,
    actor,
    code: str,
    name: str,
    category: str,
    max_points,
    figure: str = "",
    guidance: str = "",
    order: int = 0,
    indicator: Indicator | None = None,
) -> Indicator:
    """R20: add an indicator to an open cycle's scheme, or change one (`indicator`); every edit
    is a version (simple-history) and an event on the cycle's timeline."""
    cycle_check_runner(cycle=cycle, actor=actor)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _check_open(cycle)
    values = {
        "code": clean_text(code, label=_("编号"), max_length=20, field="code"),
        "name": clean_text(name, label=_("指标名称"), max_length=100, field="name"),
        "guidance": clean_text(
            guidance, label=_("评分标准"), max_length=2000, required=False, field="guidance"
        ),
        "max_points": _points(max_points),
        "category": category,
        "figure": figure or "",
        "order": order or 0,
    }
    refuse_control_chars(values["code"] + values["name"], label=_("编号和指标名称"), lines=False)
    refuse_control_chars(values["guidance"], label=_("评分标准"))
    if category not in Indicator.Category.values:
        raise ValidationError({"category": _("请选择指标类别。")})
    if values["figure"] not in Indicator.Figure.values:
        raise ValidationError({"figure": _("没有这个统计指标。")})
    same_code = cycle.indicators.filter(code=values["code"])
    if indicator is not None:
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk, cycle=cycle)
        same_code = same_code.exclude(pk=indicator.pk)
        scored = indicator.scores.filter(points__gt=values["max_points"]).exists()
        if scored:
            raise ValidationError(
                {"max_points": _("已有评分高于新的分值，不能把分值调低到已评分数以下。")}
            )
    else:
        indicator = Indicator(cycle=cycle)
    if same_code.exists():
        raise ValidationError({"code": _("本周期的指标体系中已有编号为该值的指标。")})
    for field, value in values.items():
        setattr(indicator, field, value)
    indicator.full_clean()
    indicator._history_user = actor
    adding = indicator.pk is None
    indicator.save()
    note = (_("新增指标 %(indicator)s") if adding else _("修改指标 %(indicator)s")) % {
        "indicator": indicator
    }
    _event(cycle, CycleEvent.Kind.SCHEME_CHANGED, actor, note=note)
    return indicator


@transaction.atomic
def indicator_remove(*, indicator: Indicator, actor) -> None:
    """R20: remove an indicator nobody has scored yet (the version stays in the history)."""
    cycle_check_runner(cycle=indicator.cycle, actor=actor)
    cycle = Cycle.objects.select_for_update().get(pk=indicator.cycle_id)
    _check_open(cycle)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if indicator.scores.exists():
        raise ValidationError(_("该指标已有评分，不能删除。"), code="scored")
    note = _("删除指标 %(indicator)s") % {"indicator": indicator}
    indicator._history_user = actor
    indicator.delete()
    _event(cycle, CycleEvent.Kind.SCHEME_CHANGED, actor, note=note)


# --- closing ------------------------------------------------------------------------------------


@transaction.atomic
def cycle_close(*, cycle: Cycle, actor) -> Cycle:
    """End the cycle: nothing of it changes afterwards."""
    cycle_check_runner(cycle=cycle, actor=actor)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status == Cycle.Status.CLOSED:
        raise ValidationError(_("该评议考核已经结束，不能重复结束。"), code="closed")
    cycle.status = Cycle.Status.CLOSED
    cycle.closed_at = timezone.now()
    cycle.full_clean()
    cycle._history_user = actor
    cycle.save()
    _event(cycle, CycleEvent.Kind.CLOSED, actor)
    return cycle
