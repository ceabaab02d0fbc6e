"""R21, R22: officers' evaluation records, the yearly results computed from the records, their
publication with the objection period, and the job that makes them final.

The score formula is a local choice, not the policy's (§ 六(二) names the parts of the everyday
and special evaluation, not their points): `ASSESSMENT_OFFICER_FORMULA` in the settings overrides
any of `FORMULA_DEFAULTS`; a malformed value stops the computation loudly (ImproperlyConfigured).

    everyday = base − complaint_penalty × substantiated complaints
                    + min(commendation_bonus × commendations, commendation_cap)
                    + min(training_bonus × training sessions attended, training_cap)
                    − sanction_penalty × accountability sanctions counting in the year
                                                                                 (kept in 0–100)
        base = the average case-file review total of the cases the officer handled and that
               were closed in the year; `base_without_reviews` where none was reviewed
    special  = the average of the two tests (each the average of the year's sittings); a test
               not sat counts `missing_test_score`
    total    = everyday × everyday_weight % + special × (100 − everyday_weight) %

The training sessions (R32) and the accountability sanctions (R24) are accountability's records,
and accountability imports assessment, not the reverse: it registers their grouped reads with
`register_officer_figures` when it starts (`accountability/apps.py`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import StrIndex, TruncDate
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Complaint, Result
from enforcement.models import Agency, CaseOfficer, Officer
from portal.roles import Role, role_of
from portal.scoping import can_act_for, can_supervise
from portal.text import clean_text
from workdays.deadlines import add_working_days

from ..models import (
    Cycle,
    CycleEvent,
    Grade,
    Objection,
    OfficerRecord,
    OfficerResult,
    RepeatDecision,
)
from .coverage import evaluated_agencies, year_bounds

FORMULA_DEFAULTS = {
    "everyday_weight": 60,
    "base_without_reviews": 80,
    "complaint_penalty": 10,
    "commendation_bonus": 5,
    "commendation_cap": 10,
    "missing_test_score": 0,
    "training_bonus": 2,
    "training_cap": 6,
    "sanction_penalty": 10,
}
# The figures other apps contribute: name → reads(ids, year), a queryset grouped by officer whose
# rows hold "officer_id" and the figure under `name` (one GROUP BY query for a batch of officers).
OFFICER_FIGURE_READS: dict[str, Callable] = {}
BATCH = 500
# The reads go by bigger batches: each one hashes the year's cases once (a third of two million
# at the province's size, about a second), so the batches' number, not their size, sets the time.
# The figures of a read batch are a few small dicts per officer: memory stays bounded.
READ_BATCH = 10_000
# R21: the objection period ends at midnight in China, wherever the server's clock is set.
SHANGHAI = ZoneInfo("Asia/Shanghai")
TWO = Decimal("0.01")
HUNDRED = Decimal(100)


# --- who may ------------------------------------------------------------------------------------


def supervises_cycle(user, cycle: Cycle) -> bool:
    """A supervisor of the cycle's region (or above it), or an administrator."""
    role = role_of(user)
    if role == Role.SYSADMIN:
        return True
    return (
        role == Role.SUPERVISOR
        and bool(user.region_id)
        and cycle.region.path.startswith(user.region.path)
    )


def keeps_records_for(user, agency: Agency) -> bool:
    """The officer's agency (staff or legal office acting for it) or a supervisor in scope."""
    return can_act_for(user, agency) or can_supervise(user, agency)


def region_prefixes(path: str) -> list[str]:
    """The paths of a region and of every region above it ("22/", "22/2201/" …)."""
    parts = [part for part in path.split("/") if part]
    return ["".join(f"{part}/" for part in parts[: i + 1]) for i in range(len(parts))]


def open_cycle_for(agency: Agency, year: int) -> Cycle | None:
    """The open cycle of that year of the agency's region or of a region above it, nearest
    first."""
    return (
        Cycle.objects.filter(
            status=Cycle.Status.OPEN,
            year=year,
            region__path__in=region_prefixes(agency.region.path),
        )
        .order_by("-region__path")
        .first()
    )


def _keep_versions(rows, actor) -> None:
    """simple-history's versions of rows changed by one UPDATE, a batch at a time (an UPDATE
    bypasses the per-row save that would keep them)."""
    batch = []
    for row in rows.order_by("pk").iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            OfficerResult.history.bulk_history_create(batch, default_user=actor)
            batch = []
    if batch:
        OfficerResult.history.bulk_history_create(batch, default_user=actor)


def _event(cycle, kind, actor, agency=None, note=""):
    CycleEvent.objects.create(cycle=cycle, kind=kind, actor=actor, agency=agency, note=note)


# --- records (R21) ------------------------------------------------------------------------------


def _score(value, kind: str) -> Decimal | None:
    if kind == OfficerRecord.Kind.COMMENDATION:
        if value not in (None, ""):
            raise ValidationError({"score": _("表彰奖励不填写测试成绩。")})
        return None
    if value in (None, ""):
        raise ValidationError({"score": _("测试须填写成绩（0 至 100 分）。")})
    if isinstance(value, bool | float):
        value = str(value)
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        score = None
    if score is None or not score.is_finite() or not Decimal(0) <= score <= HUNDRED:
        raise ValidationError({"score": _("测试成绩应为 0 至 100 之间的数字。")})
    if score != score.quantize(TWO):
        raise ValidationError({"score": _("测试成绩最多保留两位小数。")})
    return score


@transaction.atomic
def officer_record_add(
    *, officer: Officer, year: int, kind: str, score, occurred_on: date, note: str, actor
) -> OfficerRecord:
    """R21: a commendation, or a legal-literacy or conformity test score (0–100), entered by
    the officer's agency or a supervisor in scope; never by the officer about themself."""
    officer = Officer.objects.select_related("agency__region").get(pk=officer.pk)
    if not keeps_records_for(actor, officer.agency) or officer.user_id == actor.pk:
        raise PermissionDenied(_("只有执法人员所在单位或本辖区监督人员可以录入考核记录。"))
    if kind not in OfficerRecord.Kind.values:
        raise ValidationError({"kind": _("没有这种考核记录类型。")})
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年度应为 2000 至 2100 之间的年份。")})
    if not isinstance(occurred_on, date) or isinstance(occurred_on, datetime):
        raise ValidationError({"occurred_on": _("请填写日期（YYYY-MM-DD）。")})
    if occurred_on.year != year:
        raise ValidationError({"occurred_on": _("日期应在考核年度之内。")})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("日期不能晚于今天。")})
    record = OfficerRecord(
        officer=officer,
        year=year,
        kind=kind,
        score=_score(score, kind),
        occurred_on=occurred_on,
        note=clean_text(note, label=_("说明"), max_length=200, field="note"),
        recorded_by=actor,
    )
    record.full_clean()
    record.save()
    cycle = open_cycle_for(officer.agency, year)
    if cycle is not None:
        _event(
            cycle,
            CycleEvent.Kind.OFFICER_RECORD,
            actor,
            officer.agency,
            f"{officer} {record.get_kind_display()}"
            + (f" {record.score}" if record.score is not None else ""),
        )
    return record


# --- the formula (a local choice) ----------------------------------------------------------------


@dataclass(frozen=True)
class Formula:
    everyday_weight: Decimal
    base_without_reviews: Decimal
    complaint_penalty: Decimal
    commendation_bonus: Decimal
    commendation_cap: Decimal
    missing_test_score: Decimal
    training_bonus: Decimal
    training_cap: Decimal
    sanction_penalty: Decimal


def officer_formula() -> Formula:
    """The formula in force: the defaults overridden by ASSESSMENT_OFFICER_FORMULA."""
    configured = getattr(settings, "ASSESSMENT_OFFICER_FORMULA", None) or {}
    if not isinstance(configured, dict):
        raise ImproperlyConfigured("ASSESSMENT_OFFICER_FORMULA must be a mapping.")
    unknown = set(configured) - set(FORMULA_DEFAULTS)
    if unknown:
        raise ImproperlyConfigured(f"ASSESSMENT_OFFICER_FORMULA: unknown keys {sorted(unknown)}.")
    values = {}
    for key, default in FORMULA_DEFAULTS.items():
        raw = configured.get(key, default)
        try:
            value = Decimal(str(raw)) if not isinstance(raw, bool) else None
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or not Decimal(0) <= value <= HUNDRED:
            raise ImproperlyConfigured(
                f"ASSESSMENT_OFFICER_FORMULA[{key!r}] must be a number from 0 to 100, not {raw!r}."
            )
        values[key] = value
    return Formula(**values)


def check_officer_formula(app_configs=None, **kwargs):
    """System check: a malformed ASSESSMENT_OFFICER_FORMULA stops the start, not a computation
    months later."""
    from django.core.checks import Error

    try:
        officer_formula()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="assessment.E001")]
    return []


def _clamp(value: Decimal) -> Decimal:
    return min(max(value, Decimal(0)), HUNDRED).quantize(TWO, ROUND_HALF_UP)


def officer_scores(
    formula: Formula,
    *,
    case_review_average,
    complaints_substantiated: int,
    commendations: int,
    legal_test,
    conformity_test,
    trainings_attended: int = 0,
    sanctions: int = 0,
) -> tuple[Decimal, Decimal, Decimal]:
    """(everyday, special, total) under `formula`; one rule for the computation and the page
    that explains it."""
    base = (
        Decimal(case_review_average)
        if case_review_average is not None
        else formula.base_without_reviews
    )
    bonus = min(formula.commendation_bonus * commendations, formula.commendation_cap)
    training = min(formula.training_bonus * trainings_attended, formula.training_cap)
    penalty = formula.complaint_penalty * complaints_substantiated
    penalty += formula.sanction_penalty * sanctions
    everyday = _clamp(base - penalty + bonus + training)
    tests = [
        Decimal(t) if t is not None else formula.missing_test_score
        for t in (legal_test, conformity_test)
    ]
    special = _clamp(sum(tests) / 2)
    weight = formula.everyday_weight / HUNDRED
    total = _clamp(everyday * weight + special * (1 - weight))
    return everyday, special, total


# --- computing (R21) -----------------------------------------------------------------------------


def _rounded(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(TWO, ROUND_HALF_UP)


class _Count(Func):
    function = "COUNT"
    template = "%(function)s(*)"
    output_field = IntegerField()


def register_officer_figures(name: str, reads: Callable) -> None:
    """Add a figure another app keeps (see OFFICER_FIGURE_READS); registering again replaces."""
    OFFICER_FIGURE_READS[name] = reads


def officer_batch_queries(ids: list[int], year: int) -> dict:
    """The GROUP BY reads over a batch of officers, each giving rows keyed by officer id:
    cases and their review average, substantiated complaints naming them, commendations and
    tests, and the registered figures (training sessions attended, sanctions). Exposed so that
    the bench and the index test can EXPLAIN each one."""
    _first, _last, start, end = year_bounds(year)
    # Complaints name the officer in free text: by certificate number anywhere in it, or by
    # the exact name within the complaint's agency. A correlated count: one query, in SQL, over
    # the year's substantiated complaints that name someone (a partial index finds them).
    # strpos, not LIKE: a LIKE pattern escapes the number three times for every pair compared.
    named = Complaint.objects.filter(
        Q(GreaterThan(StrIndex("officer", OuterRef("certificate_number")), 0))
        | Q(officer=OuterRef("name"), agency_id=OuterRef("agency_id")),
        result=Result.SUBSTANTIATED,
        closed_at__gte=start,
        closed_at__lt=end,
    ).exclude(officer="")
    return {
        "cases": CaseOfficer.objects.filter(
            officer_id__in=ids, case__closed_at__gte=start, case__closed_at__lt=end
        )
        .values("officer_id")
        .annotate(cases=Count("case_id", distinct=True), review=Avg("case__file_reviews__total"))
        .order_by(),
        "complaints": Officer.objects.filter(pk__in=ids)
        .annotate(complaints=Subquery(named.order_by().annotate(n=_Count()).values("n")[:1]))
        .values("pk", "complaints")
        .order_by(),
        "records": OfficerRecord.objects.filter(officer_id__in=ids, year=year)
        .values("officer_id")
        .annotate(
            commendations=Count("pk", filter=Q(kind=OfficerRecord.Kind.COMMENDATION)),
            legal=Avg("score", filter=Q(kind=OfficerRecord.Kind.LEGAL_TEST)),
            conformity=Avg("score", filter=Q(kind=OfficerRecord.Kind.CONFORMITY_TEST)),
        )
        .order_by(),
    } | {name: reads(ids, year) for name, reads in OFFICER_FIGURE_READS.items()}


def _figures(ids: list[int], year: int) -> dict[int, dict]:
    figures = {pk: {} for pk in ids}
    for name, rows in officer_batch_queries(ids, year).items():
        for row in rows:
            if name == "complaints":
                figures[row["pk"]]["complaints"] = row["complaints"] or 0
            else:
                figures[row.pop("officer_id")] |= row
    return figures


def _results(cycle, batch, figures, formula, now) -> list[OfficerResult]:
    results = []
    for pk, agency_id in batch:
        f = figures[pk]
        parts = {
            "case_review_average": _rounded(f.get("review")),
            "complaints_substantiated": f.get("complaints", 0),
            "commendations": f.get("commendations", 0),
            "legal_test": _rounded(f.get("legal")),
            "conformity_test": _rounded(f.get("conformity")),
            "trainings_attended": f.get("trainings") or 0,
            "sanctions": f.get("sanctions") or 0,
        }
        everyday, special, total = officer_scores(formula, **parts)
        results.append(
            OfficerResult(
                cycle=cycle,
                officer_id=pk,
                agency_id=agency_id,
                cases_handled=f.get("cases", 0),
                everyday_score=everyday,
                special_score=special,
                total=total,
                grade=cycle.grade_for(total),
                computed_at=now,
                **parts,
            )
        )
    return results


UPSERTED = [
    "agency",
    "cases_handled",
    "case_review_average",
    "complaints_substantiated",
    "commendations",
    "legal_test",
    "conformity_test",
    "trainings_attended",
    "sanctions",
    "everyday_score",
    "special_score",
    "total",
    "grade",
    "computed_at",
]


@transaction.atomic
def officer_results_compute(*, cycle: Cycle, actor) -> int:
    """R21: every evaluated officer's yearly result from the records, set-based: per batch of
    officers three GROUP BY reads, then an upsert a batch of BATCH. Refused once the results are
    published. Returns how many results were computed."""
    cycle = Cycle.objects.select_for_update(of=("self",)).select_related("region").get(pk=cycle.pk)
    if not supervises_cycle(actor, cycle):
        raise PermissionDenied(_("只有本辖区政府法制监督人员可以计算执法人员考核结果。"))
    if cycle.status != Cycle.Status.OPEN:
        raise ValidationError(_("考核周期已结束，不能再计算。"))
    if cycle.officer_results.filter(published_at__isnull=False).exists():
        raise ValidationError(_("执法人员考核结果已经公布，不能重新计算。"))
    formula = officer_formula()
    now = timezone.now()
    officers = (
        Officer.objects.filter(agency__in=evaluated_agencies(cycle))
        .order_by("pk")
        .values_list("pk", "agency_id")
    )
    count, last = 0, 0
    while True:
        batch = list(officers.filter(pk__gt=last)[:READ_BATCH])
        if not batch:
            break
        last = batch[-1][0]
        figures = _figures([pk for pk, _agency in batch], cycle.year)
        for i in range(0, len(batch), BATCH):
            results = _results(cycle, batch[i : i + BATCH], figures, formula, now)
            OfficerResult.objects.bulk_create(
                results,
                update_conflicts=True,
                unique_fields=["cycle", "officer"],
                update_fields=UPSERTED,
            )
            if all(result.pk for result in results):
                OfficerResult.history.bulk_history_create(results, default_user=actor)
            count += len(results)
    # Officers who left the evaluated agencies since an earlier computation.
    cycle.officer_results.filter(computed_at__lt=now).delete()
    _event(
        cycle,
        CycleEvent.Kind.OFFICER_RESULTS_COMPUTED,
        actor,
        note=_("计算 %(count)s 名执法人员的考核结果。") % {"count": count},
    )
    return count


# --- publishing and the objection period (R21) --------------------------------------------------


def objection_due_after(published_on: date, working_days: int) -> date:
    """The last day of the objection period: N working days after publication (the day of
    publication not counted; holidays and 调休 working days as the schedule says)."""
    return add_working_days(start=published_on, days=working_days).deadline


@transaction.atomic
def officer_results_publish(*, cycle: Cycle, actor) -> date:
    """R21: the results are told to the officers; each may object until the end of the Nth
    working day after publication (Asia/Shanghai). Returns that day."""
    cycle = Cycle.objects.select_for_update(of=("self",)).select_related("region").get(pk=cycle.pk)
    if not supervises_cycle(actor, cycle):
        raise PermissionDenied(_("只有本辖区政府法制监督人员可以公布执法人员考核结果。"))
    pending = cycle.officer_results.filter(published_at__isnull=True)
    if not pending.exists():
        if cycle.officer_results.exists():
            raise ValidationError(_("执法人员考核结果已经公布。"))
        raise ValidationError(_("尚未计算执法人员考核结果，不能公布。"))
    now = timezone.now()
    due = objection_due_after(timezone.localdate(now, SHANGHAI), cycle.objection_working_days)
    count = pending.update(published_at=now, objection_due=due)
    _keep_versions(cycle.officer_results.filter(published_at=now), actor)
    _event(
        cycle,
        CycleEvent.Kind.OFFICER_RESULTS_PUBLISHED,
        actor,
        note=_("公布 %(count)s 名执法人员的考核结果，异议截止 %(due)s。")
        % {"count": count, "due": due.isoformat()},
    )
    return due


def objection_dues_recompute(year: int) -> int:
    """The workdays hook: once `year`'s holiday schedule is loaded, amended or removed, the
    objection period of every published result not yet final that ends on or after 1 January
    of `year` follows it. One computation a (publication day, period) pair, one UPDATE a pair
    that moved, and the cycle's timeline says so; idempotent. Returns how many moved."""
    open_results = OfficerResult.objects.filter(
        published_at__isnull=False, final_at__isnull=True, objection_due__gte=date(year, 1, 1)
    )
    pairs = (
        open_results.annotate(published_on=TruncDate("published_at"))
        .values_list("published_on", "cycle__objection_working_days")
        .distinct()
    )
    moved = 0
    for published_on, days in list(pairs):
        due = objection_due_after(published_on, days)
        stale = (
            open_results.annotate(published_on=TruncDate("published_at"))
            .filter(published_on=published_on, cycle__objection_working_days=days)
            .exclude(objection_due=due)
        )
        for cycle_id, old in list(stale.values_list("cycle_id", "objection_due").distinct()):
            count = stale.filter(cycle_id=cycle_id, objection_due=old).update(objection_due=due)
            moved += count
            CycleEvent.objects.create(
                cycle_id=cycle_id,
                kind=CycleEvent.Kind.OFFICER_RESULTS_PUBLISHED,
                note=_(
                    "节假日安排调整：%(count)s 项考核结果的异议截止日期由 %(old)s 改为 %(new)s。"
                )
                % {"count": count, "old": old.isoformat(), "new": due.isoformat()},
            )
    return moved


# --- finalising (R21, R22) -----------------------------------------------------------------------


def _awaiting_final(today: date):
    settled = Q(objection__isnull=True, objection_due__lt=today) | Q(
        objection__status__in=[Objection.Status.UPHELD, Objection.Status.REJECTED]
    )
    return OfficerResult.objects.filter(published_at__isnull=False, final_at__isnull=True).filter(
        settled
    )


def _open_repeat_decisions(ids: list[int]) -> int:
    """R22: unqualified two years running (the previous year's final result of the same region)
    opens one pending decision per result."""
    previous = OfficerResult.objects.filter(
        officer_id=OuterRef("officer_id"),
        cycle__region_id=OuterRef("cycle__region_id"),
        cycle__year=OuterRef("cycle__year") - 1,
        grade=Grade.UNQUALIFIED,
        final_at__isnull=False,
    ).values("pk")[:1]
    rows = (
        OfficerResult.objects.filter(
            pk__in=ids, grade=Grade.UNQUALIFIED, repeat_decision__isnull=True
        )
        .annotate(previous=Subquery(previous))
        .filter(previous__isnull=False)
        .values_list("pk", "officer_id", "previous")
    )
    decisions = [
        RepeatDecision(result_id=pk, officer_id=officer, previous_result_id=previous)
        for pk, officer, previous in rows
    ]
    RepeatDecision.objects.bulk_create(decisions)
    if decisions and all(d.pk for d in decisions):
        RepeatDecision.history.bulk_history_create(decisions)
    return len(decisions)


@transaction.atomic
def officer_results_finalise(*, today: date) -> int:
    """R21, R22 (the daily job, idempotent): a published result becomes final once its
    objection period has passed with no objection, or once its objection is decided. A final
    unqualified result bars the officer from 优秀 in the civil-service review and, after an
    unqualified previous year, opens a repeat decision. Returns how many became final."""
    now, total = timezone.now(), 0
    while True:
        batch = list(
            _awaiting_final(today)
            .select_for_update(of=("self",))
            .order_by("pk")
            .values_list("pk", "cycle_id", "grade")[:BATCH]
        )
        if not batch:
            return total
        ids = [pk for pk, _cycle, _grade in batch]
        OfficerResult.objects.filter(pk__in=ids).update(
            final_at=now,
            barred_from_excellent=Case(
                When(grade=Grade.UNQUALIFIED, then=Value(True)),
                default=F("barred_from_excellent"),
            ),
        )
        _keep_versions(OfficerResult.objects.filter(pk__in=ids), None)
        _open_repeat_decisions(ids)
        for cycle_id in sorted({cycle for _pk, cycle, _grade in batch}):
            mine = [grade for _pk, cycle, grade in batch if cycle == cycle_id]
            CycleEvent.objects.create(
                cycle_id=cycle_id,
                kind=CycleEvent.Kind.OFFICER_RESULTS_FINAL,
                note=_("%(count)s 名执法人员的考核结果确定，其中不合格 %(unqualified)s 名。")
                % {"count": len(mine), "unqualified": mine.count(Grade.UNQUALIFIED)},
            )
        total += len(batch)


def china_today() -> date:
    """Today in Asia/Shanghai: the day the objection period and the final job count in."""
    return timezone.localdate(timezone.now(), SHANGHAI)


def objection_open_until(result: OfficerResult) -> datetime | None:
    """The end of the objection's last day, in Asia/Shanghai."""
    if result.objection_due is None:
        return None
    return datetime.combine(result.objection_due + timedelta(days=1), time.min, tzinfo=SHANGHAI)


__all__ = [
    "FORMULA_DEFAULTS",
    "Formula",
    "evaluated_agencies",
    "keeps_records_for",
    "objection_due_after",
    "objection_dues_recompute",
    "china_today",
    "objection_open_until",
    "officer_batch_queries",
    "officer_formula",
    "officer_record_add",
    "officer_results_compute",
    "officer_results_finalise",
    "officer_results_publish",
    "officer_scores",
    "open_cycle_for",
    "register_officer_figures",
    "supervises_cycle",
]
