"""Bulk data for the benchmarks: a fictional province of ~1,000 agencies, N published items,
M complaints in its registers and C enforcement cases.

`python manage.py generate_bench_data --power-items 200000`
`python manage.py generate_bench_data --complaints 1000000 --due 1000`
`python manage.py generate_bench_data --cases 200000`
`python manage.py generate_bench_data --preset province`

The province preset (issue 12 "Scale", the evaluation's figures) is 1,500 agencies, 30,000
officers, 1,000,000 complaints and 2,000,000 cases: 50,000 cases written with every row, and
1,950,000 "bulk" cases (`--bulk-cases`, numbered CBPL-<id>) with only what the evaluation counts,
written by COPY; and 15,000 list revision tasks (`--revision-tasks`). Each flag may also be given
alone, or with the preset to change one size.

The province (长白省, division codes 98xxxx) is separate from the demo province, so both can live
in one database. Each app writes its own part, set-based (COPY or bulk_create in batches), and
this command only orchestrates: the arguments, the presets, the order of the steps and what it
prints. What every part shares (the province, its users, COPY) is `portal/benchdata.py`; the
parts are

- `enforcement/benchdata/`: the regions and agencies, officers (`province`), published items
  (`powers`, a top-up that never deletes), what the cases hang on (`world`), cases with every row
  (`cases`), bulk cases (`bulk`) and revision tasks (`revisions`);
- `complaints/benchdata.py`: the complaint registers in every status, and `--due N`, exactly N
  open complaints due for the deadline sweep.

Running again tops each part up to its size; complaints, cases and bulk cases are replaced when
fewer are wanted. The dashboard's tallies are recounted at the end (`tallies_rebuild`), as the
rows were written around the saves that keep them.
"""

import random
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from complaints.benchdata import (
    COMPLAINT_BATCH,
    ComplaintRows,
    complaints_count,
    complaints_delete,
    complaints_done,
    complaints_due_reset,
)
from enforcement.benchdata.bulk import (
    BULK_BATCH,
    BulkCaseRows,
    bulk_cases,
    bulk_cases_delete,
    bulk_cases_done,
)
from enforcement.benchdata.cases import CASE_BATCH, CaseRows, bench_cases, cases_delete, cases_done
from enforcement.benchdata.powers import PowerItemRows, power_items_count, power_items_done
from enforcement.benchdata.province import agencies_top_up, officers_top_up
from enforcement.benchdata.revisions import revision_tasks_top_up
from enforcement.benchdata.world import case_world
from portal.benchdata import BATCH, bench_region_ids, bench_users
from reporting.services.tallies import tallies_rebuild

PRESETS = {
    "province": {
        "agencies": 1500,
        "officers": 30_000,
        "complaints": 1_000_000,
        "cases": 50_000,
        "bulk_cases": 1_950_000,
        "revision_tasks": 15_000,
    },
}


@dataclass(frozen=True)
class CaseKind:
    """The cases written with every row (`--cases`) or with what the evaluation counts
    (`--bulk-cases`): how each is counted, deleted, written and finished."""

    noun: str  # in the messages: "bench cases", "bulk cases"
    progress: str  # in the progress lines
    rows: Callable
    delete: Callable
    writer: type
    batch: int
    every: int  # a progress line every so many
    done: Callable


FULL_CASES = CaseKind(
    "bench cases", "cases", bench_cases, cases_delete, CaseRows, CASE_BATCH, 50_000, cases_done
)
BULK_CASES = CaseKind(
    "bulk cases",
    "bulk cases",
    bulk_cases,
    bulk_cases_delete,
    BulkCaseRows,
    BULK_BATCH,
    200_000,
    bulk_cases_done,
)


class Command(BaseCommand):
    help = (
        "Create ~1,000 agencies, N published power items and M complaints for the benchmarks "
        "(top-up)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--power-items", type=int, help="published items wanted in total")
        parser.add_argument("--complaints", type=int, help="complaints wanted in the registers")
        parser.add_argument(
            "--due",
            type=int,
            help="with --complaints: exactly this many open complaints due for the sweep",
        )
        parser.add_argument("--cases", type=int, help="enforcement cases wanted in the province")
        parser.add_argument(
            "--bulk-cases", type=int, help="cases with only what the evaluation counts (COPY)"
        )
        parser.add_argument("--officers", type=int, help="officers wanted in the province")
        parser.add_argument("--revision-tasks", type=int, help="list revision tasks wanted")
        parser.add_argument(
            "--preset", choices=sorted(PRESETS), help="a named size (province: issue 12)"
        )
        parser.add_argument("--agencies", type=int)
        parser.add_argument("--seed", type=int, default=2016)

    def handle(self, *args, agencies: int | None, seed: int, **options):
        for name, value in PRESETS.get(options["preset"], {}).items():
            if name == "agencies":
                agencies = agencies or value
            elif options[name] is None:
                options[name] = value
        agencies = agencies or 1000
        power_items, complaints, due = options["power_items"], options["complaints"], options["due"]
        cases = options["cases"]
        province = [options[name] for name in ("bulk_cases", "officers", "revision_tasks")]
        if power_items is None and complaints is None and cases is None and province == [None] * 3:
            raise CommandError(
                "give --power-items N, --complaints M, --cases C, --bulk-cases B, --officers O,"
                " --revision-tasks R or --preset"
            )
        counts = (power_items, complaints, due, cases, *province)
        if any(n is not None and n < 0 for n in counts) or agencies < 1:
            raise CommandError(
                "--power-items, --complaints, --due, --cases, --bulk-cases, --officers and"
                " --revision-tasks must be ≥ 0 and --agencies ≥ 1"
            )
        if due is not None and complaints is None:
            raise CommandError("--due goes with --complaints")
        rng = random.Random(seed)
        with transaction.atomic():
            bench_agencies = agencies_top_up(agencies)
        if power_items is not None:
            self._power_items(bench_agencies, power_items, rng, options["verbosity"])
        if complaints is not None:
            self._complaints(bench_agencies, complaints, due, seed, options["verbosity"])
        if options["officers"] is not None:
            made = officers_top_up(bench_agencies, options["officers"])
            self.stdout.write(f"{made} bench officers created")
        if cases is not None:
            self._case_top_up(FULL_CASES, bench_agencies, cases, seed, options["verbosity"])
        if options["bulk_cases"] is not None:
            bulk = options["bulk_cases"]
            self._case_top_up(BULK_CASES, bench_agencies, bulk, seed, options["verbosity"])
        if options["revision_tasks"] is not None:
            made = revision_tasks_top_up(bench_agencies, options["revision_tasks"], seed)
            self.stdout.write(f"{made} bench revision tasks created")
        if complaints is not None or cases is not None or options["bulk_cases"] is not None:
            # Written by COPY and in bulk, around the saves that keep the dashboard's tallies.
            self.stdout.write(f"{tallies_rebuild()} tally rows recounted")

    def _in_batches(self, write, *, existing, wanted, batch, every, noun, verbosity) -> None:
        """`write(size)` until there are `wanted`, each batch in its own transaction."""
        created = 0
        while existing + created < wanted:
            size = min(batch, wanted - existing - created)
            with transaction.atomic():
                write(size)
            created += size
            if verbosity > 1 or created % every == 0 or existing + created == wanted:
                self.stdout.write(f"  {existing + created} {noun}")

    def _power_items(self, bench_agencies, power_items: int, rng, verbosity: int) -> None:
        existing = power_items_count()
        wanted = power_items - existing
        self.stdout.write(f"{len(bench_agencies)} agencies; {existing} items, creating {wanted}")
        generator = PowerItemRows(bench_agencies, start=existing, rng=rng)
        self._in_batches(
            generator.write,
            existing=existing,
            wanted=power_items,
            batch=BATCH,
            every=50_000,
            noun="items",
            verbosity=verbosity,
        )
        power_items_done()

    def _complaints(self, bench_agencies, wanted: int, due: int | None, seed, verbosity) -> None:
        regions = bench_region_ids()
        existing = complaints_count(regions)
        if existing > wanted:
            self.stdout.write(f"{existing} bench complaints, more than {wanted}: replacing them")
            complaints_delete(regions)
            existing = 0
        self.stdout.write(f"{existing} bench complaints, creating {wanted - existing}")
        generator = ComplaintRows(bench_agencies, bench_users(), seed=seed + existing)
        self._in_batches(
            generator.write,
            existing=existing,
            wanted=wanted,
            batch=COMPLAINT_BATCH,
            every=100_000,
            noun="complaints",
            verbosity=verbosity,
        )
        if due is not None:
            made = complaints_due_reset(due)
            self.stdout.write(f"  {made} complaints due")
        complaints_done()

    def _case_top_up(self, kind, bench_agencies, wanted: int, seed: int, verbosity: int) -> None:
        """Top `kind`'s cases up to `wanted`, or replace them all if there are more."""
        agency_ids = [a.pk for a in bench_agencies]
        existing = kind.rows(agency_ids).count()
        if existing > wanted:
            self.stdout.write(f"{existing} {kind.noun}, more than {wanted}: replacing them")
            kind.delete(agency_ids)
            existing = 0
        self.stdout.write(f"{existing} {kind.noun}, creating {wanted - existing}")
        with closing(kind.writer(case_world(bench_agencies), seed=seed + existing)) as generator:
            self._in_batches(
                generator.write,
                existing=existing,
                wanted=wanted,
                batch=kind.batch,
                every=kind.every,
                noun=kind.progress,
                verbosity=verbosity,
            )
        kind.done()
