"""Accountability at a province's size (issue 13 "Scale": the evaluation's bench data plus 50,000
clues; the clue lists and the handler's queue within 200 ms with a query count independent of the
data size; the reverse-tracing check of one substantiated complaint in constant time).

The data is `generate_bench_data --preset province` (shared with `assessment_figures`: a top-up,
nothing regenerated when it is there). The setup then tops the province's clue register up to
CLUES clues, written in bulk with their numbers taken from the register's counter (unique and
gapless): spread over the province's agencies and every source, a third closed with a finding, a
third being handled (HANDLED_BY_PROVINCE of them by the province's supervisor, the others by the
city handlers), the rest registered.

Measured in one run, small beside large:

- `pages`: the clue register (first page, last page, one agency, open only, overdue), the
  handler's queue and the clue API, the case register (first and last page), the handler's cases
  and the cases' API (a case for every fifth clue being handled), as the first city's
  supervisor (the clues of one city: small) and as the province's supervisor (all of them:
  large): median ms of PAGE_REPEATS, queries;
- `trace`: `complaint_trace` of one substantiated complaint whose history has a late
  acknowledgement (the clues it opens rolled back after each run), with the clue table as it is
  (large) and emptied inside the rolled-back transaction (small): median ms and queries, and the
  plan of each of its reads under EXPLAIN ANALYZE.
"""

import os
import shlex
import statistics
import time
from datetime import timedelta

import harness
from assessment_officers import INDEX_PATTERN, page

NAME = "accountability_clues"
CLUES = int(os.environ.get("BENCH_CLUES", "50000"))
HANDLED_BY_PROVINCE = 2_000
TRACE_REPEATS = 7
GENERATOR_ARGS = shlex.split(os.environ.get("BENCH_FIGURES_ARGS", "--preset province"))
PROVINCE, CITY = "980000", "980100"
BATCH = 5_000


# --- setup ---------------------------------------------------------------------------------------


def _top_up() -> int:
    """Add clues to the province's register until it holds CLUES; returns how many were added."""
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone
    from django.utils.timezone import localdate

    from accountability.models import Clue, ClueCounter
    from enforcement.models import Agency, Region
    from portal.models import User

    province = Region.objects.get(code=PROVINCE)
    have = Clue.objects.filter(region=province).count()
    if have >= CLUES:
        return 0
    agencies = list(
        Agency.objects.filter(region__code__startswith="98")
        .exclude(kind="government")
        .order_by("pk")
        .values_list("pk", "region__path")
    )
    supervisor = User.objects.get(username="bench-supervisor")
    handlers = {
        user.region.path: user
        for user in User.objects.filter(username__startswith="bench-handler-").select_related(
            "region"
        )
    }
    sources = [s for s in Clue.Source.values if s not in ("complaint", "inspection", "file_review")]
    sources = [s for s in sources if s not in ("remedy", "overdue", "reverse")]
    today, year, now = localdate(), localdate().year, timezone.now()
    made = 0
    while have + made < CLUES:
        size = min(BATCH, CLUES - have - made)
        with transaction.atomic():
            counter, _ = ClueCounter.objects.select_for_update().get_or_create(
                region=province, year=year
            )
            first = counter.last + 1
            rows = []
            for offset in range(size):
                n = have + made + offset
                agency_id, path = agencies[n % len(agencies)]
                city = "/".join(path.strip("/").split("/")[:2]) + "/"
                kind = n % 3
                received = today - timedelta(days=n % 120)
                clue = Clue(
                    number=f"ZJ-{PROVINCE}-{year}-{first + offset:06d}",
                    region=province,
                    year=year,
                    sequence=first + offset,
                    agency_id=agency_id,
                    source=sources[n % len(sources)],
                    external_body="群众来信",
                    summary=f"基准测试线索 {n}：执法人员涉嫌违规执法。",
                    received_on=received,
                    registered_by=supervisor,
                    due_on=received + timedelta(days=42),
                )
                if kind == 0:
                    clue.status = Clue.Status.CLOSED
                    clue.finding = Clue.Finding.NOT_RESPONSIBLE
                    clue.reasons = "经核查，未发现执法人员存在过错。"
                    clue.closed_at, clue.closed_by = now, supervisor
                elif kind == 1:
                    clue.status = Clue.Status.HANDLING
                    by_province = (n // 3) % 25 == 0 and made + offset < HANDLED_BY_PROVINCE * 25
                    clue.handler = supervisor if by_province else handlers.get(city, supervisor)
                    clue.assigned_at = now
                rows.append(clue)
            Clue.objects.bulk_create(rows, batch_size=1_000)
            ClueCounter.objects.filter(pk=counter.pk).update(last=F("last") + size)
        made += size
    return made


def _cases() -> int:
    """One case for every fifth clue being handled (its handler the clue's), in the handling
    step, written in bulk; returns how many were added."""
    from django.db.models import Q

    from accountability.models import Clue, Proceeding

    wanted = (
        Clue.objects.filter(
            region__code=PROVINCE, status=Clue.Status.HANDLING, proceeding__isnull=True
        )
        .filter(Q(sequence__endswith="0") | Q(sequence__endswith="5"))
        .order_by("pk")
    )
    rows, made = [], 0
    for clue in wanted.iterator(chunk_size=BATCH):
        rows.append(
            Proceeding(
                clue=clue,
                number="WZ-" + clue.number.removeprefix("ZJ-"),
                agency_id=clue.agency_id,
                handler_id=clue.handler_id,
                step=Proceeding.Step.HANDLING,
                step_started_on=clue.received_on,
                step_due_on=clue.received_on + timedelta(days=42 + made % 30),
                opened_by_id=clue.registered_by_id,
            )
        )
        made += 1
        if len(rows) == BATCH:
            Proceeding.objects.bulk_create(rows, batch_size=1_000)
            rows = []
    Proceeding.objects.bulk_create(rows, batch_size=1_000)
    return made


def _trace_complaint():
    """A substantiated complaint of the first city decided after its acknowledgement deadline
    (made so once, idempotently), for the reverse-tracing check."""
    from complaints.models import Complaint, Result

    complaint = (
        Complaint.objects.filter(
            agency__region__code__startswith=CITY[:4], decided_at__isnull=False
        )
        .order_by("pk")
        .first()
    )
    late = complaint.decided_at.date() - timedelta(days=5)
    if complaint.result != Result.SUBSTANTIATED or complaint.acknowledge_by != late:
        Complaint.objects.filter(pk=complaint.pk).update(
            result=Result.SUBSTANTIATED, acknowledge_by=late
        )
    return Complaint.objects.get(pk=complaint.pk)


def setup() -> dict:
    from django.db import connection

    added = _top_up()
    cases = _cases()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE accountability_clue")
        cursor.execute("VACUUM ANALYZE accountability_proceeding")
    return {"clues_added": added, "cases_added": cases, "complaint": _trace_complaint()}


def sizes() -> dict:
    from accountability.models import Clue, Proceeding

    rows = Clue.objects.filter(region__code=PROVINCE)
    city = f"{PROVINCE}/{CITY}/"
    return {
        "clues": rows.count(),
        "clues_of_city": rows.filter(agency__region__path__startswith=city).count(),
        "handling": rows.filter(status=Clue.Status.HANDLING).count(),
        "closed": rows.filter(status=Clue.Status.CLOSED).count(),
        "cases": Proceeding.objects.filter(clue__region__code=PROVINCE).count(),
    }


# --- measuring -----------------------------------------------------------------------------------


def pages(user, handler) -> dict:
    from django.urls import reverse

    from accountability.models import Clue
    from accountability.selectors.clues import clues_visible

    register = reverse("accountability:clue-list")
    from accountability.selectors.proceedings import proceedings_visible

    last = clues_visible(user).count() // 50 + 1  # the register's pages hold 50
    cases = reverse("accountability:case-list")
    last_case = proceedings_visible(user).count() // 50 + 1
    api = reverse("api:accountability-clues")
    agency_id = (
        Clue.objects.filter(handler=handler).order_by("pk").values_list("agency_id", flat=True)[0]
    )
    return {
        "register": page(register, user),
        "register_last": page(f"{register}?page={last}", user),
        "register_agency": page(f"{register}?agency={agency_id}", user),
        "register_open": page(f"{register}?status=handling", user),
        "register_overdue": page(f"{register}?overdue=1", user),
        "queue": page(reverse("accountability:clue-queue"), handler),
        "api": page(api, user),
        "api_last": page(f"{api}?page=last", user),
        "cases": page(cases, user),
        "cases_last": page(f"{cases}?page={last_case}", user),
        "case_queue": page(reverse("accountability:case-queue"), handler),
        "cases_api": page(reverse("api:accountability-cases"), user),
    }


def _trace_once(complaint, actor, empty: bool) -> dict:
    from django.db import connection, transaction

    from accountability.services.tracing import complaint_trace

    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    with transaction.atomic():
        if empty:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM accountability_clueevent")
                cursor.execute("DELETE FROM accountability_clue")
        started = time.perf_counter()
        with connection.execute_wrapper(count):
            opened = complaint_trace(complaint=complaint, actor=actor)
        ms = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    if not opened:
        raise RuntimeError("the bench complaint's trace opened no clue")
    return {"ms": ms, "queries": statements, "opened": len(opened)}


def trace(complaint, actor, *, empty: bool) -> dict:
    runs = [_trace_once(complaint, actor, empty) for _ in range(TRACE_REPEATS)]
    return {
        "median_ms": round(statistics.median(r["ms"] for r in runs), 2),
        "times_ms": [round(r["ms"], 2) for r in runs],
        "queries": runs[0]["queries"],
        "clues_opened": runs[0]["opened"],
    }


def trace_plans(complaint) -> dict:
    """The reads of the trace that grow with the data, under EXPLAIN ANALYZE."""
    import re

    from django.db import connection

    from accountability.models import Clue
    from complaints.models import Complaint

    reads = {
        "origin": Clue.objects.filter(complaint=complaint, source=Clue.Source.COMPLAINT),
        "done": Clue.objects.filter(traced_complaint=complaint).values_list("trace_check"),
        "refused": Complaint.objects.filter(
            fingerprint=complaint.fingerprint,
            status=Complaint.Status.REFUSED,
            registered_at__lt=complaint.registered_at,
        ).order_by("registered_at", "pk")[:1],
    }
    found = {}
    for name, queryset in reads.items():
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        found[name] = {
            "plan": plan,
            "indexes": sorted({a or b for a, b in INDEX_PATTERN.findall(plan)}),
            "seq_scans": sorted(set(re.findall(r"Seq Scan on (\w+)", plan))),
            "execution_ms": float(re.search(r"Execution Time: ([\d.]+)", plan)[1]),
        }
    return found


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
    province = User.objects.get(username="bench-supervisor")
    city = User.objects.get(username=f"bench-handler-{CITY}")
    complaint = made.pop("complaint")
    result = {
        "generator_args": GENERATOR_ARGS,
        "generate_s": generate_s,
        "setup_s": setup_s,
        "setup_made": made,
        "data_size": sizes(),
        "pages": {"small": pages(city, city), "large": pages(province, province)},
        "trace": {
            "complaint": complaint.number,
            "small": trace(complaint, province, empty=True),
            "large": trace(complaint, province, empty=False),
            "plans": trace_plans(complaint),
        },
    }
    small, large = result["pages"]["small"], result["pages"]["large"]
    result["pages_equal_queries"] = {
        name: small[name]["queries"] == large[name]["queries"] for name in large
    }
    result["pages_within_200_ms"] = all(p["within_200_ms"] for p in large.values())
    t = result["trace"]
    t["equal_queries"] = t["small"]["queries"] == t["large"]["queries"]
    t["ratio_large_to_small"] = round(t["large"]["median_ms"] / t["small"]["median_ms"], 2)
    result["config"] = {
        "database": ctx.database_label,
        "load_average_before": load_before,
        "page_repeats": 7,
        "trace_repeats": TRACE_REPEATS,
    }
    result["notes"] = list(ctx.notes)
    result["machine"] = harness.machine_info()
    connection.close()
    return result


def summary(result: dict) -> str:
    size = result["data_size"]
    lines = [
        f"{NAME}: {size['clues']} clues in the province's register"
        f" ({size['clues_of_city']} of the first city)",
        f"  {'page':<20}{'city ms':>10}{'q':>4}{'province ms':>13}{'q':>4}",
    ]
    small, large = result["pages"]["small"], result["pages"]["large"]
    for name in large:
        lines.append(
            f"  {name:<20}{small[name]['median_ms']:>10}{small[name]['queries']:>4}"
            f"{large[name]['median_ms']:>13}{large[name]['queries']:>4}"
        )
    t = result["trace"]
    lines.append(
        f"  reverse trace of {t['complaint']}: {t['small']['median_ms']} ms"
        f" ({t['small']['queries']} q) with no clue, {t['large']['median_ms']} ms"
        f" ({t['large']['queries']} q) with {size['clues']}; ratio {t['ratio_large_to_small']}"
    )
    for name, plan in t["plans"].items():
        lines.append(
            f"  plan {name:<10}{plan['execution_ms']:>8} ms  indexes: {', '.join(plan['indexes'])}"
            f"  seq scans: {', '.join(plan['seq_scans']) or '-'}"
        )
    return "\n".join(lines)
