"""The officers' everyday scores and the results pages at a province's size (issue 12 "Scale":
1,500 agencies, 30,000 officers, 2,000,000 cases, 1,000,000 complaints; every figure and every
officer's score computed within 60 s in constant memory; each results page within 200 ms with a
query count independent of the data).

The data is `generate_bench_data --preset province` (as `assessment_figures`, which it shares:
a top-up, nothing is regenerated when it is there). The setup then adds, idempotently:

- two cycles of this year: the province's (`large`) and the first city's (`small`). Both get an
  Assignment per agency written in bulk: `cycle_open` and `assignments_derive` derive R19's
  assignments for the agencies of the cycle's OWN region only (the province's cities and counties
  have their own cycles), and the bench province has no legal office to evaluate anyone. So the
  large cycle gets one local assignment (weight 100) for each of the 1,500 bench agencies and the
  small one for the 21 agencies of the city's own region, their evaluator a legal office of the
  demo data (never the agency itself). `officer_results_compute` evaluates the agencies with an
  assignment, `figures_compute` too;
- officers' records of the year (a legal test and a conformity test each, a commendation every
  tenth officer) and, in one complaint in a hundred found substantiated in the year, an officer
  named (by certificate number, one in five by name), so that every part of the score counts;
- one indicator per cycle and a score per assignment, the departments' results computed
  (`results_compute`) and disclosed to the public (`results_disclose`).

Measured, at both sizes in the same run:

- `compute`: `officer_results_compute` REPEATS times (the results deleted before each, so each
  run inserts every row): seconds, statements, Python heap peak (tracemalloc); then
  `figures_compute` + `officer_results_compute` together on the large cycle;
- `plans`: each query of one batch of the computation under EXPLAIN ANALYZE (large cycle);
- `pages`: the department results page, the officers' results page (whole cycle, first and
  last page, and one agency), the public results pages and API, the officers API: median ms of
  PAGE_REPEATS and the query count, small beside large.
"""

import os
import re
import shlex
import statistics
import time
import tracemalloc

import harness

NAME = "assessment_officers"
REPEATS = 3
PAGE_REPEATS = 7
GENERATOR_ARGS = shlex.split(os.environ.get("BENCH_FIGURES_ARGS", "--preset province"))
PROVINCE, CITY = "980000", "980100"
SUPERVISOR = "bench-supervisor"
INDEX_PATTERN = re.compile(
    r"Index (?:Only )?Scan (?:Backward )?using (\w+)|Bitmap Index Scan on (\w+)"
)


# --- setup ---------------------------------------------------------------------------------------


def _cycle(code: str):
    from django.utils.timezone import localdate

    from assessment.models import Cycle
    from enforcement.models import Region
    from portal.models import User

    cycle, _created = Cycle.objects.get_or_create(
        region=Region.objects.get(code=code),
        year=localdate().year,
        defaults={"opened_by": User.objects.get(username=SUPERVISOR)},
    )
    return cycle


def _assign(cycle, agencies) -> None:
    from assessment.models import Assignment
    from enforcement.models import Agency

    offices = list(
        Agency.objects.filter(is_legal_office=True)
        .exclude(region__code__startswith="98")
        .order_by("pk")
        .values_list("pk", flat=True)[:2]
    )
    if not offices:
        raise RuntimeError("no legal office in the demo data to act as the evaluator")
    have = set(Assignment.objects.filter(cycle=cycle).values_list("agency_id", flat=True))
    Assignment.objects.bulk_create(
        [
            Assignment(
                cycle=cycle,
                agency_id=pk,
                role=Assignment.Role.LOCAL,
                evaluator_id=offices[0] if offices[0] != pk else offices[-1],
                weight=100,
            )
            for pk in agencies.values_list("pk", flat=True)
            if pk not in have
        ],
        batch_size=1000,
    )


def _officer_records(year: int) -> int:
    import datetime

    from assessment.models import OfficerRecord
    from enforcement.models import Officer
    from portal.models import User

    bench = Officer.objects.filter(agency__region__code__startswith="98")
    if OfficerRecord.objects.filter(officer__in=bench, year=year).exists():
        return 0
    user = User.objects.get(username=SUPERVISOR)
    day = datetime.date(year, 3, 1)
    kinds = OfficerRecord.Kind
    rows = []
    for pk in bench.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=2000):
        tests = ((kinds.LEGAL_TEST, 60 + pk % 41), (kinds.CONFORMITY_TEST, 70 + pk % 31))
        for kind, score in tests:
            rows.append(
                OfficerRecord(
                    officer_id=pk, year=year, kind=kind, score=score, occurred_on=day,
                    note="bench", recorded_by=user,
                )
            )  # fmt: skip
        if pk % 10 == 0:
            rows.append(
                OfficerRecord(
                    officer_id=pk, year=year, kind=kinds.COMMENDATION, occurred_on=day,
                    note="bench", recorded_by=user,
                )
            )  # fmt: skip
    OfficerRecord.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _named_complaints(year: int) -> int:
    """One substantiated complaint of the year in a hundred names an officer of its agency: by
    certificate number in a sentence, or (one in five) by the exact name."""
    from django.db import connection

    from assessment.services.coverage import year_bounds

    _first, _last, start, end = year_bounds(year)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM complaints_complaint WHERE officer <> '' AND closed_at >= %s"
            " AND closed_at < %s LIMIT 1",
            [start, end],
        )
        if cursor.fetchone():
            return 0
        cursor.execute(
            """
            UPDATE complaints_complaint c
               SET officer = CASE WHEN c.id %% 5 = 0 THEN o.name
                                  ELSE '执法人员（证号 ' || o.certificate_number || '）' END
              FROM enforcement_officer o
             WHERE c.result = 'substantiated' AND c.closed_at >= %s AND c.closed_at < %s
               AND c.id %% 100 = 0
               AND o.id = (SELECT min(id) FROM enforcement_officer WHERE agency_id = c.agency_id)
            """,
            [start, end],
        )
        return cursor.rowcount


def _department_results(cycle) -> None:
    from assessment.models import AgencyResult, Indicator, Score
    from assessment.services.results import results_compute, results_disclose
    from portal.models import User

    user = User.objects.get(username=SUPERVISOR)
    indicator, _created = Indicator.objects.get_or_create(
        cycle=cycle,
        code="B1",
        defaults={
            "name": "基准指标",
            "category": Indicator.Category.ENFORCEMENT,
            "max_points": 100,
        },
    )
    scored = set(Score.objects.filter(indicator=indicator).values_list("assignment_id", flat=True))
    Score.objects.bulk_create(
        [
            Score(
                assignment_id=pk,
                indicator=indicator,
                points=55 + pk % 46,
                evidence="bench",
                scored_by=user,
            )  # fmt: skip
            for pk in cycle.assignments.values_list("pk", flat=True)
            if pk not in scored
        ],
        batch_size=1000,
    )
    if AgencyResult.objects.filter(cycle=cycle).count() != cycle.assignments.count():
        results_compute(cycle=cycle, actor=user)
    if AgencyResult.objects.filter(cycle=cycle).exclude(disclosure="public").exists():
        results_disclose(cycle=cycle, scope="public", actor=user)


def setup() -> dict:
    from django.db import connection

    from enforcement.models import Agency

    large, small = _cycle(PROVINCE), _cycle(CITY)
    _assign(large, Agency.objects.filter(region__code__startswith="98").exclude(kind="government"))
    _assign(small, Agency.objects.filter(region__code=CITY).exclude(kind="government"))
    made = {
        "officer_records": _officer_records(large.year),
        "named_complaints": _named_complaints(large.year),
    }
    for cycle in (large, small):
        _department_results(cycle)
    with connection.cursor() as cursor:
        for table in ("assessment_officerrecord", "assessment_assignment", "complaints_complaint"):
            cursor.execute(f"ANALYZE {table}")
    return {"large": large, "small": small, "made": made}


def sizes(cycle) -> dict:
    from assessment.models import OfficerRecord
    from assessment.services.coverage import evaluated_agencies
    from enforcement.models import Officer

    agencies = evaluated_agencies(cycle)
    return {
        "agencies": agencies.count(),
        "officers": Officer.objects.filter(agency__in=agencies).count(),
        "officer_records": OfficerRecord.objects.filter(
            year=cycle.year, officer__agency__in=agencies
        ).count(),
        "agency_results": cycle.results.count(),
    }


# --- measuring -----------------------------------------------------------------------------------


def _timed(work) -> dict:
    """Seconds, statements and the Python heap's peak of work(). The statements are counted, not
    kept: keeping their SQL (CaptureQueriesContext) would be most of the heap measured."""
    from django.db import connection

    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    tracemalloc.start()
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        outcome = work()
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": round(seconds, 2),
        "outcome": outcome,
        "queries": statements,
        "python_heap_peak_mib": round(peak / 2**20, 2),
    }


def compute(cycle, user) -> dict:
    from assessment.services.officers import officer_results_compute

    runs = []
    for _ in range(REPEATS):
        cycle.officer_results.all().delete()
        runs.append(_timed(lambda: officer_results_compute(cycle=cycle, actor=user)))
    return {
        "median_s": statistics.median(r["seconds"] for r in runs),
        "max_s": max(r["seconds"] for r in runs),
        "python_heap_peak_mib": max(r["python_heap_peak_mib"] for r in runs),
        "results": runs[0]["outcome"],
        "runs": runs,
    }


def combined(cycle, user) -> dict:
    from assessment.services.figures import figures_compute
    from assessment.services.officers import officer_results_compute

    def both():
        return figures_compute(cycle=cycle, actor=user), officer_results_compute(
            cycle=cycle, actor=user
        )

    run = _timed(both)
    run["within_60_s"] = run["seconds"] <= 60
    return run


def plans(cycle) -> dict:
    """Each read of the first batch of officers, under EXPLAIN ANALYZE."""
    from django.db import connection

    from assessment.services.coverage import evaluated_agencies
    from assessment.services.officers import READ_BATCH, officer_batch_queries
    from enforcement.models import Officer

    ids = list(
        Officer.objects.filter(agency__in=evaluated_agencies(cycle))
        .order_by("pk")
        .values_list("pk", flat=True)[:READ_BATCH]
    )
    found = {}
    for name, queryset in officer_batch_queries(ids, cycle.year).items():
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        found[name] = {
            "plan": plan,
            "indexes": sorted({a or b for a, b in INDEX_PATTERN.findall(plan)}),
            "seq_scans": sorted(set(re.findall(r"Seq Scan on (\w+)", plan))),
            "execution_ms": float(re.search(r"Execution Time: ([\d.]+)", plan)[1]),
        }
    return found


def page(url: str, user=None) -> dict:
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}, not 200")
        return response

    get()  # warm
    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    # Counted through a wrapper: the test client's request_started signal empties the query log
    # that CaptureQueriesContext reads.
    with connection.execute_wrapper(count):
        body = get().content
    times = []
    for _ in range(PAGE_REPEATS):
        started = time.perf_counter()
        get()
        times.append(round((time.perf_counter() - started) * 1000, 2))
    median = statistics.median(times)
    return {
        "url": url,
        "queries": statements,
        "median_ms": median,
        "times_ms": times,
        "response_bytes": len(body),
        "within_200_ms": median <= 200,
    }


def pages(cycle, user) -> dict:
    from django.core.cache import cache
    from django.urls import reverse

    agency_id = cycle.assignments.order_by("agency_id").values_list("agency_id", flat=True)[0]
    officers = reverse("assessment:officer-results", args=[cycle.pk])
    officers_api = reverse("api:assessment-cycle-officer-results", args=[cycle.pk])
    public_api = reverse("api:assessment-public-results")
    cache.clear()  # the public pages may be cached: the first answer is computed
    return {
        "department_results": page(reverse("assessment:cycle-results", args=[cycle.pk]), user),
        "officer_results": page(officers, user),
        "officer_results_last": page(f"{officers}?page=last", user),
        "officer_results_agency": page(f"{officers}?agency={agency_id}", user),
        "officers_api": page(officers_api, user),
        "officers_api_last": page(f"{officers_api}?page=last", user),
        "officers_api_agency": page(f"{officers_api}?agency={agency_id}", user),
        "public_results": page(reverse("assessment:public-results")),
        "public_cycle_results": page(reverse("assessment:public-cycle-results", args=[cycle.pk])),
        "public_api": page(f"{public_api}?cycle={cycle.pk}"),
    }


def run(ctx: harness.Context) -> dict:
    from django.db import connection

    from portal.models import User

    load_before = round(os.getloadavg()[0], 2)
    started = time.perf_counter()
    harness.manage(ctx, "generate_bench_data", *GENERATOR_ARGS, timeout=4 * 3600)
    generate_s = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    made = setup()
    setup_s = round(time.perf_counter() - started, 1)
    user = User.objects.get(username=SUPERVISOR)
    cycles = {"small": made["small"], "large": made["large"]}
    result = {
        "generator_args": GENERATOR_ARGS,
        "generate_s": generate_s,
        "setup_s": setup_s,
        "setup_made": made["made"],
        "data_size": {name: sizes(cycle) for name, cycle in cycles.items()},
        "compute": {name: compute(cycle, user) for name, cycle in cycles.items()},
    }
    result["combined"] = combined(cycles["large"], user)
    result["plans"] = plans(cycles["large"])
    result["pages"] = {name: pages(cycle, user) for name, cycle in cycles.items()}
    result["pages_equal_queries"] = {
        name: result["pages"]["small"][name]["queries"] == result["pages"]["large"][name]["queries"]
        for name in result["pages"]["large"]
    }
    result["config"] = {
        "database": ctx.database_label,
        "load_average_before": load_before,
        "repeats": REPEATS,
        "page_repeats": PAGE_REPEATS,
    }
    result["notes"] = list(ctx.notes)
    result["machine"] = harness.machine_info()
    connection.close()
    return result


def summary(result: dict) -> str:
    lines = [f"{NAME}:"]
    for name, size in result["data_size"].items():
        work = result["compute"][name]
        lines.append(
            f"  {name}: {size['agencies']} agencies, {size['officers']} officers:"
            f" officer_results_compute median {work['median_s']} s (max {work['max_s']} s),"
            f" {work['runs'][0]['queries']} queries, heap peak {work['python_heap_peak_mib']} MiB"
        )
    both = result["combined"]
    lines.append(
        f"  figures + officers (large): {both['seconds']} s, {both['queries']} queries,"
        f" heap peak {both['python_heap_peak_mib']} MiB; within 60 s: {both['within_60_s']}"
    )
    for name, plan in result["plans"].items():
        lines.append(
            f"  plan {name:<12}{plan['execution_ms']:>10} ms  indexes: {', '.join(plan['indexes'])}"
            f"  seq scans: {', '.join(plan['seq_scans']) or '-'}"
        )
    small, large = result["pages"]["small"], result["pages"]["large"]
    lines.append(f"  {'page':<24}{'small ms':>10}{'q':>4}{'large ms':>10}{'q':>4}")
    for name in large:
        lines.append(
            f"  {name:<24}{small[name]['median_ms']:>10}{small[name]['queries']:>4}"
            f"{large[name]['median_ms']:>10}{large[name]['queries']:>4}"
        )
    return "\n".join(lines)
