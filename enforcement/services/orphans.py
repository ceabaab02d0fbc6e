"""Files in storage that no row names: what an upload leaves behind when its transaction fails.

A case record's or a complaint attachment's file is written to storage before its row is
inserted. The services delete the file when their own work fails, but a transaction that rolls
back after they return (an outer atomic block, a failed commit, a worker killed mid-request)
leaves the file without a row. The daily sweep lists the upload folders through the storage API
(listdir, never the local disk, so that an S3-compatible store works the same) and deletes a
file that no file field of any model names once it is older than ORPHAN_FILE_GRACE_HOURS: a file
whose transaction may still commit is always younger than that.
"""

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

logger = logging.getLogger(__name__)

# Folders whose every file belongs to a file field: case records (cases/), complaint attachments
# (complaints/). imports/ is left alone: import jobs name their workbooks in text fields.
SWEPT_FOLDERS = ("cases", "complaints")


def orphan_files_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Delete the unnamed files older than the grace period; running it again deletes nothing
    more. Counts the files seen, those kept (named by a row, or recent) and those deleted.

    Not one transaction: deleting a file cannot be rolled back, and the grace period, not a lock,
    keeps a file whose row is still being inserted."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.ORPHAN_FILE_GRACE_HOURS)
    counts = {"files": 0, "referenced": 0, "recent": 0, "deleted": 0}
    fields = _file_fields()
    for folder in SWEPT_FOLDERS:
        for directory, names in _walk(folder):
            _sweep(directory, names, fields=fields, cutoff=cutoff, counts=counts)
    return counts


def _file_fields() -> list[tuple[type[models.Model], str]]:
    """Every file field kept in the default storage, whichever app's model holds it."""
    return [
        (model, field.name)
        for model in apps.get_models()
        if not model._meta.proxy
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField) and field.storage is default_storage
    ]


def _walk(directory: str) -> Iterator[tuple[str, list[str]]]:
    """(folder, the names of its files) for the folder and each folder below it."""
    try:
        folders, files = default_storage.listdir(directory)
    except FileNotFoundError:  # nothing uploaded there yet (a local disk; S3 lists nothing)
        return
    yield directory, [f"{directory}/{name}" for name in files]
    for folder in sorted(folders):
        yield from _walk(f"{directory}/{folder}")


def _sweep(directory: str, names: list[str], *, fields, cutoff: datetime, counts: dict) -> None:
    if not names:
        return
    # One query per file field and folder: the names in a month's folder, not the whole table.
    named = set()
    for model, field in fields:
        rows = model._base_manager.filter(**{f"{field}__startswith": f"{directory}/"})
        named.update(rows.values_list(field, flat=True))
    for name in names:
        counts["files"] += 1
        if name in named:
            counts["referenced"] += 1
            continue
        try:
            recent = default_storage.get_modified_time(name) > cutoff
        except FileNotFoundError:  # deleted meanwhile, by a sweep running at the same time
            continue
        if recent:
            counts["recent"] += 1
        else:
            default_storage.delete(name)
            counts["deleted"] += 1
            logger.info("Deleted %s: no row names it", name)
