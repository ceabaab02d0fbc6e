"""The supervisors' dashboard and every role's to-do list at 200,000 and at 2,000,000 cases
(issue 14 "Scale"): each within 150 ms at the larger size, the same query count at both, and
time(2,000,000) / time(200,000) at most 1.5.

Two databases hold the two sizes side by side, so that the rounds can alternate between them:

- `large`: the run's database (`DATABASE_URL`), filled by `generate_bench_data --preset province
  --power-items 200000`: 1,500 agencies, 30,000 officers, 1,000,000 complaints, 2,000,000 cases,
  200,000 published items (the data of `assessment_figures` and `annual_report`);
- `small`: the same name with `_200k` (`BENCH_SMALL_DATABASE_URL` overrides), filled by the same
  generator with the same agencies, officers, items and revision tasks, and a tenth of the cases
  and complaints (50,000 full and 150,000 bulk cases, 100,000 complaints).

Both are migrated and topped up (nothing happens when the data is there). Then ROUNDS rounds,
each measuring the small database then the large one in a fresh process (this module run as a
script): every page through Django's test client logged in as its persona, REPEATS times after
one warm-up request, median server time and the statements sent. The personas: the province's
supervisor and a city's (dashboard and to-do list), an agency's staff, its legal office and the
system administrator (to-do list; the administrator's also on the admin index). The figures of
each page are the medians over the rounds.
"""

import json
import os
import statistics
import subprocess
import sys
import time

import harness

NAME = "dashboard_scale"
ROUNDS = 3
REPEATS = 7
LIMIT_MS = 150.0
RATIO_LIMIT = 1.5
CITY = "980100"  # 长白市: generate_bench_data's bench-handler-980100 supervises it
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
LEGAL_OFFICE = "bench-legal-office"
SYSADMIN = "bench-sysadmin"

# (page, persona, url)
PAGES = [
    ("dashboard", "province", "/dashboard/"),
    ("dashboard", "city", "/dashboard/"),
    ("todo", "province", "/workspace/"),
    ("todo", "city", "/workspace/"),
    ("todo", "agency_staff", "/workspace/"),
    ("todo", "legal_office", "/workspace/"),
    ("todo", "sysadmin", "/workspace/"),
    ("admin_index", "sysadmin", "/admin/"),
]


def small_database_url(large: str) -> str:
    if os.environ.get("BENCH_SMALL_DATABASE_URL"):
        return os.environ["BENCH_SMALL_DATABASE_URL"]
    base, _slash, name = large.rpartition("/")
    name, _q, query = name.partition("?")
    return f"{base}/{name}_200k" + (f"?{query}" if query else "")


def _fill(ctx: harness.Context, url: str, args: list[str]) -> float:
    """Migrate `url`'s database, load the demo province (as `harness.prepare` does the run's:
    the panels then have the same kinds of rows to show at both sizes) and top up the data."""
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
    return round(time.perf_counter() - started, 1)


def _measure_once(ctx: harness.Context, url: str) -> dict:
    env = {**ctx.env, "DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, __file__, "--measure"],
        cwd=harness.ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(ctx: harness.Context) -> dict:
    load_before = round(os.getloadavg()[0], 2)
    sizes = {"small": small_database_url(ctx.database_url), "large": ctx.database_url}
    generate_s = {
        "small": _fill(ctx, sizes["small"], SMALL_ARGS),
        "large": _fill(ctx, sizes["large"], LARGE_ARGS),
    }
    rounds: dict[str, list[dict]] = {"small": [], "large": []}
    for _ in range(ROUNDS):
        for size in ("small", "large"):  # alternating, so that the machine's mood is shared
            rounds[size].append(_measure_once(ctx, sizes[size]))
    pages = {}
    for key in rounds["large"][0]["pages"]:
        entry = {}
        for size in ("small", "large"):
            times = [r["pages"][key]["ms"] for r in rounds[size]]
            entry[size] = {
                "ms": round(statistics.median(times), 1),
                "ms_rounds": times,
                "queries": sorted({r["pages"][key]["queries"] for r in rounds[size]}),
                "status": sorted({r["pages"][key]["status"] for r in rounds[size]}),
            }
        entry["ratio"] = round(entry["large"]["ms"] / entry["small"]["ms"], 2)
        entry["queries_equal"] = entry["small"]["queries"] == entry["large"]["queries"]
        entry["within_limit"] = entry["large"]["ms"] <= LIMIT_MS
        entry["ratio_within_limit"] = entry["ratio"] <= RATIO_LIMIT
        pages[key] = entry
    return {
        "data_size": {size: rounds[size][0]["data_size"] for size in ("small", "large")},
        "generate_s": generate_s,
        "pages": pages,
        "all_within_limit": all(p["within_limit"] for p in pages.values()),
        "all_ratios_within_limit": all(p["ratio_within_limit"] for p in pages.values()),
        "all_queries_equal": all(p["queries_equal"] for p in pages.values()),
        "config": {
            "rounds": ROUNDS,
            "repeats": REPEATS,
            "limit_ms": LIMIT_MS,
            "ratio_limit": RATIO_LIMIT,
            "databases": {size: url.rpartition("/")[2] for size, url in sizes.items()},
            "load_average_before": load_before,
        },
        "machine": harness.machine_info(),
    }


def summary(result: dict) -> str:
    size = result["data_size"]
    lines = [
        f"{NAME}: {size['small']['cases']:,} → {size['large']['cases']:,} cases,"
        f" {size['small']['complaints']:,} → {size['large']['complaints']:,} complaints,"
        f" {size['large']['published_items']:,} published items"
    ]
    for key, page in result["pages"].items():
        lines.append(
            f"  {key}: {page['small']['ms']} → {page['large']['ms']} ms"
            f" (×{page['ratio']}), queries {page['small']['queries']} → {page['large']['queries']}"
        )
    lines.append(
        f"  within {LIMIT_MS:.0f} ms: {result['all_within_limit']};"
        f" ratios ≤ {RATIO_LIMIT}: {result['all_ratios_within_limit']};"
        f" query counts equal: {result['all_queries_equal']}"
    )
    return "\n".join(lines)


# --- the measuring process (one size, one round) ------------------------------------------------


def _personas() -> dict:
    from portal.models import User
    from portal.roles import Role
    from portal.services import user_assign_role

    users = User.objects.select_related("region", "agency")
    inspector = users.get(username="bench-inspector")
    legal, made = User.objects.get_or_create(username=LEGAL_OFFICE, defaults={"name": "基准法制"})
    if made or legal.agency_id != inspector.agency_id:
        user_assign_role(user=legal, role=Role.LEGAL_OFFICE, actor=None, agency=inspector.agency)
    admin, made = User.objects.get_or_create(
        username=SYSADMIN, defaults={"name": "基准管理员", "is_staff": True}
    )
    if made:
        user_assign_role(user=admin, role=Role.SYSADMIN, actor=None)
    return {
        "province": users.get(username="bench-supervisor"),
        "city": users.get(username=f"bench-handler-{CITY}"),
        "agency_staff": inspector,
        "legal_office": users.get(username=LEGAL_OFFICE),
        "sysadmin": users.get(username=SYSADMIN),
    }


def _page(client, url: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: templates, caches, the connection
    times, statuses, counts = [], set(), set()
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        statuses.add(response.status_code)
        counts.add(len(queries))
    return {
        "ms": round(statistics.median(times), 2),
        "queries": max(counts),
        "status": max(statuses),
    }


def _measure() -> dict:
    sys.path.insert(0, str(harness.ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from complaints.models import Complaint
    from enforcement.models import Case, PublishedPowerItem

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    personas = _personas()
    clients = {}
    for name, user in personas.items():
        clients[name] = Client()
        clients[name].force_login(user)
    pages = {f"{page}:{persona}": _page(clients[persona], url) for page, persona, url in PAGES}
    return {
        "data_size": {
            "cases": Case.objects.count(),
            "complaints": Complaint.objects.count(),
            "published_items": PublishedPowerItem.objects.count(),
        },
        "pages": pages,
    }


if __name__ == "__main__" and sys.argv[1:] == ["--measure"]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    print(json.dumps(_measure()))
