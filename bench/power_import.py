"""Import of a 10,000-row power-list workbook: target ≤ 15 s and ≤ 300 MB peak memory.

The parent writes a generated workbook (the layout of a government list, a few rows with problems)
to a temporary file; a fresh child process then runs the import services exactly as the Celery
tasks do (upload, dry run, import of the valid rows) against the bench database, and reports its
wall time and its peak resident memory (ru_maxrss, so the workbook generation is not counted).
The child removes what it created, so the benchmark can run again on the same database.
"""

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NAME = "power_import"
ROWS = 10_000
BAD_EVERY = 50  # one row in fifty has an unknown category, so the error report is exercised
TARGET_SECONDS = 15
TARGET_MB = 300
ROOT = Path(__file__).resolve().parent.parent
HEADER = ["序号", "事项编码", "事项名称", "子项名称", "权力类型", "设定依据", "实施依据",
          "实施主体", "承办机构", "行使层级", "责任事项", "追责情形", "备注"]  # fmt: skip
CATEGORIES = ["行政许可", "行政处罚", "行政强制", "行政检查", "行政确认", "行政奖励"]


def write_workbook(path: Path, agency_name: str, titles: tuple[str, str]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("权责清单")
    sheet.append([f"{agency_name}权责清单"])
    sheet.append(HEADER)
    for n in range(1, ROWS + 1):
        category = "行政审批" if n % BAD_EVERY == 0 else CATEGORIES[n % len(CATEGORIES)]
        sheet.append([
            n, f"BENCH-{n:05d}", f"对违反食品安全管理规定第{n}项行为的{category[2:]}",
            "" if n % 3 else f"子项{n}", category,
            f"《{titles[0]}》第{n % 150 + 1}条", f"《{titles[1]}》第{n % 40 + 1}条",
            agency_name, "执法监督科", "市级",
            "1.立案责任：发现涉嫌违法行为，予以审查，决定是否立案。" * 3,
            "因不履行或不正确履行行政职责，有下列情形的，行政机关及其工作人员应当承担责任。" * 2,
            "",
        ])  # fmt: skip
    book.save(path)


def child(workbook: str, run_id: str) -> None:
    """Runs in its own process: set up Django, import, print one JSON line."""
    import resource

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from datetime import date

    from django.core.files import File
    from django.core.files.storage import default_storage

    from enforcement.models import Agency, ImportJob, LegalBasis, PowerItem, Region
    from enforcement.services import imports
    from portal.models import User
    from portal.roles import Role
    from portal.services import user_assign_role

    region = Region.objects.order_by("path").filter(level=Region.Level.CITY).first()
    agency = Agency.objects.create(
        name=f"基准测试执法局{run_id}", region=region, kind=Agency.Kind.DEPARTMENT,
        credit_code=_credit_code(run_id),
    )  # fmt: skip
    user = User.objects.create(username=f"bench-import-{run_id}")
    user = user_assign_role(user=user, role=Role.AGENCY_STAFF, actor=None, agency=agency)
    for n in (1, 2):
        LegalBasis.objects.create(
            title=f"基准测试法{run_id}-{n}", issuer="基准", level="law",
            published_on=date(2020, 1, 1),
        )  # fmt: skip
    started = time.perf_counter()
    with open(workbook, "rb") as handle:
        job = imports.import_job_create(upload=File(handle, name="清单.xlsx"), actor=user)
    checked_at = time.perf_counter()
    job.refresh_from_db()
    imports.import_job_start(job=job, actor=user)
    job.refresh_from_db()
    finished = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    result = {
        "seconds": round(finished - started, 2),
        "dry_run_seconds": round(checked_at - started, 2),
        "import_seconds": round(finished - checked_at, 2),
        "peak_rss_mb": round(peak_mb, 1),
        "status": job.status,
        "rows": job.total_rows,
        "valid_rows": job.valid_rows,
        "invalid_rows": job.invalid_rows,
        "created_items": job.created_items,
    }
    # Leave the bench database as it was.
    for name in (job.upload, job.error_report):
        if name:
            default_storage.delete(name)
    ImportJob.objects.filter(pk=job.pk).delete()
    PowerItem.objects.filter(agency=agency).delete()
    print(json.dumps(result), flush=True)


def _credit_code(run_id: str) -> str:
    from enforcement.validators import credit_code_check_char

    body = f"11229999{int(run_id) % 10**9:09d}"
    return body + credit_code_check_char(body)


def run(ctx) -> dict:
    from enforcement.services.imports import BATCH_ROWS

    run_id = str(int(time.time()))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench-list.xlsx"
        agency_name = f"基准测试执法局{run_id}"
        write_workbook(path, agency_name, (f"基准测试法{run_id}-1", f"基准测试法{run_id}-2"))
        size = path.stat().st_size
        completed = subprocess.run(
            [sys.executable, __file__, "--child", str(path), run_id],
            cwd=ROOT, env=ctx.env, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
    if completed.returncode != 0:
        raise RuntimeError(f"the import child failed:\n{completed.stderr[-3000:]}")
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    figures = json.loads(lines[-1])
    return {
        **figures,
        "workbook_bytes": size,
        "targets": {"seconds": TARGET_SECONDS, "peak_rss_mb": TARGET_MB},
        "meets_targets": figures["seconds"] <= TARGET_SECONDS
        and figures["peak_rss_mb"] <= TARGET_MB,
        "config": {"rows": ROWS, "batch_rows": BATCH_ROWS, "database": ctx.database_label},
    }


def summary(result: dict) -> str:
    return (
        f"power_import: {result['rows']} rows ({result['workbook_bytes'] // 1024} KB) in "
        f"{result['seconds']} s (dry run {result['dry_run_seconds']} s, import "
        f"{result['import_seconds']} s), peak RSS {result['peak_rss_mb']} MB; "
        f"{result['created_items']} drafts, {result['invalid_rows']} rows reported; "
        f"targets ≤ {TARGET_SECONDS} s and ≤ {TARGET_MB} MB: "
        + ("met" if result["meets_targets"] else "NOT met")
    )


if __name__ == "__main__" and sys.argv[1:2] == ["--child"]:
    child(sys.argv[2], sys.argv[3])
