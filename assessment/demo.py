"""The demo evaluation (评议考核, R19–R23) of 松江市: last year's cycle, run to its end and closed,
and this year's, open, with work left for the demo's journey.

Everything is written through `assessment.services`, as the pages would write it, by the
personas of `load_demo_data`: the city supervisor runs both cycles and scores the local
departments for 松江市司法局; the province supervisor scores 松江市司法局 itself; the staff of
the province's tax bureau and ecology department score the vertical evaluations of the city's
tax bureau (vertical) and ecology bureau (dual).

The years follow the clock: this year and the year before (2026 and 2025 when written), so that
the services' rules on dates (nothing in the future, the card's period is the current year,
a rectification is due after today) hold whenever the demo is loaded.

The two stories the demo tells:
- a department unqualified each year: last year 松江市城市管理行政执法局, its rectification
  closed with evidence; this year 松江市交通运输综合行政执法支队, its order open;
- an officer unqualified both years (R22): last year's criticism-education ordered and
  completed; this year's result final, so the repeat decision waits for the supervisor;
  meanwhile inspector_a's officer has objected to this year's result (R21), pending.

Loaded once: when the city has a cycle of either year, nothing is added.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.timezone import localdate

from enforcement.demo.cases import pdf, png
from enforcement.models import Agency, Officer, Region

from .models import (
    AgencyResult,
    Assignment,
    Cycle,
    Grade,
    Inspection,
    Measure,
    Objection,
    OfficerRecord,
    OfficerResult,
    PublicOpinion,
    RectificationOrder,
    RepeatDecision,
    ResultUse,
    UnitEvaluation,
)
from .services.consequences import measure_complete, measure_order, result_use_record
from .services.cycles import assignment_record_local_opinion, cycle_close, cycle_open
from .services.evidence import inspection_record
from .services.figures import figures_compute
from .services.objections import objection_file
from .services.officers import (
    officer_record_add,
    officer_results_compute,
    officer_results_finalise,
    officer_results_publish,
)
from .services.opinions import (
    card_token_make,
    device_new,
    opinion_card_submit,
    opinion_enter,
    opinion_moderate,
)
from .services.rectification import rectification_close, rectification_order
from .services.results import award_quotas_allocate, results_compute, results_disclose
from .services.scoring import score_save
from .services.units import unit_evaluate

CITY = "990100"
VERTICAL = "sw-990100"  # 国家税务总局松江市税务局, evaluated by the province's tax bureau
UNQUALIFIED = {"previous": "cg-990100", "current": "jt-990100"}
# This year the scoring page keeps work: these departments' evaluations are not scored yet.
UNSCORED = ("gjj-990100", "bb-990100")
# The share of each indicator's points a department earns (R20); any other, USUAL_SHARE.
SHARE = {
    "previous": {"scj-990100": "0.95", "sth-990100": "0.93", "cg-990100": "0.52"},
    "current": {"scj-990100": "0.94", "sw-990100": "0.91", "jt-990100": "0.48"},
}
USUAL_SHARE = "0.85"
# R22: an officer of the transport enforcement detachment fails both years' tests.
TWICE_UNQUALIFIED = "jt-990100"
LOCAL_OPINION = (
    "该局在本市开展税务执法总体规范，能够配合市政府开展联合检查；"
    "个别窗口存在办税指引不清、群众排队时间较长的问题，建议在评议中予以关注。"
)


@dataclass(frozen=True)
class Personas:
    supervisor: object  # city_supervisor: runs the cycles, scores for 松江市司法局
    province_supervisor: object  # scores 松江市司法局 for the province's 司法厅
    staff: object  # inspector_a: the officer who objects
    legal_office: object  # legal_office_a: evaluates its department's internal units
    vertical: dict  # agency key of the department above -> a user of its staff


def load_evaluation(*, agencies: dict[str, Agency], personas: Personas) -> bool:
    """Both cycles of 松江市 with their stories; returns False (and adds nothing) when the city
    already has a cycle of either year."""
    city = Region.objects.get(code=CITY)
    today = localdate()
    years = {"previous": today.year - 1, "current": today.year}
    if Cycle.objects.filter(region=city, year__in=years.values()).exists():
        return False
    inspector_officer = _link_inspector(personas.staff, agencies["scj-990100"])
    twice = _officers_of(agencies[TWICE_UNQUALIFIED])[-1]
    scorers = {
        agencies["sfj-990100"].pk: personas.supervisor,
        agencies["sft-990000"].pk: personas.province_supervisor,
        **{agencies[key].pk: user for key, user in personas.vertical.items()},
    }

    _previous_year(years["previous"], city, agencies, personas, scorers, twice, today)
    _current_year(
        years["current"], city, agencies, personas, scorers, twice, inspector_officer, today
    )
    return True


# --- the two years ------------------------------------------------------------------------------


def _previous_year(year, city, agencies, personas, scorers, twice, today) -> Cycle:
    """Run to its end: scored, results disclosed to the public and the awards shared out, the
    unqualified department's rectification closed with evidence, the officers' results final
    with a criticism-education completed and a result's use recorded, then closed."""
    boss = personas.supervisor
    cycle = cycle_open(region=city, year=year, actor=boss, merged_with_rule_of_law=True)
    _local_opinion(cycle, agencies[VERTICAL], boss)
    weak = agencies[UNQUALIFIED["previous"]]
    visit = inspection_record(
        cycle=cycle,
        agency=weak,
        kind=Inspection.Kind.UNANNOUNCED,
        held_on=_on(year, 6, 18, today),
        place="松江市人民大街占道经营整治现场",
        inspectors="市司法局行政执法监督科 王建国、李海燕",
        findings="执法人员未按规定佩戴执法证件，现场处置未全程记录；对同类占道经营选择性处理。",
        photos=[SimpleUploadedFile("暗访现场.png", png(11), content_type="image/png")],
        actor=boss,
    )
    _staff_opinions(year, agencies, boss)
    figures_compute(cycle=cycle, actor=boss)
    _units(cycle, agencies["scj-990100"], personas.legal_office, every=True)
    shares = {agencies[key].pk: share for key, share in SHARE["previous"].items()}
    _score_all(cycle, scorers, shares, inspections={weak.pk: [visit]})
    results_compute(cycle=cycle, actor=boss)
    results_disclose(cycle=cycle, scope=AgencyResult.Disclosure.PUBLIC, actor=boss)
    award_quotas_allocate(cycle=cycle, rule_of_law=1, enforcement=2, actor=boss)
    order = rectification_order(
        result=cycle.results.get(agency=weak),
        requirements="一、全员重新学习执法证件管理规定；二、配齐执法记录仪并全过程记录；"
        "三、整改情况书面报告市司法局。",
        due=today + timedelta(days=30),
        actor=boss,
    )
    rectification_close(
        order=order,
        note="已组织全员培训两次，配备执法记录仪 40 台，建立占道经营统一处置台账。",
        file=SimpleUploadedFile("整改情况报告.pdf", pdf("rectification"), "application/pdf"),
        actor=boss,
    )

    _officer_records(year, cycle, twice, boss, today)
    officer_results_compute(cycle=cycle, actor=boss)
    due = officer_results_publish(cycle=cycle, actor=boss)
    officer_results_finalise(today=due + timedelta(days=1))
    failed = cycle.officer_results.get(officer=twice)
    measure = measure_order(
        result=failed,
        kind=Measure.Kind.CRITICISM,
        note="由所在单位主要负责人进行诫勉谈话，并参加全市执法规范化专题学习。",
        actor=boss,
    )
    measure_complete(
        measure=measure,
        completed_on=today,
        note="已完成诫勉谈话和专题学习，本人提交书面检查。",
        actor=boss,
    )
    best = cycle.officer_results.order_by("-total", "officer__certificate_number").first()
    result_use_record(
        result=best,
        kind=ResultUse.Kind.TRAINING,
        note="年度考核得分居全市前列，推荐参加全省行政执法骨干培训。",
        actor=boss,
    )
    return cycle_close(cycle=cycle, actor=boss)


def _current_year(year, city, agencies, personas, scorers, twice, objector, today) -> Cycle:
    """Open, with work left: two departments unscored, the unqualified department's order open,
    a comment awaiting moderation, inspector_a's objection pending and the repeat decision of
    the officer unqualified twice waiting for the supervisor."""
    boss = personas.supervisor
    cycle = cycle_open(region=city, year=year, actor=boss)
    _local_opinion(cycle, agencies[VERTICAL], boss)
    weak = agencies[UNQUALIFIED["current"]]
    visit = inspection_record(
        cycle=cycle,
        agency=weak,
        kind=Inspection.Kind.UNANNOUNCED,
        held_on=_on(year, 9, 12, today),
        place="松江市绕城公路货运检查站",
        inspectors="市司法局行政执法监督科 张志强、刘丽娟",
        findings="夜间无人值守，群众举报渣土车抛洒未到场处理；执法文书填写不全。",
        photos=[SimpleUploadedFile("检查站夜间.png", png(21), content_type="image/png")],
        actor=boss,
    )
    special = inspection_record(
        cycle=cycle,
        agency=agencies["scj-990100"],
        kind=Inspection.Kind.SPECIAL,
        held_on=_on(year, 5, 20, today),
        place="松江市市场监督管理局执法科",
        inspectors="市司法局行政执法监督科 王建国，市场监管领域特邀监督员 2 名",
        findings="抽查行政处罚案卷 20 件，程序规范；1 件送达回证缺少签收日期，已当场指出。",
        actor=boss,
    )
    _staff_opinions(year, agencies, boss)
    _cards(agencies["scj-990100"], boss)
    figures_compute(cycle=cycle, actor=boss)
    _units(cycle, agencies["scj-990100"], personas.legal_office, every=False)
    skipped = {agencies[key].pk for key in UNSCORED}
    inspections = {weak.pk: [visit], agencies["scj-990100"].pk: [special]}
    shares = {agencies[key].pk: share for key, share in SHARE["current"].items()}
    _score_all(cycle, scorers, shares, inspections=inspections, skipped=skipped)
    results_compute(cycle=cycle, actor=boss)
    rectification_order(
        result=cycle.results.get(agency=weak),
        requirements="一、建立夜间巡查值守制度；二、对群众举报逐件核查并反馈；"
        "三、整改期限届满前书面报告整改情况。",
        due=today + timedelta(days=45),
        actor=boss,
    )

    _officer_records(year, cycle, twice, boss, today)
    officer_results_compute(cycle=cycle, actor=boss)
    due = officer_results_publish(cycle=cycle, actor=boss)
    objection_file(
        result=cycle.officer_results.get(officer=objector),
        reason="本人全年办理的案件已经案卷评查，但日常考核得分未体现表彰记录，请求复核。",
        actor=personas.staff,
    )
    # The officers without an objection become final as their period ends; the objector's
    # result waits for the decision (the service keeps it open).
    officer_results_finalise(today=due + timedelta(days=1))
    return cycle


# --- the steps ----------------------------------------------------------------------------------


def _on(year: int, month: int, day: int, today: date) -> date:
    """That day of the cycle's year, or today if it is still to come."""
    return min(date(year, month, day), today)


def _officers_of(agency: Agency) -> list[Officer]:
    return list(agency.officers.order_by("certificate_number"))


def _link_inspector(user, agency: Agency) -> Officer:
    """R21: an objection is the officer's own: inspector_a's login is the market regulator's
    first officer's. Enforcement has no service for the link; the registry keeps its history."""
    officer = _officers_of(agency)[0]
    if officer.user_id != user.pk:
        officer.user = user
        officer.full_clean()
        officer.save(update_fields=["user"])
    return officer


def _local_opinion(cycle: Cycle, agency: Agency, actor) -> None:
    """R19: the vertically managed department is evaluated above, hearing the local government."""
    assignment = cycle.assignments.get(agency=agency, role=Assignment.Role.VERTICAL)
    assignment_record_local_opinion(assignment=assignment, opinion=LOCAL_OPINION, actor=actor)


def _staff_opinions(year: int, agencies, actor) -> None:
    """R20: what the hotline and a symposium heard; the hotline's comment, moderated, counts."""
    hotline = opinion_enter(
        agency=agencies["cg-990100"],
        period=year,
        source=PublicOpinion.Source.HOTLINE,
        lawful=3,
        civil=2,
        efficient=3,
        comment="清理占道经营时态度生硬，希望文明执法。",
        source_note=f"12345 热线工单 {year}-0412",
        actor=actor,
    )
    opinion_enter(
        agency=agencies["scj-990100"],
        period=year,
        source=PublicOpinion.Source.SYMPOSIUM,
        lawful=5,
        civil=4,
        efficient=4,
        source_note=f"{year}年6月 个体工商户座谈会（市司法局三楼会议室）",
        actor=actor,
    )
    opinion_moderate(opinion=hotline, approve=True, actor=actor)


def _cards(agency: Agency, moderator) -> None:
    """R20: evaluation cards from the public, each from its own device with a one-time token;
    of the three comments one is approved, one rejected and one left for the moderation queue
    (the only comment of the city waiting there)."""
    cards = [
        (5, 5, 4, ""),
        (4, 4, 5, "执法人员出示证件，讲解政策耐心细致。"),
        (1, 1, 1, "低价代办各类证照，联系微信 demo-ad-0001"),
        (4, 3, 3, "办事窗口午休时间无人值守，建议错时服务。"),
    ]
    opinions = []
    for lawful, civil, efficient, comment in cards:
        device = device_new()
        opinions.append(
            opinion_card_submit(
                agency=agency,
                token=card_token_make(device_id=device, agency=agency),
                device_id=device,
                lawful=lawful,
                civil=civil,
                efficient=efficient,
                comment=comment,
            )
        )
    opinion_moderate(opinion=opinions[1], approve=True, actor=moderator)
    opinion_moderate(opinion=opinions[2], approve=False, actor=moderator)


def _units(cycle: Cycle, agency: Agency, actor, *, every: bool) -> None:
    """R19: the department evaluates its internal units (this year one is left to do)."""
    units = list(cycle.unit_evaluations.filter(agency=agency).order_by("unit"))
    for n, unit in enumerate(units if every else units[:1]):
        unit_evaluate(
            unit_evaluation=unit,
            points=("92", "86.5")[n % 2],
            comment="案卷规范，按时完成清单调整。" if n % 2 == 0 else "法制审核及时，培训到位。",
            actor=actor,
        )


def _score_all(cycle, scorers, shares, *, inspections, skipped=frozenset()) -> None:
    """R20: each evaluator scores every indicator of its assignments; the inspections are cited
    where the indicator rests on them."""
    indicators = list(cycle.indicators.order_by("order", "code"))
    assignments = cycle.assignments.select_related("agency", "evaluator").order_by("agency__name")
    for assignment in assignments:
        if assignment.agency_id in skipped:
            continue
        share = Decimal(shares.get(assignment.agency_id, USUAL_SHARE))
        for indicator in indicators:
            cited = []
            if indicator.figure == indicator.Figure.INSPECTIONS:
                cited = inspections.get(assignment.agency_id, [])
            score_save(
                assignment=assignment,
                indicator=indicator,
                points=(indicator.max_points * share).quantize(Decimal("0.01"), ROUND_DOWN),
                evidence=_evidence(indicator, cited),
                inspections=cited,
                actor=scorers[assignment.evaluator_id],
            )


def _evidence(indicator, cited) -> str:
    if cited:
        return "依据本年度专项检查和暗访记录：" + "；".join(i.findings for i in cited)
    if indicator.figure:
        return f"依据平台统计的{indicator.get_figure_display()}，对照评分标准评定。"
    return "依据被评议单位自查报告和年度检查情况，对照评分标准评定。"


def _officer_records(year: int, cycle: Cycle, twice: Officer, actor, today) -> None:
    """R21: every evaluated officer sat both tests; a few were commended; the officer
    unqualified both years failed them (the score is composed, never typed)."""
    officers = Officer.objects.filter(
        agency__in=Agency.objects.filter(evaluation_assignments__cycle=cycle)
    ).distinct()
    for n, officer in enumerate(officers.order_by("certificate_number")):
        if officer.pk == twice.pk:
            tests = (Decimal("35"), Decimal("12"))
        else:
            tests = (Decimal(78 + (n * 7) % 20), Decimal(80 + (n * 5) % 18))
        for kind, score, month in (
            (OfficerRecord.Kind.LEGAL_TEST, tests[0], 4),
            (OfficerRecord.Kind.CONFORMITY_TEST, tests[1], 10),
        ):
            officer_record_add(
                officer=officer,
                year=year,
                kind=kind,
                score=score,
                occurred_on=_on(year, month, 15, today),
                note="全市行政执法人员统一测试",
                actor=actor,
            )
        if n % 5 == 0 and officer.pk != twice.pk:
            officer_record_add(
                officer=officer,
                year=year,
                kind=OfficerRecord.Kind.COMMENDATION,
                score=None,
                occurred_on=_on(year, 7, 1, today),
                note="市政府通报表扬（优化营商环境专项行动）",
                actor=actor,
            )


# --- what was loaded, for the command's summary -------------------------------------------------


def summary_lines() -> list[str]:
    """The city's cycles as the command prints them (read back, so the second run prints the
    same)."""
    lines = []
    cycles = Cycle.objects.filter(region__code=CITY).order_by("year")
    for cycle in cycles:
        kinds = _assignment_kinds(cycle)
        results = cycle.results.all()
        unscored = cycle.assignments.filter(scores=None).count()
        lines.append(
            f"  {cycle.year} {cycle.get_status_display()}: 评议关系 {cycle.assignments.count()} 条"
            f"（本级 {kinds['local']}、垂直 {kinds['vertical']}、双重 {kinds['dual']} 个单位），"
            f"未评分 {unscored} 条；单位结果 {results.count()} 个，"
            f"不合格 {results.filter(grade=Grade.UNQUALIFIED).count()} 个，"
            f"向社会公开 {results.filter(disclosure=AgencyResult.Disclosure.PUBLIC).count()} 个；"
            f"执法人员结果 {cycle.officer_results.count()} 个"
        )
    if not lines:
        return lines
    pending = {
        "整改中": RectificationOrder.objects.filter(
            result__cycle__in=cycles, status=RectificationOrder.Status.OPEN
        ).count(),
        "待处理异议": Objection.objects.filter(
            result__cycle__in=cycles, status=Objection.Status.PENDING
        ).count(),
        "连续两年不合格待决定": RepeatDecision.objects.filter(
            result__cycle__in=cycles, outcome=""
        ).count(),
        "待审核评议留言": PublicOpinion.objects.filter(
            agency__region__code=CITY, moderation=PublicOpinion.Moderation.PENDING
        ).count(),
        "内设机构待考核": UnitEvaluation.objects.filter(
            cycle__in=cycles.filter(status=Cycle.Status.OPEN), points=None
        ).count(),
    }
    lines.append("  待办：" + "，".join(f"{k} {v}" for k, v in pending.items()))
    objector = OfficerResult.objects.filter(
        cycle__in=cycles, objection__status=Objection.Status.PENDING
    ).select_related("officer__user")
    for result in objector:
        user = result.officer.user
        lines.append(f"  {result.officer} 的异议（登录 {user.username if user else '-'}）待处理")
    return lines


def _assignment_kinds(cycle: Cycle) -> dict[str, int]:
    """How many evaluated agencies are local, vertical or dual, by their assignments' roles."""
    roles: dict[int, set] = {}
    for agency, role in cycle.assignments.values_list("agency_id", "role"):
        roles.setdefault(agency, set()).add(role)
    kinds = {"local": 0, "vertical": 0, "dual": 0}
    for found in roles.values():
        if found == {Assignment.Role.LOCAL}:
            kinds["local"] += 1
        elif found == {Assignment.Role.VERTICAL}:
            kinds["vertical"] += 1
        else:
            kinds["dual"] += 1
    return kinds
