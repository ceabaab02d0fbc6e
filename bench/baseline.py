"""Baseline: a trivial view and the home page under gunicorn, loaded by wrk.

The trivial view (plain "ok", no template, no query) is the most the stack can serve on this
machine; the home page adds the middleware's work, a template and the i18n context. Every later
benchmark is read against these figures, measured in the same run as its own.
"""

import os

import harness

NAME = "baseline"
PAGES = {"trivial": "/bench/trivial/", "home": "/"}


def data_size() -> dict[str, int]:
    from enforcement.models import Agency, Officer, Region

    return {
        "regions": Region.objects.count(),
        "agencies": Agency.objects.count(),
        "officers": Officer.objects.count(),
    }


def run(ctx: harness.Context) -> dict:
    result = {"data_size": data_size()}
    # Other work on the machine skews every figure: the 1-minute load before the run tells.
    load_before = round(os.getloadavg()[0], 2)
    with harness.gunicorn(ctx) as server:
        for name, path in PAGES.items():
            print(f"{NAME}: {path} for {ctx.warmup} + {ctx.duration} s", flush=True)
            result[name] = {"path": path, **harness.load(ctx, server.url + path)}
    ratio = result["home"]["requests_per_s"] / result["trivial"]["requests_per_s"]
    result["home_vs_trivial_throughput"] = round(ratio, 3)
    result["config"] = harness.load_config(ctx, server, load_before)
    result["notes"] = list(ctx.notes)
    return result


def summary(result: dict) -> str:
    lines = harness.summary_header(NAME, result) + [
        f"  {'page':<18}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}{'non-2xx':>9}",
    ]
    for name in PAGES:
        figures = result[name]
        latency = figures["latency_ms"]
        lines.append(
            f"  {figures['path']:<18}{figures['requests_per_s']:>9.1f}{latency['p50']:>9.2f}"
            f"{latency['p95']:>9.2f}{latency['p99']:>9.2f}"
            f"{sum(figures['errors'].values()):>8}{figures['non_2xx']:>9}"
        )
    lines.append(f"  home / trivial throughput: {result['home_vs_trivial_throughput']:.3f}")
    lines += [f"  note: {note}" for note in result["notes"]]
    return "\n".join(lines)
