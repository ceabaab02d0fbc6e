"""The pages and queries of enforcement cases at 200,000 and at 2,000,000 cases (issue 5: "case
lists stay constant in query count"; issue 15: "every supervisor page and report answers within
150 ms at 2,000,000 cases, and time(2,000,000) / time(200,000) ≤ 1.5, with the plans").

The two sizes are `scale`'s two databases (the province preset, with its bulk cases' decisions,
disclosures and payments), measured in ROUNDS alternating rounds, each in a fresh process (this
module run as a script with `--measure`), after `scale.fill` has vacuumed and analysed both
databases:

- each read is timed through its selector (median of REPEATS); in the first round every
  statement it sends to the case tables is run again under EXPLAIN (ANALYZE, BUFFERS): which
  indexes the plan uses, which tables it reads whole (a sequential scan of a big table means a
  missing or unused index), its execution time;
- each page is rendered through Django's test client, logged in as the user who reads it
  (median time and the number of queries, which must be the same at both sizes).

The reads: a city supervisor's case list (first page and count) and a province supervisor's;
an agency's case list (its own staff); the fine report (R30) and the discretion report (R7) of
this year for the city; the public disclosure list (first page, and filtered by last year); the
supervisors' dashboard of flagged remedy outcomes (R13); the queue of unreviewed closed cases.
"""

import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable

import harness
import scale

NAME = "case_pages"
ROUNDS = 3
REPEATS = 7
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
        "city": users.get(username=f"bench-handler-{scale.CITY}"),
        "province": users.get(username="bench-supervisor"),
        "agency": users.get(username="bench-inspector"),
    }


def reads(users: dict, year: int) -> dict[str, Callable[[], object]]:
    """What each page reads, through the selectors the views call."""
    from django.db.models import QuerySet

    from enforcement.filters.disclosures import DisclosureFilter
    from enforcement.selectors import disclosures, fines, remedies
    from enforcement.selectors.cases import cases_for
    from enforcement.selectors.public import page_number
    from enforcement.views.cases import PAGE_SIZE
    from enforcement.views.remedies import UNREVIEWED_SHOWN
    from portal.pagination import capped_count
    from portal.views.site import SCREENING_SHOWN

    def first_page(rows: QuerySet, size: int) -> tuple:
        return list(rows[:size]), rows.count()

    def capped_page(rows: QuerySet, size: int) -> tuple:
        """As the registers count (`portal.pagination`): up to the cap."""
        return list(rows[:size]), capped_count(rows)

    def public_list(**params) -> object:
        """As the public list reads: through its filters (a year orders by decision date)."""
        rows = DisclosureFilter(params, queryset=disclosures.disclosures()).qs
        return disclosures.disclosure_page(rows, page_number("1"))

    city = users["city"]
    return {
        "city_case_list": lambda: capped_page(cases_for(user=city), PAGE_SIZE),
        "province_case_list": lambda: capped_page(cases_for(user=users["province"]), PAGE_SIZE),
        "agency_case_list": lambda: capped_page(cases_for(user=users["agency"]), PAGE_SIZE),
        "fine_report": lambda: fines.fine_report(user=city, year=year),
        "discretion_report": lambda: (
            fines.discretion_report(user=city, year=year),
            list(fines.discretion_outliers(user=city, year=year)[:PAGE_SIZE]),
        ),
        "disclosure_list": lambda: public_list(),
        "disclosure_list_year": lambda: public_list(year=str(year - 1)),
        "dashboard_screening": lambda: first_page(
            remedies.outcomes_awaiting_screening(user=city), SCREENING_SHOWN
        ),
        "unreviewed_closed": lambda: capped_page(
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


def measure(*, plans: bool) -> dict:
    """One round at this process's database: every read and page, and the plans if asked."""
    from django.db import connection
    from django.utils.timezone import localdate

    users, year = bench_users(), localdate().year
    figures = {"data_size": data_size(), "reads": {}, "pages": {}}
    for name, run in reads(users, year).items():
        median, times = median_ms(run)
        figures["reads"][name] = {"ms": median, "times_ms": times}
        if plans:
            figures["reads"][name]["plans"] = plans_of(run)
    for name, (user, url) in pages(users, year).items():
        page = page_figures(user, url)
        figures["pages"][name] = {"url": url, "ms": page.pop("median_ms"), "status": 200, **page}
    connection.close()
    return figures


def run(ctx: harness.Context) -> dict:
    load_before = round(os.getloadavg()[0], 2)
    generate_s = scale.fill_both(ctx)
    measured = scale.alternate(ctx, __file__, ROUNDS)
    pages = scale.compare(measured)
    first = {size: measured[size][0] for size in scale.SIZES}
    reads_ = {
        name: {
            size: {
                "ms": round(statistics.median(r["reads"][name]["ms"] for r in measured[size]), 2),
                "plans": first[size]["reads"][name]["plans"],
            }
            for size in scale.SIZES
        }
        for name in first["large"]["reads"]
    }
    for entry in reads_.values():
        entry["ratio"] = round(entry["large"]["ms"] / entry["small"]["ms"], 2)
    seq_scans = {
        f"{size}/{name}": sorted({t for p in read[size]["plans"] for t in p["seq_scans"]})
        for name, read in reads_.items()
        for size in scale.SIZES
        if any(p["seq_scans"] for p in read[size]["plans"])
    }
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0]
    return {
        "data_size": {size: first[size]["data_size"] for size in scale.SIZES},
        "generate_s": generate_s,
        "pages": pages,
        **scale.verdicts(pages),
        "reads": reads_,
        "seq_scans": seq_scans,
        "config": {
            "rounds": ROUNDS,
            "repeats": REPEATS,
            "limit_ms": scale.LIMIT_MS,
            "ratio_limit": scale.RATIO_LIMIT,
            "databases": scale.database_names(ctx),
            "autovacuum": autovacuum,
            "load_average_before": load_before,
            "city": scale.CITY,
        },
        "notes": list(ctx.notes),
        "machine": harness.machine_info(),
    }


def summary(result: dict) -> str:
    size = result["data_size"]
    lines = [
        f"{NAME}: {size['small']['cases']:,} → {size['large']['cases']:,} cases,"
        f" {size['small']['issued_decisions']:,} → {size['large']['issued_decisions']:,}"
        f" issued decisions; pages:",
        *scale.summary_lines(result["pages"], result),
        "  reads (selector ms, small → large, indexes at the large size):",
    ]
    for name, read in result["reads"].items():
        indexes = sorted({i for p in read["large"]["plans"] for i in p["indexes"]})
        lines.append(
            f"    {name}: {read['small']['ms']} → {read['large']['ms']} (×{read['ratio']})"
            f"  {', '.join(indexes) or '-'}"
        )
    if result["seq_scans"]:
        lines.append("  sequential scans of case tables:")
        lines += [f"    {k}: {', '.join(v)}" for k, v in result["seq_scans"].items()]
    else:
        lines.append("  no sequential scan of a case table")
    lines += [f"  note: {note}" for note in result["notes"]]
    return "\n".join(lines)


if __name__ == "__main__" and sys.argv[1:2] == ["--measure"]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(harness.ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver", "127.0.0.1"]
    print(json.dumps(measure(plans="--plans" in sys.argv)))
