"""The yearly implementation report (R31) for the whole bench province, this year: under 10 s.

`generate_bench_data` fills the database (`--preset province` by default: 1,500 agencies, 1,000,000
complaints, 2,000,000 cases; `BENCH_REPORT_ARGS` replaces the arguments for a quicker look), the
tables are analysed, the province's supervisor opens the report (`report_open`), then REPEATS
times: the content (the dashboard's `figures_for` for the province and the year, and the plans'
milestones) with its query count, and each file made from it (Word, PDF, Excel annex), in
seconds; the total of the slowest run must stay under 10 s.
"""

import os
import shlex
import statistics
import time

import harness

NAME = "annual_report"
REPEATS = 3
LIMIT_S = 10.0
GENERATOR_ARGS = shlex.split(os.environ.get("BENCH_REPORT_ARGS", "--preset province"))


def _timed(function, *args, **kwargs):
    started = time.perf_counter()
    value = function(*args, **kwargs)
    return value, round(time.perf_counter() - started, 3)


def measure() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils.timezone import localdate

    from enforcement.models import Region
    from portal.models import User
    from reporting.documents.annex import report_xlsx
    from reporting.documents.pdf import report_pdf
    from reporting.documents.word import report_docx
    from reporting.selectors.reports import report_content
    from reporting.services.reports import report_open

    supervisor = User.objects.get(username="bench-supervisor")
    province = Region.objects.get(pk=supervisor.region_id)
    report = report_open(region=province, year=localdate().year, actor=supervisor)
    runs = []
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as captured:
            content, content_s = _timed(report_content, report, user=supervisor)
        _docx, word_s = _timed(report_docx, content)
        _pdf, pdf_s = _timed(report_pdf, content)
        _xlsx, annex_s = _timed(report_xlsx, content)
        runs.append(
            {
                "content_s": content_s,
                "queries": len(captured),
                "word_s": word_s,
                "pdf_s": pdf_s,
                "annex_s": annex_s,
                "total_s": round(content_s + word_s + pdf_s + annex_s, 3),
            }
        )
    totals = [run["total_s"] for run in runs]
    return {
        "region": province.name,
        "year": report.year,
        "runs": runs,
        "median_total_s": statistics.median(totals),
        "max_total_s": max(totals),
        "within_10_s": max(totals) < LIMIT_S,
    }


def run(ctx: harness.Context) -> dict:
    from django.db import connection

    from complaints.models import Complaint
    from enforcement.models import Case

    load_before = round(os.getloadavg()[0], 2)
    started = time.perf_counter()
    harness.manage(ctx, "generate_bench_data", *GENERATOR_ARGS, timeout=4 * 3600)
    generate_s = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    result = {
        "generator_args": GENERATOR_ARGS,
        "generate_s": generate_s,
        "data_size": {"complaints": Complaint.objects.count(), "cases": Case.objects.count()},
        "report": measure(),
        "config": {"database": ctx.database_label, "load_average_before": load_before},
        "notes": list(ctx.notes),
        "machine": harness.machine_info(),
    }
    connection.close()
    return result


def summary(result: dict) -> str:
    report = result["report"]
    size = ", ".join(f"{n} {label}" for label, n in result["data_size"].items())
    lines = [f"{NAME}: {size}; {report['region']} {report['year']}"]
    for run in report["runs"]:
        lines.append(
            f"  content {run['content_s']} s ({run['queries']} queries), Word {run['word_s']} s,"
            f" PDF {run['pdf_s']} s, Excel {run['annex_s']} s: {run['total_s']} s"
        )
    lines.append(f"  slowest {report['max_total_s']} s; within 10 s: {report['within_10_s']}")
    return "\n".join(lines)
