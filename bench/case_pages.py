"""The pages and queries of enforcement cases at 20,000 and 200,000 cases (issue 5: "case lists
stay constant in query count"; house rule: every index a page needs exists, and a benchmark
proves it at scale).

For each size the cases are generated or topped up (`generate_bench_data --cases N`: parties,
officers, records, decisions with tiers, payments, disclosures, remedy outcomes, closed and
reviewed files, over three years and ~1,000 agencies), then, in this process against the bench
database:

- each read is timed through its selector (median of REPEATS), and every statement it sends to
  the case tables is run again under EXPLAIN (ANALYZE, BUFFERS): which indexes the plan uses,
  which tables it reads whole (a sequential scan of a big table means a missing or unused
  index), its execution time;
- each page is rendered through Django's test client, logged in as the user who reads it
  (median time and the number of queries, which must be the same at both sizes).

The reads: a city supervisor's case list (first page and count) and a province supervisor's;
an agency's case list (its own staff); the fine report (R30) and the discretion report (R7) of
this year for the city; the public disclosure list (first page, and filtered by last year); the
supervisors' dashboard of flagged remedy outcomes (R13); the queue of unreviewed closed cases.
"""

import os
import re
import statistics
import time
from collections.abc import Callable

import harness

NAME = "case_pages"
SIZES = [int(n) for n in os.environ.get("BENCH_CASE_SIZES", "20000,200000").split(",")]
REPEATS = 7
CITY = "980100"  # 长白市: its supervisor is generate_bench_data's bench-handler-980100
# The tables that grow with the cases; a sequential scan of one of them is reported.
BIG_TABLES = (
    "enforcement_case",
    "enforcement_party",
    "enforcement_caseofficer",
    "enforcement_caserecord",
    "enforcement_caseevent",
    "enforcement_decision",
    "enforcement_legalreview",
    "enforcement_decisiondisclosure",
    "enforcement_finepayment",
    "enforcement_remedyoutcome",
    "enforcement_casefilereview",
)
TABLE_PATTERN = re.compile(r"\b(" + "|".join(BIG_TABLES) + r")\b")
INDEX_PATTERN = re.compile(
    r"Index (?:Only )?Scan (?:Backward )?using (\w+)|Bitmap Index Scan on (\w+)"
)


def data_size() -> dict[str, int]:
    from enforcement.models import (
        Case,
        CaseFileReview,
        Decision,
        DecisionDisclosure,
        FinePayment,
        RemedyOutcome,
    )
    from enforcement.selectors.remedies import AWAITING_SCREENING

    return {
        "cases": Case.objects.count(),
        "closed_cases": Case.objects.filter(closed_at__isnull=False).count(),
        "decisions": Decision.objects.count(),
        "issued_decisions": Decision.objects.filter(status=Decision.Status.ISSUED).count(),
        "disclosures": DecisionDisclosure.objects.count(),
        "payments": FinePayment.objects.count(),
        "remedy_outcomes": RemedyOutcome.objects.count(),
        "awaiting_screening": RemedyOutcome.objects.filter(AWAITING_SCREENING).count(),
        "file_reviews": CaseFileReview.objects.count(),
    }


def bench_users() -> dict:
    from portal.models import User

    users = User.objects.select_related("region", "agency")
    return {
        "city": users.get(username=f"bench-handler-{CITY}"),
        "province": users.get(username="bench-supervisor"),
        "agency": users.get(username="bench-inspector"),
    }


def reads(users: dict, year: int) -> dict[str, Callable[[], object]]:
    """What each page reads, through the selectors the views call."""
    from django.db.models import QuerySet

    from enforcement.selectors import disclosures, fines, remedies
    from enforcement.selectors.cases import cases_for
    from enforcement.selectors.public import page_number
    from enforcement.views.cases import PAGE_SIZE
    from enforcement.views.remedies import UNREVIEWED_SHOWN
    from portal.views import SCREENING_SHOWN

    def first_page(rows: QuerySet, size: int) -> tuple:
        return list(rows[:size]), rows.count()

    def public_list(**filters) -> object:
        rows = disclosures.disclosures().filter(**filters)
        return disclosures.disclosure_page(rows, page_number("1"))

    city = users["city"]
    start, end = f"{year - 1}-01-01", f"{year}-01-01"
    return {
        "city_case_list": lambda: first_page(cases_for(user=city), PAGE_SIZE),
        "province_case_list": lambda: first_page(cases_for(user=users["province"]), PAGE_SIZE),
        "agency_case_list": lambda: first_page(cases_for(user=users["agency"]), PAGE_SIZE),
        "fine_report": lambda: fines.fine_report(user=city, year=year),
        "discretion_report": lambda: (
            fines.discretion_rows(user=city, year=year),
            first_page(fines.discretion_outliers(user=city, year=year), PAGE_SIZE),
        ),
        "disclosure_list": lambda: public_list(),
        "disclosure_list_year": lambda: public_list(decided_on__gte=start, decided_on__lt=end),
        "dashboard_screening": lambda: first_page(
            remedies.outcomes_awaiting_screening(user=city), SCREENING_SHOWN
        ),
        "unreviewed_closed": lambda: first_page(
            remedies.unreviewed_closed_cases(user=city), UNREVIEWED_SHOWN
        ),
    }


def pages(users: dict, year: int) -> dict[str, tuple[object, str]]:
    """The same reads as whole pages: (who is logged in, None for the public; URL)."""
    from django.urls import reverse

    cases = reverse("cases:list")
    return {
        "city_case_list": (users["city"], cases),
        "province_case_list": (users["province"], cases),
        "agency_case_list": (users["agency"], cases),
        "fine_report": (users["city"], f"{reverse('cases:fine-report')}?year={year}"),
        "discretion_report": (users["city"], f"{reverse('cases:discretion-report')}?year={year}"),
        "disclosure_list": (None, reverse("disclosures:list")),
        "disclosure_list_year": (None, f"{reverse('disclosures:list')}?year={year - 1}"),
        "dashboard_screening": (users["city"], reverse("portal:workspace")),
        "unreviewed_closed": (users["city"], reverse("cases:file-reviews")),
    }


def median_ms(run: Callable[[], object]) -> tuple[float, list[float]]:
    run()  # warm: the first call also fills Django's and PostgreSQL's caches
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        times.append(round((time.perf_counter() - started) * 1000, 2))
    return round(statistics.median(times), 2), times


def plans_of(run: Callable[[], object]) -> list[dict]:
    """EXPLAIN (ANALYZE, BUFFERS) of every statement `run` sends to the case tables."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    plans = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if not TABLE_PATTERN.search(sql) or not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        plans.append(
            {
                "sql": sql,
                "plan": plan,
                "indexes": sorted({a or b for a, b in INDEX_PATTERN.findall(plan)}),
                "seq_scans": sorted(set(re.findall(r"Seq Scan on (\w+)", plan)) & set(BIG_TABLES)),
                "sorts": re.findall(r"Sort Method: ([^\n]+)", plan),
                "execution_ms": float(re.search(r"Execution Time: ([\d.]+)", plan)[1]),
            }
        )
    return plans


def page_figures(user, url: str) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}, not 200")
        return response

    # The public pages are measured uncached: the shared cache would hide the database.
    with override_settings(PUBLIC_CACHE_ENABLED=False):
        with CaptureQueriesContext(connection) as captured:
            body = get().content
        queries = len(captured)  # now: the next request clears the connection's log
        median, times = median_ms(get)
    return {
        "queries": queries,
        "median_ms": median,
        "times_ms": times,
        "response_bytes": len(body),
    }


def measure(ctx: harness.Context, size: int) -> dict:
    from django.db import connection
    from django.utils.timezone import localdate

    from enforcement.benchdata.cases import CASE_MODELS

    print(f"{NAME}: {size} cases", flush=True)
    started = time.perf_counter()
    harness.manage(ctx, "generate_bench_data", "--cases", str(size), timeout=3600)
    generated_s = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        for model in CASE_MODELS:  # the visibility map, for index-only scans
            cursor.execute(f"VACUUM {model._meta.db_table}")
        # Every table, the small ones too (regions, agencies, permissions): their statistics
        # decide how the scope's subquery is joined, and a server with autovacuum off (this
        # one's may be) would otherwise plan every read on guesses.
        cursor.execute("ANALYZE")
    users, year = bench_users(), localdate().year
    figures = {"data_size": data_size(), "generate_s": generated_s, "reads": {}, "pages": {}}
    for name, run in reads(users, year).items():
        median, times = median_ms(run)
        figures["reads"][name] = {"median_ms": median, "times_ms": times, "plans": plans_of(run)}
    for name, (user, url) in pages(users, year).items():
        figures["pages"][name] = {"url": url, **page_figures(user, url)}
    connection.close()
    return figures


def ratios(small: dict, large: dict) -> dict:
    def ratio(a: float, b: float) -> float:
        return round(b / a, 2) if a else None

    return {
        name: {
            "read": ratio(small["reads"][name]["median_ms"], large["reads"][name]["median_ms"]),
            "page": ratio(small["pages"][name]["median_ms"], large["pages"][name]["median_ms"]),
            "queries_same": small["pages"][name]["queries"] == large["pages"][name]["queries"],
        }
        for name in small["reads"]
    }


def run(ctx: harness.Context) -> dict:
    load_before = round(os.getloadavg()[0], 2)
    result = {"repeats": REPEATS, "sizes": {}}
    for size in SIZES:
        result["sizes"][str(size)] = measure(ctx, size)
    small, large = (result["sizes"][str(n)] for n in (min(SIZES), max(SIZES)))
    result["ratio_large_small"] = ratios(small, large)
    result["seq_scans"] = {
        f"{size}/{name}": sorted({t for p in read["plans"] for t in p["seq_scans"]})
        for size, figures in result["sizes"].items()
        for name, read in figures["reads"].items()
        if any(p["seq_scans"] for p in read["plans"])
    }
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0]
    result["config"] = {
        "database": ctx.database_label,
        "autovacuum": autovacuum,
        "load_average_before": load_before,
        "city": CITY,
    }
    result["notes"] = list(ctx.notes)
    # Its own copy: the top-level one describes whichever benchmark ran last.
    result["machine"] = harness.machine_info()
    return result


def _sizes(size: dict) -> str:
    return ", ".join(f"{count} {label}" for label, count in size.items() if label != "cases")


def summary(result: dict) -> str:
    sizes = list(result["sizes"])
    header = "".join(f"{'read ms ' + s:>16}{'page ms':>10}{'queries':>8}" for s in sizes)
    lines = [
        f"{NAME}: median of {result['repeats']}, load average before"
        f" {result['config']['load_average_before']}",
        *(f"  {int(s)} cases: {_sizes(result['sizes'][s]['data_size'])}" for s in sizes),
        f"  {'read':<22}{header}{'ratio read':>12}{'page':>7}  indexes (largest size)",
    ]
    for name, ratio in result["ratio_large_small"].items():
        row = f"  {name:<22}"
        for s in sizes:
            figures = result["sizes"][s]
            page = figures["pages"][name]
            row += f"{figures['reads'][name]['median_ms']:>16}{page['median_ms']:>10}"
            row += f"{page['queries']:>8}"
        plans = result["sizes"][sizes[-1]]["reads"][name]["plans"]
        indexes = sorted({i for p in plans for i in p["indexes"]})
        row += f"{ratio['read']:>12}{ratio['page']:>7}  {', '.join(indexes) or '-'}"
        lines.append(row)
    if result["seq_scans"]:
        lines.append("  sequential scans of case tables:")
        lines += [f"    {k}: {', '.join(v)}" for k, v in result["seq_scans"].items()]
    else:
        lines.append("  no sequential scan of a case table")
    lines += [f"  note: {note}" for note in result["notes"]]
    return "\n".join(lines)
