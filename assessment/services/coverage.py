"""What a cycle covers (R19), in one place for every part of the evaluation: the agencies it
evaluates and the span of its year."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from enforcement.models import Agency

from ..models import Assignment, Cycle

SHANGHAI = ZoneInfo("Asia/Shanghai")


def candidate_agencies(cycle: Cycle) -> QuerySet:
    """R19: a cycle evaluates the agencies of its region; the government evaluates, through its
    legal office, and is not evaluated in its own cycle. The assignments are derived from these."""
    return (
        Agency.objects.filter(region=cycle.region)
        .exclude(kind=Agency.Kind.GOVERNMENT)
        .select_related("region", "supervising_agency")
        .order_by("name", "pk")
    )


def evaluated_agencies(cycle: Cycle) -> QuerySet:
    """The agencies the cycle evaluates: those with an assignment once they are derived, before
    that the candidates. Figures, officers' results and the pages all count the same agencies."""
    if Assignment.objects.filter(cycle=cycle).exists():
        return Agency.objects.filter(
            pk__in=Assignment.objects.filter(cycle=cycle).values("agency_id")
        )
    return candidate_agencies(cycle)


def year_bounds(year: int) -> tuple[date, date, datetime, datetime]:
    """The year's first and last day, and its start and the next year's start as instants in
    Asia/Shanghai (a half-open range for timestamps)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    start = datetime.combine(first, time.min, tzinfo=SHANGHAI)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=SHANGHAI)
    return first, last, start, end
