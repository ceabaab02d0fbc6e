"""Recompute the dashboard's monthly tallies and the discretion report's tally from the sources:
after rows were written around the ORM (a bulk load, a restore), or to repair. Idempotent."""

import time

from django.core.management.base import BaseCommand

from reporting.services.tallies import tallies_rebuild


class Command(BaseCommand):
    help = (
        "Recompute every agency's monthly figures (reporting.MonthTally, AgencyTally) and the "
        "discretion report's (reporting.DiscretionTally) from the sources."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = tallies_rebuild()
        if options["verbosity"]:
            seconds = time.perf_counter() - started
            self.stdout.write(f"{rows} tally rows recounted in {seconds:.1f} s")
