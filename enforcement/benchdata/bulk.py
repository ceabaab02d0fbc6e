"""The bulk cases of the province of the evaluation (issue 12 "Scale", `--bulk-cases B`): cases
numbered CBPL-<id> with only what the evaluation counts, the case, its two officers, its closing
and its file reviews, written by COPY with ids given in advance, over the same agencies, items
and years as the full ones (`world`). Running again tops them up to B, or, if there are more,
replaces them all."""

import bisect
import itertools
import random
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from enforcement.models import CHECKLIST, Case, CaseFileReview, CaseOfficer, Officer, Stage
from portal.benchdata import analyze, copy_rows

from .world import CASE_DAYS, SUMMARIES, CaseWorld, stage_at

BULK_PREFIX = "CBPL-"  # the number of a bulk case: CBPL-<id>
BULK_BATCH = 50_000


def bulk_cases(agency_ids):
    return Case.objects.filter(agency_id__in=agency_ids, number__startswith=BULK_PREFIX)


def bulk_cases_delete(agency_ids: list[int]) -> None:
    of_bulk = {"case__agency_id__in": agency_ids, "case__number__startswith": BULK_PREFIX}
    with transaction.atomic():
        for model in (CaseFileReview, CaseOfficer):
            model.objects.filter(**of_bulk)._raw_delete(connection.alias)
        bulk_cases(agency_ids)._raw_delete(connection.alias)


CASE_COLUMNS = [
    "id",
    "agency",
    "power_item",
    "number",
    "item_code",
    "item_name",
    "source",
    "summary",
    "stage",
    "opened_by",
    "opened_at",
    "stage_changed_at",
    "closed_at",
]
REVIEW_SCORES = [name for name, _label, _points in CHECKLIST]
REVIEW_COLUMNS = [
    "case",
    "reviewer",
    "reviewed_at",
    *REVIEW_SCORES,
    *(f"{name}_points" for name in REVIEW_SCORES),
    "total",
    "findings",
]


class BulkCaseRows:
    """Cases with only what the evaluation counts (their officers, closing and file reviews),
    over the last three years like the full ones, with ids given in advance so that their
    officers and reviews go in the same COPY pass."""

    def __init__(self, world: CaseWorld, *, seed: int) -> None:
        self.world = world
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.cumulative = list(itertools.accumulate(world.weights))
        self.officers = {
            agency_id: [o.pk for o in officers] for agency_id, officers in world.officers.items()
        }
        self.next_id = (Case.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        self.sources = Case.Source.values
        self.points = [points for _name, _label, points in CHECKLIST]

    def write(self, size: int) -> None:
        rng, world, now = self.rng, self.world, self.now
        cases, officers, reviews = [], [], []
        for _ in range(size):
            pk, self.next_id = self.next_id, self.next_id + 1
            n = bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])
            agency = world.agencies[n]
            item = world.items[agency.pk][pk % 2][0]
            opened_at = now - timedelta(seconds=rng.randrange(CASE_DAYS * 86400))
            stage = stage_at(now - opened_at, rng)
            changed_at = opened_at + (now - opened_at) * rng.uniform(0.05, 0.5)
            closed_at = None
            if stage == Stage.ARCHIVING and rng.random() < 0.9:
                closed_at = changed_at + timedelta(days=rng.uniform(1, 30))
                closed_at = closed_at if closed_at < now else None
            cases.append(
                [
                    pk,
                    agency.pk,
                    item.pk,
                    f"{BULK_PREFIX}{pk}",
                    item.code,
                    item.name,
                    rng.choice(self.sources),
                    f"{rng.choice(SUMMARIES)}。",
                    stage,
                    world.inspector.pk,
                    opened_at,
                    changed_at,
                    closed_at,
                ]
            )
            for officer in rng.sample(self.officers[agency.pk], 2):
                officers.append([pk, officer])
            if closed_at is not None:
                review = self.review(pk, closed_at)
                if review:
                    reviews.append(review)
        copy_rows(Case, CASE_COLUMNS, cases)
        copy_rows(CaseOfficer, ["case", "officer"], officers)
        copy_rows(CaseFileReview, REVIEW_COLUMNS, reviews)

    def review(self, pk: int, closed_at: datetime) -> list | None:
        """案卷评查, older files more often (as the full cases')."""
        rng = self.rng
        closed_for = (self.now - closed_at).days
        chance = 0.6 if closed_for > 365 else 0.3 if closed_for > 90 else 0.05
        if rng.random() >= chance:
            return None
        full = rng.random() < 0.5
        scores = [p if full else p * 4 // 5 for p in self.points]
        reviewed_at = closed_at + (self.now - closed_at) * rng.uniform(0.1, 0.9)
        findings = "案卷材料完整，程序合法。" if full else "部分文书填写不规范。"
        return [
            pk,
            self.world.supervisor.pk,
            reviewed_at,
            *scores,
            *self.points,
            sum(scores),
            findings,
        ]


def bulk_cases_done() -> None:
    """The cases' id sequence past the ids given here; statistics on the new rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = Case._meta.db_table
            top = f"SELECT max(id) FROM {table}"  # noqa: S608
            cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), ({top}))", [table])
    analyze(Case, CaseOfficer, CaseFileReview, Officer)
