"""The monthly tallies behind the supervisors' figures (R11, R31): what each column counts, how
the services' saves keep it current, and how it is rebuilt from the sources.

A `Source` is one way of counting rows of one model into months: the rows that count at all,
the path to their agency, the instant (or date) whose month is theirs, and the column each
aggregate fills. That definition is the only one: `tallies_rebuild` groups the whole table by
agency and month with it, and the upkeep recounts one agency's month with it.

Upkeep, in the transaction of the service that saved: a `Trigger` says which sources a model's
rows feed and which of their fields matter. Saving or deleting such a row (`Model.save()`,
`Model.delete()`: every service writes these models that way) recounts the months it counted in
before and after the change, after locking that month's tally row, so that two transactions
changing the same month recount one after the other and the second sees the first's rows
(PostgreSQL's READ COMMITTED takes a new snapshot for each statement). A save that changes none
of the watched fields costs nothing. Rows written around the ORM (a bulk load by COPY, a
queryset `update()` of a watched field) need `tallies_rebuild` (`manage.py tallies_rebuild`);
`tests/reporting/test_tallies.py` holds the upkeep to the rebuild after every service.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.apps import apps as global_apps
from django.db import connection, transaction
from django.db.models import Count, DateField, F, Model, Q, Sum, Value
from django.db.models.functions import TruncDate, TruncMonth
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.db.models.signals import post_delete, post_init, post_save, pre_delete

from enforcement.models.cases import WAITING_STAGES

TZ = ZoneInfo("Asia/Shanghai")
SUBSTANTIATED = ("substantiated", "partly")
COMPLAINT_STATUSES = ("registered", "accepted", "handling", "closed", "refused", "transferred")
ISSUED, FINE, AGREE = "issued", "fine", "agree"


MONTHS, NOW = "reporting.MonthTally", "reporting.AgencyTally"


@dataclass(frozen=True)
class Source:
    """Rows of `model` counted for the agency at `agency`: into the month of `moment`
    (`MonthTally`), or, with no moment, as they stand (`AgencyTally`)."""

    key: str
    model: str  # "app_label.Model"
    agency: str  # lookup path to the agency's id
    moment: str | None  # lookup path to a DateTimeField (local month) or a DateField; or None
    is_date: bool
    columns: Callable[[], dict]  # column -> aggregate (a function: expressions are built fresh)
    rows: Q = Q()

    @property
    def table(self) -> str:
        return MONTHS if self.moment else NOW

    def queryset(self, models):
        model = models.get_model(self.model)
        rows = model._default_manager.filter(self.rows).filter(**{f"{self.agency}__isnull": False})
        if self.moment:
            rows = rows.filter(**{f"{self.moment}__isnull": False})
        return rows

    def count(self, *, agency_id: int, month: date | None, models=global_apps) -> dict:
        """The columns of one agency's month (or of the agency now)."""
        rows = self.queryset(models).filter(**{self.agency: agency_id})
        if not self.moment:
            return rows.order_by().aggregate(**self.columns())
        after = _next_month(month)
        if self.is_date:
            since, until = month, after
        else:
            since = datetime.combine(month, time.min, tzinfo=TZ)
            until = datetime.combine(after, time.min, tzinfo=TZ)
        rows = rows.filter(**{f"{self.moment}__gte": since, f"{self.moment}__lt": until})
        return rows.order_by().aggregate(**self.columns())

    def grouped(self, models=global_apps):
        """The columns of every agency's every month (or of every agency now), as
        ((agency_id, month or None), columns)."""
        if not self.moment:
            month = Value(None, output_field=DateField())
        elif self.is_date:
            month = TruncMonth(self.moment, output_field=DateField())
        else:
            month = TruncMonth(self.moment, tzinfo=TZ, output_field=DateField())
        rows = (
            self.queryset(models)
            .annotate(tally_agency=F(self.agency), tally_month=month)
            .values("tally_agency", "tally_month")
            .annotate(**self.columns())
            .order_by()
        )
        for row in rows:
            key = (row.pop("tally_agency"), row.pop("tally_month"))
            yield key, row


def _on_or_before(moment: str, deadline: str):
    return LessThanOrEqual(TruncDate(moment, tzinfo=TZ), F(deadline))


def _after(moment: str, deadline: str):
    return GreaterThan(TruncDate(moment, tzinfo=TZ), F(deadline))


def _complaint_columns() -> dict:
    return {
        "complaints_received": Count("pk"),
        "complaints_accepted": Count("pk", filter=Q(handling_started_on__isnull=False)),
        "complaints_substantiated": Count("pk", filter=Q(result__in=SUBSTANTIATED)),
        **{f"status_{value}": Count("pk", filter=Q(status=value)) for value in COMPLAINT_STATUSES},
    }


def _acknowledgement_columns() -> dict:
    # R16: decided (accepted, refused, transferred) on or before the deadline, after it, not yet
    return {
        "ack_on_time": Count("pk", filter=_on_or_before("decided_at", "acknowledge_by")),
        "ack_late": Count("pk", filter=_after("decided_at", "acknowledge_by")),
        "ack_undecided": Count("pk", filter=Q(decided_at__isnull=True)),
    }


def _case_columns() -> dict:
    return {"cases_opened": Count("pk")}


def _decision_columns() -> dict:
    fine = Q(kind=FINE)
    return {
        "decisions_issued": Count("pk"),
        "decisions_disclosed": Count("pk", filter=Q(disclosure__isnull=False)),
        "fines_issued": Count("pk", filter=fine),
        "fines_decided": Sum("fine_amount", filter=fine, default=0),
    }


def _payment_columns() -> dict:
    return {"fines_collected": Sum("amount", default=0)}


def _stage_columns() -> dict:
    return {
        f"cases_{stage.value}": Count("pk", filter=Q(stage=stage.value)) for stage in WAITING_STAGES
    }


def _published_columns() -> dict:
    return {"published_items": Count("pk")}


def _review_columns() -> dict:
    return {
        "reviews": Count("pk"),
        "reviews_passed": Count("pk", filter=Q(conclusion=AGREE)),
    }


COMPLAINTS = Source(
    "complaints", "complaints.Complaint", "agency_id", "registered_at", False, _complaint_columns
)
ACKNOWLEDGEMENTS = Source(
    "acknowledgements",
    "complaints.Complaint",
    "agency_id",
    "acknowledge_by",
    True,
    _acknowledgement_columns,
)
CASES = Source("cases", "enforcement.Case", "agency_id", "opened_at", False, _case_columns)
DECISIONS = Source(
    "decisions",
    "enforcement.Decision",
    "case__agency_id",
    "issued_at",
    False,
    _decision_columns,
    Q(status=ISSUED),
)
PAYMENTS = Source(
    "payments",
    "enforcement.FinePayment",
    "decision__case__agency_id",
    "decision__issued_at",
    False,
    _payment_columns,
    Q(decision__status=ISSUED, decision__kind=FINE),
)
REVIEWS = Source(
    "reviews",
    "enforcement.LegalReview",
    "decision__case__agency_id",
    "at",
    False,
    _review_columns,
)
STAGES = Source(
    "stages",
    "enforcement.Case",
    "agency_id",
    None,
    False,
    _stage_columns,
    Q(stage__in=[stage.value for stage in WAITING_STAGES]),
)
PUBLISHED = Source(
    "published", "enforcement.PublishedPowerItem", "agency_id", None, False, _published_columns
)
SOURCES = (COMPLAINTS, ACKNOWLEDGEMENTS, CASES, DECISIONS, PAYMENTS, REVIEWS, STAGES, PUBLISHED)


def columns(table: str = MONTHS) -> tuple[str, ...]:
    """The columns of a tally table, as its sources fill them."""
    return tuple(name for source in SOURCES if source.table == table for name in source.columns())


# --- months ---------------------------------------------------------------------------------


def month_of(moment) -> date | None:
    """The first day of the local month of an instant or a date (None stays None)."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        moment = moment.astimezone(TZ).date()
    return moment.replace(day=1)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


# --- upkeep ---------------------------------------------------------------------------------

Bucket = tuple[Source, int, date | None]  # a source, an agency, a month (None: now)


def _decision_place(decision_id) -> tuple[int | None, datetime | None]:
    """A decision's agency and issue instant (None, None when it is gone)."""
    Decision = global_apps.get_model("enforcement", "Decision")
    found = (
        Decision.objects.filter(pk=decision_id).values_list("case__agency_id", "issued_at").first()
    )
    return found or (None, None)


def _complaint_buckets(seen: dict) -> list[Bucket]:
    agency = seen["agency_id"]
    return [
        (COMPLAINTS, agency, month_of(seen["registered_at"])),
        (ACKNOWLEDGEMENTS, agency, month_of(seen["acknowledge_by"])),
    ]


def _case_buckets(seen: dict) -> list[Bucket]:
    agency = seen["agency_id"]
    return [(CASES, agency, month_of(seen["opened_at"])), (STAGES, agency, None)]


def _published_buckets(seen: dict) -> list[Bucket]:
    return [(PUBLISHED, seen["agency_id"], None)]


def _decision_buckets(seen: dict) -> list[Bucket]:
    if seen["issued_at"] is None:
        return []
    Case = global_apps.get_model("enforcement", "Case")
    agency = Case.objects.filter(pk=seen["case_id"]).values_list("agency_id", flat=True).first()
    month = month_of(seen["issued_at"])
    return [(DECISIONS, agency, month), (PAYMENTS, agency, month)]


def _disclosure_buckets(seen: dict) -> list[Bucket]:
    agency, issued_at = _decision_place(seen["decision_id"])
    return [(DECISIONS, agency, month_of(issued_at))]


def _payment_buckets(seen: dict) -> list[Bucket]:
    agency, issued_at = _decision_place(seen["decision_id"])
    return [(PAYMENTS, agency, month_of(issued_at))]


def _review_buckets(seen: dict) -> list[Bucket]:
    agency, _issued = _decision_place(seen["decision_id"])
    return [(REVIEWS, agency, month_of(seen["at"]))]


@dataclass(frozen=True)
class Trigger:
    """Saving or deleting a row of `model` recounts the months `buckets` finds from its
    `watched` fields, before and after, when one of them changed."""

    model: str
    watched: tuple[str, ...]
    buckets: Callable[[dict], list[Bucket]]


TRIGGERS = (
    Trigger(
        "complaints.Complaint",
        (
            "agency_id",
            "registered_at",
            "acknowledge_by",
            "status",
            "handling_started_on",
            "result",
            "decided_at",
        ),
        _complaint_buckets,
    ),
    Trigger("enforcement.Case", ("agency_id", "opened_at", "stage"), _case_buckets),
    Trigger("enforcement.PublishedPowerItem", ("agency_id",), _published_buckets),
    Trigger(
        "enforcement.Decision",
        ("case_id", "status", "issued_at", "kind", "fine_amount"),
        _decision_buckets,
    ),
    Trigger("enforcement.DecisionDisclosure", ("decision_id",), _disclosure_buckets),
    Trigger("enforcement.FinePayment", ("decision_id", "amount"), _payment_buckets),
    Trigger("enforcement.LegalReview", ("decision_id", "at", "conclusion"), _review_buckets),
)

SEEN = "_tally_seen"
GONE = "_tally_gone"


def _seen(instance, trigger: Trigger) -> dict | None:
    """The watched fields as loaded (None if one of them was deferred)."""
    values = instance.__dict__
    if any(name not in values for name in trigger.watched):
        return None
    return {name: values[name] for name in trigger.watched}


def tallies_touch(buckets) -> None:
    """Recount the months of `buckets` (source, agency id, month or None), each agency's month
    (or present) under a lock on its tally row, in the caller's transaction."""
    wanted: dict[tuple[str, int, date | None], set[Source]] = defaultdict(set)
    for source, agency_id, month in buckets:
        if agency_id is not None and (month is not None or not source.moment):
            wanted[(source.table, agency_id, month)].add(source)
    if not wanted:
        return
    with transaction.atomic():
        for key in sorted(wanted, key=lambda k: (k[0], k[1], k[2] or date.min)):
            table, agency_id, month = key
            model = global_apps.get_model(table)
            where = (
                {"agency_id": agency_id}
                if month is None
                else {"agency_id": agency_id, "month": month}
            )
            _lock(model, where)
            values: dict = {}
            for source in sorted(wanted[key], key=lambda s: s.key):
                values.update(source.count(agency_id=agency_id, month=month))
            model.objects.filter(**where).update(**values)


def _lock(model, where: dict) -> None:
    """Make the tally row exist, and hold its lock to the end of the transaction."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(where)
    marks = ", ".join(["%s"] * len(where))
    last = list(where)[-1]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) VALUES ({marks}) "  # noqa: S608
            f"ON CONFLICT ({names}) DO UPDATE SET {last} = EXCLUDED.{last}",
            list(where.values()),
        )


def _remember(sender, instance, **kwargs):
    trigger = _BY_MODEL[sender]
    instance.__dict__[SEEN] = _seen(instance, trigger) if instance.pk is not None else None


def _saved(sender, instance, created, raw=False, **kwargs):
    trigger = _BY_MODEL[sender]
    now = _seen(instance, trigger)
    before = instance.__dict__.get(SEEN)
    instance.__dict__[SEEN] = now
    if now is None:  # a watched field deferred: recount where it counts now
        now = {name: getattr(instance, name) for name in trigger.watched}
    elif not created and before == now:
        return
    buckets = set(trigger.buckets(now))
    if before is not None and before != now:
        buckets.update(trigger.buckets(before))
    tallies_touch(buckets)


def _deleting(sender, instance, **kwargs):
    # Before the delete, while the rows that locate it (a decision's case) are still there.
    trigger = _BY_MODEL[sender]
    instance.__dict__[GONE] = trigger.buckets(
        {name: getattr(instance, name) for name in trigger.watched}
    )


def _deleted(sender, instance, **kwargs):
    tallies_touch(instance.__dict__.pop(GONE, ()))


_BY_MODEL: dict[type[Model], Trigger] = {}


def connect() -> None:
    """Connect the triggers' receivers (the app's ready())."""
    for trigger in TRIGGERS:
        model = global_apps.get_model(trigger.model)
        _BY_MODEL[model] = trigger
        uid = f"tallies:{trigger.model}"
        post_init.connect(_remember, sender=model, dispatch_uid=uid)
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        pre_delete.connect(_deleting, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)


# --- rebuild --------------------------------------------------------------------------------


def tallies_compute(*, table: str = MONTHS, models=global_apps) -> dict:
    """Every row of a tally table from the sources, as {(agency id, month or None): columns}
    (the rebuild's reading, also the tests')."""
    found: dict[tuple[int, date | None], dict] = defaultdict(dict)
    for source in SOURCES:
        if source.table == table:
            for key, values in source.grouped(models):
                found[key].update(values)
    return found


@transaction.atomic
def tallies_rebuild(*, models=global_apps, batch_size: int = 5000) -> int:
    """Recompute every tally row from the sources; the number of rows written. Idempotent; the
    tables are locked against the upkeep while it runs (PostgreSQL)."""
    written = 0
    for table in (MONTHS, NOW):
        model = models.get_model(table)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                name = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"LOCK TABLE {name} IN SHARE ROW EXCLUSIVE MODE")
        found = tallies_compute(table=table, models=models)
        model.objects.all().delete()
        model.objects.bulk_create(
            (
                model(
                    agency_id=agency_id, **({"month": month} if table == MONTHS else {}), **values
                )
                for (agency_id, month), values in found.items()
            ),
            batch_size=batch_size,
        )
        written += len(found)
    return written
