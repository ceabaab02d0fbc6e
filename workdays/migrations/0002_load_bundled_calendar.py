"""Load every year the installed chinese-calendar knows, so a fresh install needs no manual step.

Self-contained on purpose (historical models, its own name table): a migration must keep working
whatever later versions of the app's code look like. `manage.py load_holidays` refreshes the
same data later, through the services.
"""

from django.db import migrations
from django.utils import timezone

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def bundled_days():
    import chinese_calendar

    days = [(d, "holiday", NAMES.get(n, n)) for d, n in chinese_calendar.holidays.items()]
    days += [
        (d, "workday", NAMES.get(n, n))
        for d, n in chinese_calendar.workdays.items()
        if d.weekday() >= 5
    ]
    return sorted(days), f"chinese-calendar {chinese_calendar.__version__}"


def load(apps, schema_editor):
    CalendarYear = apps.get_model("workdays", "CalendarYear")
    SpecialDay = apps.get_model("workdays", "SpecialDay")
    HistoricalCalendarYear = apps.get_model("workdays", "HistoricalCalendarYear")
    HistoricalSpecialDay = apps.get_model("workdays", "HistoricalSpecialDay")

    days, source = bundled_days()
    existing = set(CalendarYear.objects.values_list("year", flat=True))
    years = sorted({d.year for d, _k, _n in days} - existing)
    now = timezone.now()

    CalendarYear.objects.bulk_create(
        CalendarYear(year=y, schedule_loaded=True, source=source) for y in years
    )
    new_days = [
        SpecialDay(date=d, kind=k, name=n, calendar_year_id=d.year)
        for d, k, n in days
        if d.year in years
    ]
    SpecialDay.objects.bulk_create(new_days, batch_size=500)

    # The first version of every row, so the admin's history starts at the initial load.
    history = {"history_date": now, "history_type": "+", "history_change_reason": source}
    HistoricalCalendarYear.objects.bulk_create(
        HistoricalCalendarYear(
            id=c.id, year=c.year, schedule_loaded=True, source=source, updated_at=now, **history
        )
        for c in CalendarYear.objects.filter(year__in=years)
    )
    HistoricalSpecialDay.objects.bulk_create(
        (
            HistoricalSpecialDay(
                id=s.id, date=s.date, kind=s.kind, name=s.name, calendar_year_id=s.date.year,
                **history,
            )
            for s in SpecialDay.objects.filter(calendar_year_id__in=years)
        ),
        batch_size=500,
    )


def unload(apps, schema_editor):
    CalendarYear = apps.get_model("workdays", "CalendarYear")
    SpecialDay = apps.get_model("workdays", "SpecialDay")
    bundled = CalendarYear.objects.filter(source__startswith="chinese-calendar")
    SpecialDay.objects.filter(calendar_year__in=bundled.values("year")).delete()
    bundled.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workdays", "0001_initial"),
    ]

    operations = [migrations.RunPython(load, unload)]
