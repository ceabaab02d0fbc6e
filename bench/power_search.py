"""Public power-list search at scale: 200,000 published items across 1,000 agencies (issue 3).

Targets: the search page and the API, with a two-character query (许可) and a longer one
(食品经营许可), at ≥ 0.5× the trivial view's throughput and p95 ≤ 30 ms, each query planned
through an index. The trivial view is measured in the same run for the ratio, and the plans of
the page's queries (EXPLAIN ANALYZE) are printed and stored with the figures.

The data is generated once (`generate_bench_data --power-items N`) and reused by later runs:
the count of the bench province's published items is checked first.
"""

import dataclasses
import os
import re
from urllib.parse import urlencode

import harness

NAME = "power_search"
ITEMS = int(os.environ.get("BENCH_POWER_ITEMS", "200000"))
QUERIES = {"two_chars": "许可", "longer": "食品经营许可"}
TARGET_RATIO = 0.5
TARGET_P95_MS = 30.0


def pages() -> dict[str, str]:
    found = {"trivial": "/bench/trivial/"}
    for label, q in QUERIES.items():
        found[f"page_{label}"] = "/powers/?" + urlencode({"q": q})
        found[f"api_{label}"] = "/api/v1/power-items/?" + urlencode({"q": q})
    return found


def bench_items() -> int:
    from enforcement.models import PublishedPowerItem

    return PublishedPowerItem.objects.filter(region_path__startswith="980000/").count()


def data_size() -> dict[str, int]:
    from enforcement.models import Agency, PublishedPowerItem, Region

    return {
        "regions": Region.objects.count(),
        "agencies": Agency.objects.count(),
        "published_items": PublishedPowerItem.objects.count(),
        "bench_published_items": bench_items(),
    }


def explain(q: str) -> dict[str, str]:
    """The plans of the two queries a first page runs (see selectors.capped_page): the keys of
    the matches in list order up to the count cap, then the page's rows by key."""
    from django.db import connection

    from enforcement.selectors import public as selectors

    queryset = selectors.search(selectors.published_list(), q)
    keys = queryset.select_related(None).values_list("pk", flat=True)[: selectors.COUNT_CAP + 1]
    page_keys = list(keys[: selectors.PAGE_SIZE])
    statements = {
        "keys_up_to_cap": keys,
        "page_rows": selectors.published_list().filter(pk__in=page_keys or [0]),
    }
    plans = {}
    with connection.cursor() as cursor:
        for name, statement in statements.items():
            sql, params = statement.query.sql_with_params()
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
            plans[name] = "\n".join(row[0] for row in cursor.fetchall())
    connection.close()
    return plans


def uses_index(plan: str) -> bool:
    """The published items' table (200,000 rows) is read through an index, never scanned whole;
    the agencies' table (1,000 rows) may be hashed in a sequential scan."""
    return bool(
        re.search(r"(Index|Index Only|Bitmap Heap) Scan .*on enforcement_publishedpoweritem", plan)
    ) and ("Seq Scan on enforcement_publishedpoweritem" not in plan)


def run(ctx: harness.Context) -> dict:
    if (found := bench_items()) < ITEMS:
        print(f"{NAME}: {found} bench items, generating up to {ITEMS}", flush=True)
        harness.manage(ctx, "generate_bench_data", "--power-items", str(ITEMS), timeout=3600)
    result = {"data_size": data_size(), "queries": QUERIES, "plans": {}}
    for label, q in QUERIES.items():
        plans = explain(q)
        result["plans"][label] = plans
        result["plans"][label]["uses_index"] = all(uses_index(p) for p in plans.values())
    load_before = round(os.getloadavg()[0], 2)
    with harness.gunicorn(ctx) as server:
        for name, path in pages().items():
            print(f"{NAME}: {path} for {ctx.warmup} + {ctx.duration} s", flush=True)
            result[name] = {"path": path, **harness.load(ctx, server.url + path)}
    # The same pages with the public cache off: what a query nobody asked before costs.
    uncached = dataclasses.replace(ctx, env={**ctx.env, "PUBLIC_CACHE_ENABLED": "0"})
    with harness.gunicorn(uncached) as server:
        for name, path in pages().items():
            if name != "trivial":
                print(f"{NAME}: {path} uncached for {ctx.warmup} + {ctx.duration} s", flush=True)
                result[f"uncached_{name}"] = {"path": path, **harness.load(ctx, server.url + path)}
    trivial = result["trivial"]["requests_per_s"]
    for name in pages():
        if name != "trivial":
            figures = result[f"uncached_{name}"]
            figures["vs_trivial_throughput"] = round(figures["requests_per_s"] / trivial, 3)
    result["targets"] = {}
    for name in pages():
        if name == "trivial":
            continue
        figures = result[name]
        ratio = round(figures["requests_per_s"] / trivial, 3)
        figures["vs_trivial_throughput"] = ratio
        result["targets"][name] = {
            "ratio_ok": ratio >= TARGET_RATIO,
            "p95_ok": figures["latency_ms"]["p95"] <= TARGET_P95_MS,
            "clean": sum(figures["errors"].values()) == 0 and figures["non_2xx"] == 0,
        }
    result["config"] = harness.load_config(ctx, server, load_before) | {
        "target_ratio": TARGET_RATIO,
        "target_p95_ms": TARGET_P95_MS,
        "public_cache": "anonymous responses cached in Redis (portal.public_cache); the targets "
        "are read on repeated queries, uncached_* rows show the same pages with it off",
    }
    result["notes"] = list(ctx.notes)
    return result


def summary(result: dict) -> str:
    lines = harness.summary_header(NAME, result)
    for label, plans in result["plans"].items():
        lines.append(
            f"  plans for q={result['queries'][label]} (uses an index: {plans['uses_index']})"
        )
        for name in ("keys_up_to_cap", "page_rows"):
            lines.append(f"    {name}:")
            lines += [f"      {line}" for line in plans[name].splitlines()]
    lines.append(
        f"  {'page':<20}{'req/s':>9}{'x triv':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}{'non-2xx':>9}  targets"
    )
    names = list(pages()) + [f"uncached_{name}" for name in pages() if name != "trivial"]
    for name in names:
        figures = result[name]
        latency = figures["latency_ms"]
        ratio = figures.get("vs_trivial_throughput", 1.0)
        target = result["targets"].get(name)
        verdict = "" if target is None else ", ".join(f"{k}={v}" for k, v in target.items())
        lines.append(
            f"  {name:<20}{figures['requests_per_s']:>9.1f}{ratio:>8.3f}"
            f"{latency['p50']:>9.2f}{latency['p95']:>9.2f}{latency['p99']:>9.2f}"
            f"{sum(figures['errors'].values()):>8}{figures['non_2xx']:>9}  {verdict}"
        )
    lines += [f"  note: {note}" for note in result["notes"]]
    return "\n".join(lines)
