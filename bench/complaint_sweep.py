"""The complaints' deadline sweep (R16, R17) on registers of 100,000 and 1,000,000 complaints with
the same 1,000 due complaints (issue 4).

Targets: one sweep ≤ 1 s at 1,000,000 complaints, and at most 1.5× its time at 100,000: its cost
follows the due complaints, not the register, because its claim queries read only the partial
indexes of unreminded and unescalated deadlines (their plans are stored with the figures).

For each size the registers are generated or topped up (`generate_bench_data --complaints M
--due N`), then the sweep runs in this process against the bench database, as the beat task
does: notices are queued on Redis after commit, as in production (the queue is purged after).
Between repetitions what the sweep did is undone (its marks, notices and timeline steps), so
every repetition does the same work; the median is reported.

At the same sizes it also times what a city supervisor's pages read from the register: the
first page of the register with its count, and the early-warning rows, with the index each plan
uses (the register's order must come from an index, not from sorting the city's rows).
"""

import os
import re
import statistics
import time

import harness

NAME = "complaint_sweep"
SIZES = [int(n) for n in os.environ.get("BENCH_COMPLAINT_SIZES", "100000,1000000").split(",")]
DUE = int(os.environ.get("BENCH_COMPLAINT_DUE", "1000"))
REPEATS = 7
TARGET_SECONDS = 1.0
TARGET_RATIO = 1.5
BROKER_URL = "redis://127.0.0.1:6379/13"  # the notices' queue, purged after each size


def data_size() -> dict[str, int]:
    from complaints.benchdata import due_complaints
    from complaints.models import Complaint
    from portal.benchdata import bench_region_ids

    regions = bench_region_ids()
    return {
        "complaints": Complaint.objects.count(),
        "bench_complaints": Complaint.objects.filter(region_id__in=regions).count(),
        "bench_open": Complaint.objects.filter(
            region_id__in=regions, status__in=Complaint.OPEN
        ).count(),
        "bench_due": due_complaints(regions).count(),
    }


def claim_statements() -> dict:
    """The queries by which the sweep claims its rows (see deadlines._claim)."""
    from django.utils.timezone import localdate

    from complaints.models import Complaint
    from complaints.services.deadlines import warning_horizon

    today = localdate()
    claims = {
        "reminders": ("reminded_on", {"due_on__lte": warning_horizon(today)}),
        "escalations": ("escalated_on", {"due_on__lt": today}),
    }
    return {
        name: Complaint.objects.filter(
            due_on__isnull=False, **{f"{field}__isnull": True}, **due_filter
        )
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)
        for name, (field, due_filter) in claims.items()
    }


def explain() -> dict:
    """EXPLAIN ANALYZE of each claim query, in a transaction rolled back (it locks the rows)."""
    from django.db import connection, transaction

    plans = {}
    with transaction.atomic():
        with connection.cursor() as cursor:
            for name, queryset in claim_statements().items():
                sql, params = queryset.query.sql_with_params()
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                plans[name] = {
                    "plan": plan,
                    "indexes": sorted(set(re.findall(r"(?:Scan using|Index Scan on) (\w+)", plan))),
                    "seq_scan": "Seq Scan on complaints_complaint" in plan,
                    "execution_ms": float(re.search(r"Execution Time: ([\d.]+)", plan)[1]),
                }
        transaction.set_rollback(True)
    return plans


def register_reads() -> dict:
    """Median milliseconds of a city supervisor's register page (50 rows and the count) and of
    its early-warning page, with the indexes their plans use."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils.timezone import localdate

    from complaints.selectors.staff import register_rows, warning_counts, warning_rows

    user = (
        get_user_model()
        .objects.filter(username__startswith="bench-handler-")
        .select_related("region")
        .order_by("username")
        .first()
    )
    today = localdate()
    reads = {
        "register_page": lambda: (
            list(register_rows(user=user)[:50]),
            register_rows(user=user).count(),
        ),
        "warnings_page": lambda: (
            list(warning_rows(user=user, today=today)[:50]),
            warning_counts(warning_rows(user=user, today=today), today=today),
        ),
    }
    figures = {"user_region": user.region.path}
    for name, read in reads.items():
        read()  # warm
        times = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            read()
            times.append((time.perf_counter() - started) * 1000)
        figures[name] = {"median_ms": round(statistics.median(times), 2)}
    for name, queryset in (
        ("register_page", register_rows(user=user)[:50]),
        ("warnings_page", warning_rows(user=user, today=today)[:50]),
    ):
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        figures[name]["indexes"] = sorted(
            set(re.findall(r"(?:Scan using|Index Scan on) (\w+)", plan))
        )
        figures[name]["sorts_the_rows"] = "Sort Key: complaints_complaint" in plan
    return figures


def sweep_once() -> tuple[float, dict]:
    from complaints.benchdata import complaints_sweep_undo
    from complaints.services.deadlines import complaint_deadlines_sweep

    complaints_sweep_undo()
    started = time.perf_counter()
    counts = complaint_deadlines_sweep()
    return time.perf_counter() - started, counts


def measure(ctx: harness.Context, size: int) -> dict:
    from django.db import connection

    from portal.celery import app

    print(f"{NAME}: {size} complaints, {DUE} due", flush=True)
    harness.manage(
        ctx, "generate_bench_data", "--complaints", str(size), "--due", str(DUE), timeout=3600
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE complaints_complaint")  # fresh statistics, visibility map
    figures = {"data_size": data_size(), "plans": explain(), "register": register_reads()}
    sweep_once()  # warm-up, not counted: it also claims any due demo complaint outside the bench
    runs = [sweep_once() for _ in range(REPEATS)]
    seconds = [round(s, 4) for s, _counts in runs]
    figures |= {
        "seconds": seconds,
        "median_s": round(statistics.median(seconds), 4),
        "counts": runs[-1][1],
    }
    from complaints.benchdata import complaints_sweep_undo

    complaints_sweep_undo()
    app.control.purge()
    connection.close()
    return figures


def run(ctx: harness.Context) -> dict:
    from portal.celery import app

    # Notices are queued on a broker after commit, as in production (not run in-process).
    app.conf.broker_url = BROKER_URL
    app.conf.task_always_eager = False
    load_before = round(os.getloadavg()[0], 2)
    result = {"due": DUE, "repeats": REPEATS, "sizes": {}}
    for size in SIZES:
        result["sizes"][str(size)] = measure(ctx, size)
    smallest, largest = (result["sizes"][str(n)] for n in (min(SIZES), max(SIZES)))
    ratio = round(largest["median_s"] / smallest["median_s"], 3)
    result["ratio"] = ratio
    result["targets"] = {
        "seconds_ok": largest["median_s"] <= TARGET_SECONDS,
        "ratio_ok": ratio <= TARGET_RATIO,
        # The claim's own partial index, or the one of all open deadlines, which the planner
        # may prefer while both are small: either way no scan of the register.
        "partial_indexes_used": all(
            not p["seq_scan"]
            and len(p["indexes"]) == 1
            and p["indexes"][0].startswith("complaint_due_")
            for figures in result["sizes"].values()
            for p in figures["plans"].values()
        ),
    }
    result["config"] = {
        "database": ctx.database_label,
        "load_average_before": load_before,
        "target_seconds": TARGET_SECONDS,
        "target_ratio": TARGET_RATIO,
        "broker": BROKER_URL,
    }
    result["notes"] = list(ctx.notes)
    return result


def summary(result: dict) -> str:
    lines = [
        f"{NAME}: {result['due']} due complaints, median of {result['repeats']} sweeps,"
        f" load average before {result['config']['load_average_before']}",
        f"  {'complaints':>12}{'median s':>10}{'min s':>8}{'max s':>8}{'reminded':>10}"
        f"{'escalated':>10}  claim plans (index, execution ms)",
    ]
    for size, figures in result["sizes"].items():
        plans = ", ".join(
            f"{name}: {'/'.join(p['indexes']) or 'NO INDEX'} {p['execution_ms']:.2f}"
            for name, p in figures["plans"].items()
        )
        lines.append(
            f"  {int(size):>12}{figures['median_s']:>10.3f}{min(figures['seconds']):>8.3f}"
            f"{max(figures['seconds']):>8.3f}{figures['counts']['reminded']:>10}"
            f"{figures['counts']['escalated']:>10}  {plans}"
        )
    for size, figures in result["sizes"].items():
        reads = figures["register"]
        lines.append(
            f"  {int(size):>12} complaints: register page {reads['register_page']['median_ms']} ms"
            f" ({'/'.join(reads['register_page']['indexes'])}), warnings page"
            f" {reads['warnings_page']['median_ms']} ms"
            f" ({'/'.join(reads['warnings_page']['indexes'])})"
        )
    targets = ", ".join(f"{k}={v}" for k, v in result["targets"].items())
    lines.append(f"  largest / smallest: {result['ratio']:.3f}; targets: {targets}")
    lines += [f"  note: {note}" for note in result["notes"]]
    return "\n".join(lines)
