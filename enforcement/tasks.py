"""Celery tasks of the enforcement app: thin, idempotent, taking plain ids."""

import logging

from celery import shared_task
from django.utils.translation import gettext as _

from .services import delegations, imports, orphans, revisions

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def sweep_revision_tasks() -> dict[str, int]:
    """R2, daily (beat): remind agencies of tasks nearly due, escalate overdue ones, each once."""
    return revisions.revision_tasks_sweep()


@shared_task(acks_late=True)
def expire_delegations() -> int:
    """R4, daily (beat): delegations past their end date expire, with the effects of clearing."""
    return delegations.delegations_expire()


@shared_task(acks_late=True)
def sweep_orphan_files() -> dict[str, int]:
    """Daily (beat): delete uploaded files no row names once past the grace period."""
    return orphans.orphan_files_sweep()


def _guarded(phase, job_id: int) -> None:
    try:
        phase(job_id=job_id)
    except Exception:
        # The user must see that the job stopped rather than a bar that never moves; a retry
        # would meet the same bug, so the job is marked failed instead of re-raised.
        logger.exception("Import job %s failed", job_id)
        imports.fail_job(job_id, _("处理中断，请重新上传该文件。"))


@shared_task(acks_late=True)
def import_check(job_id: int) -> None:
    """The dry run of an uploaded workbook (does nothing unless the job awaits it)."""
    _guarded(imports.import_job_check, job_id)


@shared_task(acks_late=True)
def import_run(job_id: int) -> None:
    """The import of the valid rows (does nothing unless the job is importing)."""
    _guarded(imports.import_job_run, job_id)
