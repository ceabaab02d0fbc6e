"""The two databases of the scale benchmarks (`dashboard_scale`, `case_pages`): the province at
200,000 and at 2,000,000 cases side by side, so that rounds can alternate between them.

- `large`: the run's database (`DATABASE_URL`), filled by `generate_bench_data --preset province
  --power-items 200000`: 1,500 agencies, 30,000 officers, 1,000,000 complaints, 2,000,000 cases
  (50,000 with every row, 1,950,000 bulk ones with their decisions, disclosures and payments),
  200,000 published items;
- `small`: the same name with `_200k` (`BENCH_SMALL_DATABASE_URL` overrides), filled by the same
  generator with the same agencies, officers, items and revision tasks, and a tenth of the cases
  and complaints (50,000 full and 150,000 bulk cases, 100,000 complaints).

Both are migrated, get the demo province (the pages then have the same kinds of rows to show at
both sizes), are topped up (nothing is written when the data is there) and vacuumed and analysed
as a whole. A round measures one
size in a fresh process: the benchmark's module run as a script with `--measure`, printing its
figures as JSON on its last line.
"""

import json
import os
import statistics
import subprocess
import sys
import time

import harness

CITY = "980100"  # 长白市: generate_bench_data's bench-handler-980100 supervises it
LIMIT_MS = 150.0
RATIO_LIMIT = 1.5
SIZES = ("small", "large")
LARGE_ARGS = ["--preset", "province", "--power-items", "200000"]
SMALL_ARGS = [
    *LARGE_ARGS,
    "--complaints",
    "100000",
    "--cases",
    "50000",
    "--bulk-cases",
    "150000",
]


def small_database_url(large: str) -> str:
    if os.environ.get("BENCH_SMALL_DATABASE_URL"):
        return os.environ["BENCH_SMALL_DATABASE_URL"]
    base, _slash, name = large.rpartition("/")
    name, _q, query = name.partition("?")
    return f"{base}/{name}_200k" + (f"?{query}" if query else "")


def databases(ctx: harness.Context) -> dict[str, str]:
    return {"small": small_database_url(ctx.database_url), "large": ctx.database_url}


def database_names(ctx: harness.Context) -> dict[str, str]:
    return {size: url.rpartition("/")[2] for size, url in databases(ctx).items()}


def fill(ctx: harness.Context, url: str, args: list[str]) -> float:
    """Migrate `url`'s database, load the demo province (as `harness.prepare` does the run's)
    and top up the data; the seconds it took."""
    env = {**ctx.env, "DATABASE_URL": url}
    harness.ensure_database(url)
    started = time.perf_counter()
    commands = (
        ["migrate", "--noinput"],
        ["load_demo_data", "--force"],
        ["generate_bench_data", *args],
    )
    for command in commands:
        print(f"manage.py {' '.join(command)} ({url.rpartition('/')[2]})", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", *command, "--verbosity", "0"],
            cwd=harness.ROOT,
            env=env,
            check=True,
            timeout=4 * 3600,
        )
    # As autovacuum would have by the time anyone reads (this server's may be off): the
    # visibility map for index-only scans of the tables COPY wrote, and every table's statistics,
    # the small ones too (regions, agencies, permissions decide how a scope's subquery is joined).
    print(f"VACUUM (ANALYZE) ({url.rpartition('/')[2]})", flush=True)
    subprocess.run(
        [sys.executable, "manage.py", "dbshell", "--", "-q", "-c", "VACUUM (ANALYZE)"],
        cwd=harness.ROOT,
        env=env,
        check=True,
        timeout=3600,
    )
    return round(time.perf_counter() - started, 1)


def fill_both(ctx: harness.Context) -> dict[str, float]:
    urls = databases(ctx)
    return {
        "small": fill(ctx, urls["small"], SMALL_ARGS),
        "large": fill(ctx, urls["large"], LARGE_ARGS),
    }


def measure_once(ctx: harness.Context, script: str, url: str, *args: str) -> dict:
    """One round of `script --measure` against `url`'s database."""
    env = {**ctx.env, "DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, script, "--measure", *args],
        cwd=harness.ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def alternate(ctx: harness.Context, script: str, rounds: int) -> dict[str, list[dict]]:
    """`rounds` rounds, each measuring the small database then the large one, so that both
    share the machine's mood; the first round of each also asks for the plans (`--plans`)."""
    urls = databases(ctx)
    measured: dict[str, list[dict]] = {size: [] for size in SIZES}
    for n in range(rounds):
        for size in SIZES:
            extra = ("--plans",) if n == 0 else ()
            measured[size].append(measure_once(ctx, script, urls[size], *extra))
    return measured


def compare(measured: dict[str, list[dict]]) -> dict:
    """Per page (each round's `pages`: ms, queries, status), the median over the rounds at each
    size, the ratio large / small and the verdicts."""
    pages = {}
    for key in measured["large"][0]["pages"]:
        entry = {}
        for size in SIZES:
            times = [r["pages"][key]["ms"] for r in measured[size]]
            entry[size] = {
                "ms": round(statistics.median(times), 1),
                "ms_rounds": times,
                "queries": sorted({r["pages"][key]["queries"] for r in measured[size]}),
                "status": sorted({r["pages"][key]["status"] for r in measured[size]}),
            }
        entry["ratio"] = round(entry["large"]["ms"] / entry["small"]["ms"], 2)
        entry["queries_equal"] = entry["small"]["queries"] == entry["large"]["queries"]
        entry["within_limit"] = entry["large"]["ms"] <= LIMIT_MS
        entry["ratio_within_limit"] = entry["ratio"] <= RATIO_LIMIT
        pages[key] = entry
    return pages


def verdicts(pages: dict) -> dict:
    return {
        "all_within_limit": all(p["within_limit"] for p in pages.values()),
        "all_ratios_within_limit": all(p["ratio_within_limit"] for p in pages.values()),
        "all_queries_equal": all(p["queries_equal"] for p in pages.values()),
    }


def summary_lines(pages: dict, result: dict) -> list[str]:
    lines = [
        f"  {key}: {page['small']['ms']} → {page['large']['ms']} ms"
        f" (×{page['ratio']}), queries {page['small']['queries']} → {page['large']['queries']}"
        for key, page in pages.items()
    ]
    lines.append(
        f"  within {LIMIT_MS:.0f} ms: {result['all_within_limit']};"
        f" ratios ≤ {RATIO_LIMIT}: {result['all_ratios_within_limit']};"
        f" query counts equal: {result['all_queries_equal']}"
    )
    return lines
