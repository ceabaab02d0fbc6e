"""The province's list revision tasks (R2, `--revision-tasks R`): after changes of the agencies'
functions, due over the last two years and the next month, most done on time. Running again tops
them up to R."""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from enforcement.models import Agency, BasisChange, RevisionTask
from portal.benchdata import BATCH, bench_users
from workdays.deadlines import add_days

REVISION_SUMMARY = "基准数据：机构职能调整"


def revision_tasks_top_up(agencies: list[Agency], wanted: int, seed: int) -> int:
    """R2: list revision tasks of the agencies after changes of their functions, due over the
    last two years and the next month; most done on time, some late, some still open (past due
    or not). Returns how many were created."""
    existing = RevisionTask.objects.filter(
        agency__in=agencies, change__summary__startswith=REVISION_SUMMARY
    ).count()
    rng = random.Random(seed + existing)
    today, supervisor = timezone.localdate(), bench_users()[0]
    dues: dict[date, date] = {}
    created = 0
    while existing + created < wanted:
        size = min(BATCH, wanted - existing - created)
        changes, tasks = [], []
        for n in range(size):
            agency = agencies[(existing + created + n) % len(agencies)]
            published = today - timedelta(days=rng.randrange(-10, 730))
            if published not in dues:
                dues[published] = add_days(start=published, days=30).deadline
            due = dues[published]
            changes.append(
                BasisChange(
                    kind=BasisChange.Kind.FUNCTIONS_CHANGED,
                    agency=agency,
                    published_on=published,
                    summary=f"{REVISION_SUMMARY}（第 {existing + created + n + 1} 次）",
                    recorded_by=supervisor,
                )
            )
            task = RevisionTask(agency=agency, due_on=due)
            draw = rng.random()
            if due < today and draw < 0.9 or draw < 0.3:
                late = rng.random() < 0.15
                done_on = due + timedelta(days=rng.randrange(1, 20) if late else -rng.randrange(20))
                task.status = RevisionTask.Status.CLOSED
                task.closed_at = min(
                    timezone.make_aware(datetime.combine(done_on, time(15))), timezone.now()
                )
                task.closed_by = supervisor
                task.closing_note = "已完成调整并发布。"
            tasks.append(task)
        with transaction.atomic():
            BasisChange.objects.bulk_create(changes, batch_size=BATCH)
            for change, task in zip(changes, tasks, strict=True):
                task.change = change
            RevisionTask.objects.bulk_create(tasks, batch_size=BATCH)
        created += size
    return created
