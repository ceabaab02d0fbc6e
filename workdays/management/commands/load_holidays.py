"""Refresh the working-day calendar from the chinese-calendar library (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from workdays.bundled import LIBRARY_SOURCE, bundled_days, bundled_years
from workdays.models import CalendarYear
from workdays.services import DayInput, calendar_year_load


class Command(BaseCommand):
    help = "从 chinese-calendar 载入（或刷新）其已知年份的节假日和调休安排；可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, help="只处理这些年份（默认：全部）")
        parser.add_argument(
            "--overwrite-manual",
            action="store_true",
            help="也覆盖管理员手工载入（依据不是 chinese-calendar）的年份",
        )

    def handle(self, *args, years, overwrite_manual, **options):
        known = bundled_years()
        unknown = sorted(set(years) - set(known))
        if unknown:
            raise CommandError(
                f"chinese-calendar 没有这些年份的安排：{unknown}（已知 {known[0]}—{known[-1]}）"
            )
        manual = set(
            CalendarYear.objects.exclude(source__startswith="chinese-calendar").values_list(
                "year", flat=True
            )
        )
        for year in years or known:
            # An administrator's schedule comes from the official notice: do not replace it
            # behind their back with a library's copy.
            if year in manual and not overwrite_manual:
                self.stdout.write(f"{year}: 已由管理员载入，跳过（--overwrite-manual 可覆盖）")
                continue
            days = [DayInput(date=d, kind=k, name=n) for d, k, n in bundled_days(year)]
            calendar_year_load(year=year, days=days, source=LIBRARY_SOURCE, actor=None)
            self.stdout.write(f"{year}: {len(days)} 个特殊日期")
        self.stdout.write(self.style.SUCCESS(f"完成（{LIBRARY_SOURCE}）"))
