"""Complaint intake through the public API (POST /api/v1/complaints/), R15 under load (issue 4).

wrk POSTs JSON complaints (complaint_intake.lua: each request with its own description and
phone, so none is refused as a repeat) to gunicorn on PostgreSQL, all into one register, so every
request queues on the same counter row. The trivial view is measured in the same run for the
ratio. Target: ≥ 0.3× the trivial view's throughput, no answer other than 201.

Afterwards the register is checked in the database (R15): every number unique, and the
sequences gapless, 1..n with n the number of 201 answers (warm-up and measured runs together).
The register is a bench city of its own (989900), emptied before each run. Rate limits are off
in the server (RATELIMIT_ENABLE=0) and notices are queued on Redis as in production.
"""

import dataclasses
import os

import harness

NAME = "complaint_intake"
PATH = "/api/v1/complaints/"
SCRIPT = harness.BENCH / "complaint_intake.lua"
TARGET_RATIO = 0.3
BROKER_URL = "redis://127.0.0.1:6379/13"


def register_agency():
    """The bench register's agency, its complaints removed (their counters too)."""
    from complaints.benchdata import complaints_delete
    from enforcement.demo.subjects import credit_code
    from enforcement.models import Agency, Region
    from portal.benchdata import INTAKE_REGION, PROVINCE

    province, _ = Region.objects.get_or_create(
        code=PROVINCE[0], defaults={"name": PROVINCE[1], "level": Region.Level.PROVINCE}
    )
    region, _ = Region.objects.get_or_create(
        code=INTAKE_REGION[0],
        defaults={"name": INTAKE_REGION[1], "level": Region.Level.CITY, "parent": province},
    )
    agency, _ = Agency.objects.get_or_create(
        region=region,
        name=f"{INTAKE_REGION[1]}市场监督管理局",
        defaults={
            "kind": Agency.Kind.DEPARTMENT,
            "credit_code": credit_code(region.code, 1),
            "supervision_phone": "0431-88880000",
            "address": f"{INTAKE_REGION[1]}人民大街1号",
        },
    )
    complaints_delete([region.pk])
    return agency


def check_register(agency, created: int, in_flight: int) -> dict:
    """R15: numbers unique; per year, count == max(sequence), min 1; the count is the 201
    answers wrk saw plus at most the requests in flight when it stopped (`in_flight`: wrk drops
    their answers, the server still registers them)."""
    from django.db.models import Count, Max, Min

    from complaints.models import Complaint, RegisterCounter

    rows = Complaint.objects.filter(region_id=agency.region_id)
    registers = list(
        rows.values("year").annotate(n=Count("pk"), low=Min("sequence"), high=Max("sequence"))
    )
    numbers = rows.count()
    distinct = rows.values("number").distinct().count()
    counters = dict(
        RegisterCounter.objects.filter(region_id=agency.region_id).values_list("year", "last")
    )
    return {
        "registers": registers,
        "complaints": numbers,
        "responses_201": created,
        "numbers_unique": numbers == distinct,
        "gapless": all(r["low"] == 1 and r["high"] == r["n"] for r in registers),
        "counter_matches": all(counters.get(r["year"]) == r["n"] for r in registers),
        "unanswered_in_flight": numbers - created,
        "count_matches_201": 0 <= numbers - created <= in_flight,
    }


def run(ctx: harness.Context) -> dict:
    from django.db import connection

    from portal.celery import app

    agency = register_agency()
    connection.close()
    env = {**ctx.env, "RATELIMIT_ENABLE": "0", "CELERY_BROKER_URL": BROKER_URL}
    server_ctx = dataclasses.replace(ctx, env=env)
    load_before = round(os.getloadavg()[0], 2)
    result = {"data_size": {"agency": agency.pk, "register": agency.region.code}}
    try:
        with harness.gunicorn(server_ctx) as server:
            print(f"{NAME}: /bench/trivial/ for {ctx.warmup} + {ctx.duration} s", flush=True)
            result["trivial"] = {
                "path": "/bench/trivial/",
                **harness.load(ctx, server.url + "/bench/trivial/"),
            }
            print(f"{NAME}: POST {PATH} for {ctx.warmup} + {ctx.duration} s", flush=True)
            args = (str(agency.pk),)
            warmup = harness.wrk(ctx, server.url + PATH, ctx.warmup, script=SCRIPT, args=args)
            figures = harness.wrk(ctx, server.url + PATH, ctx.duration, script=SCRIPT, args=args)
    finally:
        app.conf.broker_url = BROKER_URL
        app.control.purge()  # the notices queued by the requests (no worker runs here)
    figures["warmup_created"] = warmup["created"]
    figures["warmup_non_2xx"] = warmup["non_2xx"]
    figures["vs_trivial_throughput"] = round(
        figures["requests_per_s"] / result["trivial"]["requests_per_s"], 3
    )
    result["intake"] = {"path": PATH, **figures}
    result["register_check"] = check_register(
        agency, warmup["created"] + figures["created"], in_flight=2 * ctx.connections
    )
    check = result["register_check"]
    result["targets"] = {
        "ratio_ok": figures["vs_trivial_throughput"] >= TARGET_RATIO,
        "clean": sum(figures["errors"].values()) == 0
        and figures["non_2xx"] == 0
        and warmup["non_2xx"] == 0,
        "register_ok": check["numbers_unique"]
        and check["gapless"]
        and check["counter_matches"]
        and check["count_matches_201"],
    }
    result["config"] = harness.load_config(ctx, server, load_before) | {
        "target_ratio": TARGET_RATIO,
        "server_env": {"RATELIMIT_ENABLE": "0", "CELERY_BROKER_URL": BROKER_URL},
    }
    result["data_size"]["complaints_in_register"] = check["complaints"]
    result["notes"] = list(ctx.notes)
    return result


def summary(result: dict) -> str:
    lines = harness.summary_header(NAME, result)
    lines.append(
        f"  {'page':<22}{'req/s':>9}{'x triv':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}{'non-2xx':>9}"
    )
    for name in ("trivial", "intake"):
        figures = result[name]
        latency = figures["latency_ms"]
        lines.append(
            f"  {name + ' ' + figures['path']:<22}{figures['requests_per_s']:>9.1f}"
            f"{figures.get('vs_trivial_throughput', 1.0):>8.3f}"
            f"{latency['p50']:>9.2f}{latency['p95']:>9.2f}{latency['p99']:>9.2f}"
            f"{sum(figures['errors'].values()):>8}{figures['non_2xx']:>9}"
        )
    lines.append(register_line(result))
    lines.append("  targets: " + ", ".join(f"{k}={v}" for k, v in result["targets"].items()))
    lines += [f"  note: {note}" for note in result["notes"]]
    return "\n".join(lines)


def register_line(result: dict) -> str:
    """The register's check in a summary (this benchmark's and `intake_peers`')."""
    check = result["register_check"]
    return (
        f"  register {result['data_size']['register']}: {check['complaints']} complaints,"
        f" {check['responses_201']} answers 201; unique={check['numbers_unique']}"
        f" gapless={check['gapless']} counter={check['counter_matches']}"
        f" count=201s(+{check['unanswered_in_flight']} in flight)={check['count_matches_201']}"
    )
