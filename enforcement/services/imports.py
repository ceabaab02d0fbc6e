"""Importing a power list from an Excel workbook: upload, dry run, then import of the valid rows.

Both phases run as Celery tasks (in-process without a broker) and are idempotent: a phase runs
only from its own status, and the import commits batch by batch with the job's progress in the
same transaction, so a worker that restarts resumes after the last committed batch.
"""

import logging
import uuid
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from portal import scoping

from ..importing.rows import Context, Row, check_row
from ..importing.workbook import (
    WorkbookError,
    error_report,
    estimated_rows,
    find_header,
    open_workbook,
    read_rows,
)
from ..models import (
    Agency,
    ImportJob,
    LegalBasis,
    PowerItem,
    PowerItemBasis,
    PowerItemEvent,
    Region,
)
from ..models.powers import Level
from .power_items import refuse_own_list

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # a 10,000-row list is about 2 MB
MAX_ROWS = 20_000
BATCH_ROWS = 500  # rows per import transaction, and per progress update
PREVIEW_PROBLEMS = 200  # rows with problems shown on the page; all are in the report

_LEVEL_OF_REGION = {
    Region.Level.PROVINCE: Level.PROVINCE,
    Region.Level.CITY: Level.CITY,
    Region.Level.COMMITTEE: Level.CITY,
    Region.Level.COUNTY: Level.COUNTY,
}


def _own_agency(actor) -> Agency:
    agency = getattr(actor, "agency", None)
    if agency is None or not scoping.can_act_for(actor, agency):
        raise ValidationError(_("只有执法部门工作人员可以导入本单位的权责清单。"), code="forbidden")
    return agency


@transaction.atomic
def import_job_create(*, upload, actor) -> ImportJob:
    """Accept a workbook for the actor's agency and queue its dry run.

    The file is refused at once, with nothing stored, if it is not an .xlsx workbook, is too big,
    or has no recognisable heading in its first rows.
    """
    from ..tasks import import_check

    agency = _own_agency(actor)
    refuse_own_list(agency, field=None)
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:200]
    if not name.lower().endswith(".xlsx"):
        raise ValidationError(_("请上传 .xlsx 格式的 Excel 工作簿。"), code="extension")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("文件超过 %(mb)s MB，请拆分后分批导入。") % {"mb": MAX_UPLOAD_BYTES // 1024 // 1024},
            code="too_big",
        )
    upload.seek(0)
    try:
        book, sheet = open_workbook(upload)
        try:
            find_header(sheet)
        finally:
            book.close()
    except WorkbookError as exc:
        raise ValidationError(str(exc), code="workbook") from None
    upload.seek(0)
    stored = default_storage.save(f"imports/uploads/{uuid.uuid4().hex}.xlsx", upload)
    job = ImportJob(agency=agency, created_by=actor, original_name=name, upload=stored)
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: import_check.delay(job.pk))
    return job


@transaction.atomic
def import_job_start(*, job: ImportJob, actor) -> ImportJob:
    """After the dry run: import the valid rows as drafts, in the background."""
    from ..tasks import import_run

    agency = _own_agency(actor)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.agency_id != agency.pk:
        raise ValidationError(_("只能导入本单位的清单。"), code="forbidden")
    if job.status != ImportJob.Status.CHECKED:
        raise ValidationError(_("该文件不处于可导入的状态。"), code="state")
    if not job.valid_rows:
        raise ValidationError(_("没有可以导入的有效行。"), code="nothing")
    job.status = ImportJob.Status.IMPORTING
    job.processed_rows = 0
    job.save(update_fields=["status", "processed_rows"])
    transaction.on_commit(lambda: import_run.delay(job.pk))
    return job


def _context(agency: Agency) -> Context:
    bases: dict[str, tuple[int, bool]] = {}
    # In force first, so that a title held by an old and a new version resolves to the new one.
    for pk, title, status in LegalBasis.objects.order_by("-published_on").values_list(
        "pk", "title", "status"
    ):
        repealed = status == LegalBasis.Status.REPEALED
        if title not in bases or (bases[title][1] and not repealed):
            bases[title] = (pk, repealed)
    return Context(
        agency_name=agency.name,
        default_level=_LEVEL_OF_REGION.get(agency.region.level, Level.COUNTY),
        existing_codes=set(PowerItem.objects.filter(agency=agency).values_list("code", flat=True)),
        bases_by_title=bases,
    )


def _checked_rows(job: ImportJob, ctx: Context, *, on_total=None) -> Iterator[Row]:
    with default_storage.open(job.upload, "rb") as handle:
        book, sheet = open_workbook(handle)
        try:
            header = find_header(sheet)
            if on_total:
                on_total(estimated_rows(sheet, header))
            for count, raw in enumerate(read_rows(sheet, header), start=1):
                if count > MAX_ROWS:
                    raise WorkbookError(
                        _("超过 %(max)s 行，请拆分后分批导入。") % {"max": MAX_ROWS}
                    )
                row = check_row(raw.number, raw.cells, raw.basis_texts, ctx)
                if raw.formula_columns:
                    row.problems.insert(
                        0,
                        _("单元格含公式（%(columns)s 列），请改为文字。")
                        % {"columns": "、".join(raw.formula_columns)},
                    )
                yield row
        finally:
            book.close()


def _save_report(job: ImportJob, rows: list[Row]) -> str:
    if job.error_report:
        default_storage.delete(job.error_report)
    if not rows:
        return ""
    content = error_report(
        (row.number, row.values.get("code", ""), row.values.get("name", ""), " ".join(row.problems))
        for row in rows
    )
    return default_storage.save(f"imports/reports/{uuid.uuid4().hex}.xlsx", ContentFile(content))


def _preview(rows: list[Row]) -> list[dict]:
    return [
        {"row": row.number, "code": row.values.get("code", ""), "problems": row.problems}
        for row in rows[:PREVIEW_PROBLEMS]
    ]


def fail_job(job_id: int, message: str) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.FAILED, message=message[:300], finished_at=timezone.now()
    )


def import_job_check(*, job_id: int) -> ImportJob | None:
    """The dry run: every row's problems, counted, previewed and written to the error report.
    Does nothing unless the job is waiting for its check."""
    job = ImportJob.objects.select_related("agency__region").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.CHECKING:
        return job
    ctx = _context(job.agency)
    bad: list[Row] = []
    total = valid = 0

    def set_total(estimate: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(total_rows=estimate, processed_rows=0)

    try:
        for row in _checked_rows(job, ctx, on_total=set_total):
            total += 1
            if row.valid:
                valid += 1
            else:
                bad.append(row)
            if total % BATCH_ROWS == 0:
                ImportJob.objects.filter(pk=job_id).update(processed_rows=total)
    except WorkbookError as exc:
        fail_job(job_id, str(exc))
        return None
    job.error_report = _save_report(job, bad)
    job.total_rows = job.processed_rows = total
    job.valid_rows, job.invalid_rows = valid, len(bad)
    job.problems = _preview(bad)
    job.status = ImportJob.Status.CHECKED
    job.message = "" if total else _("工作簿中没有数据行。")
    job.save()
    return job


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Create the valid rows as drafts of the job's agency, batch by batch. Does nothing unless
    the job is importing; a batch already committed is never imported twice."""
    job = ImportJob.objects.select_related("agency__region", "created_by").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.IMPORTING:
        return job
    ctx = _context(job.agency)
    bad: list[Row] = []
    batch: list[Row] = []
    seen = 0
    try:
        for row in _checked_rows(job, ctx):
            seen += 1
            batch.append(row)
            if len(batch) == BATCH_ROWS:
                bad += _import_batch(job, batch, upto=seen)
                batch = []
        bad += _import_batch(job, batch, upto=seen)
    except WorkbookError as exc:
        fail_job(job_id, str(exc))
        return None
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status != ImportJob.Status.IMPORTING:
            return job
        job.error_report = _save_report(job, bad)
        job.invalid_rows = len(bad)
        job.problems = _preview(bad)
        job.status = ImportJob.Status.DONE
        job.finished_at = timezone.now()
        job.save()
    return job


def _import_batch(job: ImportJob, rows: list[Row], *, upto: int) -> list[Row]:
    """One transaction: the batch's valid rows become drafts, and the progress moves to `upto`.
    Returns the batch's rows with problems."""
    bad = [row for row in rows if not row.valid]
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != ImportJob.Status.IMPORTING or locked.processed_rows >= upto:
            # Committed by an earlier, interrupted run of this task: its rows now exist, so
            # checking them again would report them as duplicates of themselves.
            return []
        good = [row for row in rows if row.valid]
        items = []
        for row in good:
            item = PowerItem(agency=job.agency, status=PowerItem.Status.DRAFT, **row.values)
            # Uniqueness was checked against the agency's codes and the agency is the job's;
            # the database constraints still guard both, without queries per row here.
            item.full_clean(exclude=["agency"], validate_unique=False, validate_constraints=False)
            items.append(item)
        items = bulk_create_with_history(items, PowerItem, default_user=job.created_by)
        PowerItemBasis.objects.bulk_create(
            PowerItemBasis(item=item, basis_id=basis_id, articles=articles)
            for item, row in zip(items, good, strict=True)
            for basis_id, articles in row.bases
        )
        note = _("从《%(file)s》第 %(row)s 行导入")
        PowerItemEvent.objects.bulk_create(
            PowerItemEvent(
                item=item,
                kind=PowerItemEvent.Kind.IMPORTED,
                actor=job.created_by,
                note=note % {"file": job.original_name, "row": row.number},
            )
            for item, row in zip(items, good, strict=True)
        )
        locked.processed_rows = upto
        locked.created_items += len(items)
        locked.save(update_fields=["processed_rows", "created_items"])
    return bad
