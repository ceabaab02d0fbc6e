"""The evaluation's computed figures at a province's size (issue 12 "Scale": 1,500 agencies,
30,000 officers, 2,000,000 cases, 1,000,000 complaints; every figure computed within 60 s and in
constant memory; a results-like page within 200 ms with a query count independent of the data).

`generate_bench_data --preset province` fills the database (see its docstring), the tables are
vacuumed and analysed, and a cycle of the bench province for this year is opened if missing. Then,
in this process:

- `compute`: `figures_compute` over the whole province, REPEATS times: seconds (median and each),
  the statements it sent, the Python heap's peak (tracemalloc) and the process's peak resident
  memory (getrusage) before and after, and how many agencies got figures;
- `plans`: each figure query under EXPLAIN (ANALYZE, BUFFERS): the indexes used, the big tables
  read whole, the execution time;
- `pages`: the cycle's figures page (first page of 100 agencies) and the API's first page, as
  the province's supervisor and as a city's (its own agencies only): median ms, query count.

`BENCH_FIGURES_ARGS` replaces the generator's arguments for a quicker look, e.g.
`BENCH_FIGURES_ARGS="--agencies 150 --officers 3000 --complaints 10000 --cases 500
--bulk-cases 20000 --revision-tasks 1000"`.
"""

import os
import re
import resource
import shlex
import statistics
import time
import tracemalloc

import harness

NAME = "assessment_figures"
REPEATS = 3
PAGE_REPEATS = 7
GENERATOR_ARGS = shlex.split(os.environ.get("BENCH_FIGURES_ARGS", "--preset province"))
CITY = "980100"
BIG_TABLES = (
    "complaints_complaint",
    "enforcement_case",
    "enforcement_caseofficer",
    "enforcement_casefilereview",
    "enforcement_legalreview",
    "enforcement_decision",
    "enforcement_remedyoutcome",
    "enforcement_revisiontask",
)
INDEX_PATTERN = re.compile(
    r"Index (?:Only )?Scan (?:Backward )?using (\w+)|Bitmap Index Scan on (\w+)"
)


def data_size() -> dict[str, int]:
    from complaints.models import Complaint
    from enforcement.models import (
        Agency,
        Case,
        CaseFileReview,
        LegalReview,
        Officer,
        RemedyOutcome,
        RevisionTask,
    )

    return {
        "agencies": Agency.objects.filter(region__code__startswith="98").count(),
        "officers": Officer.objects.filter(agency__region__code__startswith="98").count(),
        "cases": Case.objects.count(),
        "closed_cases": Case.objects.filter(closed_at__isnull=False).count(),
        "complaints": Complaint.objects.count(),
        "file_reviews": CaseFileReview.objects.count(),
        "legal_reviews": LegalReview.objects.count(),
        "remedy_outcomes": RemedyOutcome.objects.count(),
        "revision_tasks": RevisionTask.objects.count(),
    }


def bench_cycle():
    from django.utils.timezone import localdate

    from assessment.models import Cycle
    from enforcement.models import Region
    from portal.models import User

    province = Region.objects.get(code="980000")
    cycle, _created = Cycle.objects.get_or_create(
        region=province,
        year=localdate().year,
        defaults={"opened_by": User.objects.get(username="bench-supervisor")},
    )
    return cycle


def compute(cycle) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from assessment.services.figures import figures_compute

    runs = []
    for _ in range(REPEATS):
        reset_queries()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            count = figures_compute(cycle=cycle)
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        runs.append(
            {
                "seconds": round(seconds, 2),
                "agencies": count,
                "queries": len(captured),
                "python_heap_peak_mib": round(peak / 2**20, 2),
                "peak_rss_before_mib": round(rss_before / 1024, 1),
                "peak_rss_after_mib": round(
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                ),
            }
        )
    return {
        "median_s": statistics.median(r["seconds"] for r in runs),
        "max_s": max(r["seconds"] for r in runs),
        "python_heap_peak_mib": max(r["python_heap_peak_mib"] for r in runs),
        "runs": runs,
        "within_60_s": max(r["seconds"] for r in runs) <= 60,
    }


def plans(cycle) -> dict:
    from django.db import connection

    from assessment.services.figures import figure_queries

    found = {}
    for name, queryset in figure_queries(cycle).items():
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        found[name] = {
            "plan": plan,
            "indexes": sorted({a or b for a, b in INDEX_PATTERN.findall(plan)}),
            "seq_scans": sorted(set(re.findall(r"Seq Scan on (\w+)", plan)) & set(BIG_TABLES)),
            "execution_ms": float(re.search(r"Execution Time: ([\d.]+)", plan)[1]),
        }
    return found


def page_figures(user, url: str) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}, not 200")
        return response

    get()  # warm
    with CaptureQueriesContext(connection) as captured:
        body = get().content
    queries = len(captured)
    times = []
    for _ in range(PAGE_REPEATS):
        started = time.perf_counter()
        get()
        times.append(round((time.perf_counter() - started) * 1000, 2))
    median = statistics.median(times)
    return {
        "url": url,
        "queries": queries,
        "median_ms": median,
        "times_ms": times,
        "response_bytes": len(body),
        "within_200_ms": median <= 200,
    }


def pages(cycle) -> dict:
    from django.urls import reverse

    from portal.models import User

    province = User.objects.get(username="bench-supervisor")
    city = User.objects.get(username=f"bench-handler-{CITY}")
    page = reverse("assessment:cycle-figures", args=[cycle.pk])
    api = reverse("api:assessment-cycle-figures", args=[cycle.pk])
    return {
        "province_page": page_figures(province, page),
        "province_page_last": page_figures(province, f"{page}?page=999"),
        "city_page": page_figures(city, page),
        "province_api": page_figures(province, api),
        "city_api": page_figures(city, api),
    }


def run(ctx: harness.Context) -> dict:
    from django.db import connection

    load_before = round(os.getloadavg()[0], 2)
    started = time.perf_counter()
    harness.manage(ctx, "generate_bench_data", *GENERATOR_ARGS, timeout=4 * 3600)
    generate_s = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        for table in BIG_TABLES:  # the visibility map, for index-only scans
            cursor.execute(f"VACUUM {table}")
        cursor.execute("ANALYZE")
    cycle = bench_cycle()
    result = {
        "generator_args": GENERATOR_ARGS,
        "generate_s": generate_s,
        "data_size": data_size(),
        "cycle": {"region": str(cycle.region), "year": cycle.year},
        "compute": compute(cycle),
        "plans": plans(cycle),
        "pages": pages(cycle),
    }
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0]
    result["config"] = {
        "database": ctx.database_label,
        "autovacuum": autovacuum,
        "load_average_before": load_before,
        "repeats": REPEATS,
        "page_repeats": PAGE_REPEATS,
    }
    result["notes"] = list(ctx.notes)
    result["machine"] = harness.machine_info()
    connection.close()
    return result


def summary(result: dict) -> str:
    size = ", ".join(f"{n} {label}" for label, n in result["data_size"].items())
    work = result["compute"]
    lines = [
        f"{NAME}: {size}",
        f"  generated in {result['generate_s']} s ({' '.join(result['generator_args'])})",
        f"  figures_compute: median {work['median_s']} s, max {work['max_s']} s"
        f" ({work['runs'][0]['agencies']} agencies, {work['runs'][0]['queries']} queries),"
        f" Python heap peak {work['python_heap_peak_mib']} MiB;"
        f" within 60 s: {work['within_60_s']}",
    ]
    for name, plan in result["plans"].items():
        scans = ", ".join(plan["seq_scans"]) or "-"
        lines.append(
            f"  {name:<18}{plan['execution_ms']:>10} ms  indexes: {', '.join(plan['indexes'])}"
            f"  seq scans: {scans}"
        )
    for name, page in result["pages"].items():
        lines.append(f"  {name:<20}{page['median_ms']:>8} ms {page['queries']:>4} queries")
    return "\n".join(lines)
