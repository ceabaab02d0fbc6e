"""The monthly tallies behind the supervisors' figures (R11, R31): what each column counts, how
the services' saves keep it current, and how it is rebuilt from the sources.

A `Source` is one way of counting rows of one model into months: the rows that count at all,
the path to their agency, the instant (or date) whose month is theirs, and the column each
aggregate fills. That definition is the only one: `tallies_rebuild` groups the whole table by
agency and month with it, and the upkeep groups the rows a change touches with it.

Upkeep, in the transaction of the service that saved: a `Trigger` says which source rows a
model's row affects and which of its fields matter. Saving or deleting such a row
(`Model.save()`, `Model.delete()`: every service writes these models that way) reads what the
affected rows counted before the change and what they count after it, and adds the difference
to the tally rows by an atomic upsert (`col = col + delta`): the same small work whatever the
history, correct whatever commits concurrently. A save that changes none of the watched fields
costs nothing. Rows written around the ORM (a bulk load by COPY, a queryset `update()` of a
watched field) need `tallies_rebuild` (`manage.py tallies_rebuild`); `tests/reporting/
test_tallies.py` holds the upkeep to the rebuild after every service of the demo province.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.apps import apps as global_apps
from django.db import connection, transaction
from django.db.models import Count, DateField, DecimalField, F, Model, Q, Sum, Value
from django.db.models.functions import TruncDate, TruncMonth
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
)
from django.db.models.signals import post_delete, post_init, post_save, pre_delete, pre_save

from complaints.models import Complaint, Result
from enforcement.models import Decision, LegalReview
from enforcement.models.cases import WAITING_STAGES
from portal import deferred

from .discretion import discretion_rebuild

TZ = ZoneInfo("Asia/Shanghai")
SUBSTANTIATED = (Result.SUBSTANTIATED, Result.PARTLY)
ISSUED, FINE = Decision.Status.ISSUED, Decision.Kind.FINE


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

    def grouped_queryset(self, models=global_apps, *, where: Q | None = None):
        """The rows counted, grouped by agency and month (`tally_agency`, `tally_month`), each
        group with the source's columns; of the rows `where` selects only, if given."""
        if not self.moment:
            month = Value(None, output_field=DateField())
        elif self.is_date:
            month = TruncMonth(self.moment, output_field=DateField())
        else:
            month = TruncMonth(self.moment, tzinfo=TZ, output_field=DateField())
        rows = self.queryset(models)
        if where is not None:
            rows = rows.filter(where)
        return (
            rows.annotate(tally_agency=F(self.agency), tally_month=month)
            .values("tally_agency", "tally_month")
            .annotate(**self.columns())
            .order_by()
        )

    def grouped(self, models=global_apps, *, where: Q | None = None):
        """The columns of every agency's every month (or of every agency now), as
        ((agency_id, month or None), columns); of the rows `where` selects only, if given."""
        for row in self.grouped_queryset(models, where=where):
            key = (row.pop("tally_agency"), row.pop("tally_month"))
            yield key, row

    def grouped_by(self, field: str, value) -> list:
        """`grouped(where=Q(field=value))`, from SQL compiled once per process and database:
        the upkeep runs it on every save it sees, where building and compiling the query anew
        cost more than the query itself (a third of a complaint filing's time)."""
        statement = _compiled(self, field)
        params = list(statement.params)
        params[statement.index] = value
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, params)
            rows = cursor.fetchall()
        if statement.converters:
            rows = statement.compiler.apply_converters(rows, statement.converters)
        found = []
        for row in rows:
            values = dict(zip(statement.names, row, strict=True))
            found.append(((values.pop("tally_agency"), values.pop("tally_month")), values))
        return found


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple
    index: int  # where the selecting value goes among the params
    names: list[str]
    compiler: object
    converters: dict


_SENTINEL = -918_273_645  # stands for the selecting value while the statement is compiled
_statements: dict[tuple, _Statement] = {}


def _compiled(source: Source, field: str) -> _Statement:
    key = (source.key, field, connection.alias, connection.vendor)
    if key not in _statements:
        rows = source.grouped_queryset(where=Q(**{field: _SENTINEL}))
        compiler = rows.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        if list(params).count(_SENTINEL) != 1:  # pragma: no cover - a source of another shape
            raise ValueError(f"cannot compile {source.key} by {field}")
        expressions = [expression for expression, _sql, _alias in compiler.select]
        _statements[key] = _Statement(
            sql=sql,
            params=tuple(params),
            index=list(params).index(_SENTINEL),
            names=[alias for _expression, _sql, alias in compiler.select],
            compiler=compiler,
            converters=compiler.get_converters(expressions),
        )
    return _statements[key]


def on_or_before(moment: str, deadline: str):
    """The instant's local date is on or before the deadline (a null instant: false)."""
    return LessThanOrEqual(TruncDate(moment, tzinfo=TZ), F(deadline))


def _after(moment: str, deadline: str):
    return GreaterThan(TruncDate(moment, tzinfo=TZ), F(deadline))


def _complaint_columns() -> dict:
    return {
        "complaints_received": Count("pk"),
        "complaints_accepted": Count("pk", filter=Q(handling_started_on__isnull=False)),
        "complaints_substantiated": Count("pk", filter=Q(result__in=SUBSTANTIATED)),
        **{
            f"status_{value}": Count("pk", filter=Q(status=value))
            for value in Complaint.Status.values
        },
    }


def _acknowledgement_columns() -> dict:
    # R16: decided (accepted, refused, transferred) on or before the deadline, after it, not yet
    return {
        "ack_on_time": Count("pk", filter=on_or_before("decided_at", "acknowledge_by")),
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


def _file_review_columns() -> dict:
    return {"file_reviews": Count("pk"), "file_review_points": Sum("total", default=0)}


def _stage_columns() -> dict:
    return {
        f"cases_{stage.value}": Count("pk", filter=Q(stage=stage.value)) for stage in WAITING_STAGES
    }


def _published_columns() -> dict:
    return {"published_items": Count("pk")}


def _review_columns() -> dict:
    return {
        "reviews": Count("pk"),
        "reviews_passed": Count("pk", filter=Q(conclusion=LegalReview.Conclusion.AGREE)),
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
FILE_REVIEWS = Source(
    "file_reviews",
    "enforcement.CaseFileReview",
    "case__agency_id",
    "reviewed_at",
    False,
    _file_review_columns,
)
SOURCES = (
    COMPLAINTS,
    ACKNOWLEDGEMENTS,
    CASES,
    DECISIONS,
    PAYMENTS,
    REVIEWS,
    FILE_REVIEWS,
    STAGES,
    PUBLISHED,
)


def columns(table: str = MONTHS) -> tuple[str, ...]:
    """The columns of a tally table, as its sources fill them."""
    return tuple(name for source in SOURCES if source.table == table for name in source.columns())


# --- upkeep ---------------------------------------------------------------------------------
#
# A change adds to the tally rows what the changed source rows count now and takes away what
# they counted before: both read with the sources' own grouped query, restricted to those rows
# (`Source.grouped(...).filter(...)`), so no definition is repeated here. The difference goes in
# by one upsert per tally row, `col = col + delta`, which PostgreSQL applies atomically whatever
# else commits meanwhile: the work is the same whatever the history, and the only lock taken is
# that row's, at the moment of the upsert (or at the end of a `portal.deferred.deferring()`
# block: the complaint register writes its tallies with its number, last).

# A source, the rows of its model a change affects (those whose `field` is `value`), and whether
# they are the changed row itself (nothing to read before it is first written).
Affected = tuple["Source", str, object, bool]


def _complaint_rows(seen: dict, pk) -> list[Affected]:
    return [(COMPLAINTS, "pk", pk, True), (ACKNOWLEDGEMENTS, "pk", pk, True)]


def _case_rows(seen: dict, pk) -> list[Affected]:
    return [(CASES, "pk", pk, True), (STAGES, "pk", pk, True)]


def _decision_rows(seen: dict, pk) -> list[Affected]:
    # The fines' payments count by their decision's status, kind and month.
    return [(DECISIONS, "pk", pk, True), (PAYMENTS, "decision_id", pk, False)]


def _disclosure_rows(seen: dict, pk) -> list[Affected]:
    return [(DECISIONS, "pk", seen["decision_id"], False)]


def _own_rows(source: Source):
    def rows(seen: dict, pk) -> list[Affected]:
        return [(source, "pk", pk, True)]

    return rows


@dataclass(frozen=True)
class Trigger:
    """Saving or deleting a row of `model` changes what the rows `affected` finds count, when
    one of its `watched` fields changed."""

    model: str
    watched: tuple[str, ...]
    affected: Callable[[dict, object], list[Affected]]


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
        _complaint_rows,
    ),
    Trigger("enforcement.Case", ("agency_id", "opened_at", "stage"), _case_rows),
    Trigger(
        "enforcement.Decision",
        ("case_id", "status", "issued_at", "kind", "fine_amount"),
        _decision_rows,
    ),
    Trigger("enforcement.DecisionDisclosure", ("decision_id",), _disclosure_rows),
    Trigger("enforcement.FinePayment", ("decision_id", "amount"), _own_rows(PAYMENTS)),
    Trigger("enforcement.LegalReview", ("decision_id", "at", "conclusion"), _own_rows(REVIEWS)),
    Trigger(
        "enforcement.CaseFileReview", ("case_id", "reviewed_at", "total"), _own_rows(FILE_REVIEWS)
    ),
    Trigger("enforcement.PublishedPowerItem", ("agency_id",), _own_rows(PUBLISHED)),
)

SEEN = "_tally_seen"  # the watched fields as loaded or last saved
BEFORE = "_tally_before"  # what the affected rows counted before the change being written

Counted = dict[tuple[str, int, date | None], dict]  # (table, agency, month) -> columns


def _counted(affected: list[Affected]) -> Counted:
    """What the rows count now, per tally row (one grouped query per source)."""
    found: Counted = {}
    for source, field, value, _own in affected:
        if value is None:
            continue  # no row yet (a new row's own pk), or none it points to
        for (agency_id, month), values in source.grouped_by(field, value):
            key = (source.table, agency_id, month)
            found.setdefault(key, {}).update(values)
    return found


def _difference(after: Counted, before: Counted) -> Counted:
    delta: Counted = {}
    for key in after.keys() | before.keys():
        now, then = after.get(key, {}), before.get(key, {})
        changed = {
            name: (now.get(name) or 0) - (then.get(name) or 0)
            for name in now.keys() | then.keys()
            if (now.get(name) or 0) != (then.get(name) or 0)
        }
        if changed:
            delta[key] = changed
    return delta


_pending = threading.local()  # the deltas a `portal.deferred.deferring()` block holds back


def _add(delta: Counted) -> None:
    """Write `delta` now, or at the end of the open `deferring()` block."""
    if not deferred.active():
        _apply(delta)
        return
    kept = getattr(_pending, "delta", None)
    if kept is None:
        kept = _pending.delta = {}
    for key, values in delta.items():
        row = kept.setdefault(key, {})
        for name, value in values.items():
            row[name] = row.get(name, 0) + value
    deferred.at_end(_finish)


def _finish(keep: bool) -> None:
    delta, _pending.delta = getattr(_pending, "delta", None) or {}, None
    if keep:
        _apply(delta)


def _apply(delta: Counted) -> None:
    """One upsert per tally row, in a fixed order (two transactions never wait on each other's
    rows in opposite orders)."""
    for (table, agency_id, month), values in sorted(
        delta.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or date.min)
    ):
        values = {name: value for name, value in values.items() if value}
        if values:
            _upsert(global_apps.get_model(table), agency_id, month, values)


def _upsert(model, agency_id: int, month: date | None, values: dict) -> None:
    """Add `values` to the tally row, creating it if need be. A new row takes the values as
    they are (a decrease only ever meets a row that counted the rows it removes; the columns
    are never negative, a constraint checked on the proposed row too, hence no negative there)."""
    table = connection.ops.quote_name(model._meta.db_table)
    keys = {"agency_id": agency_id} if month is None else {"agency_id": agency_id, "month": month}
    names = [*keys, *values]
    marks = ", ".join(["%s"] * len(names))
    increments = ", ".join(f"{name} = {table}.{name} + %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks}) "  # noqa: S608
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {increments}",
            [*keys.values(), *(max(v, 0) for v in values.values()), *values.values()],
        )


def _watched(instance, trigger: Trigger) -> dict | None:
    """The watched fields as the instance holds them (None if one of them is deferred)."""
    values = instance.__dict__
    if any(name not in values for name in trigger.watched):
        return None
    return {name: values[name] for name in trigger.watched}


def _remember(sender, instance, **kwargs):
    seen = _watched(instance, _BY_MODEL[sender]) if instance.pk is not None else None
    instance.__dict__[SEEN] = seen


def _saving(sender, instance, raw=False, **kwargs):
    trigger = _BY_MODEL[sender]
    now = _watched(instance, trigger)
    if instance._state.adding:
        # The row itself counted nothing yet; rows it affects besides itself (a disclosure's
        # decision) did.
        seen = now or {name: getattr(instance, name) for name in trigger.watched}
        others = [a for a in trigger.affected(seen, instance.pk) if not a[3]]
        instance.__dict__[BEFORE] = _counted(others)
    elif now is not None and now == instance.__dict__.get(SEEN):
        instance.__dict__[BEFORE] = None  # nothing counted changes: no work
    else:
        seen = now or {name: getattr(instance, name) for name in trigger.watched}
        instance.__dict__[BEFORE] = _counted(trigger.affected(seen, instance.pk))


def _saved(sender, instance, created, raw=False, **kwargs):
    trigger = _BY_MODEL[sender]
    before = instance.__dict__.pop(BEFORE, None)
    now = _watched(instance, trigger)
    instance.__dict__[SEEN] = now
    if before is None:
        return
    seen = now or {name: getattr(instance, name) for name in trigger.watched}
    affected = trigger.affected(seen, instance.pk)
    after: Counted = {}
    if created:
        # A new row's own count is known from the row as written: no need to read it back.
        unread = []
        for entry in affected:
            counted = _own_count(entry[0], instance) if entry[3] else None
            if counted is None:
                unread.append(entry)
            else:
                for key, values in counted.items():
                    after.setdefault(key, {}).update(values)
        affected = unread
    for key, values in _counted(affected).items():
        after.setdefault(key, {}).update(values)
    _add(_difference(after, before))


def _deleting(sender, instance, **kwargs):
    trigger = _BY_MODEL[sender]
    seen = {name: getattr(instance, name) for name in trigger.watched}
    affected = trigger.affected(seen, instance.pk)
    instance.__dict__[BEFORE] = (affected, _counted(affected))


def _deleted(sender, instance, **kwargs):
    affected, before = instance.__dict__.pop(BEFORE, ((), {}))
    _add(_difference(_counted(list(affected)), before))


# --- a new row's own count, from the row ----------------------------------------------------
#
# What a row just inserted counts is what the source's grouped query would read back for it
# alone. For the sources whose definition uses only the row's own columns, with the few
# operations below (exact, in, isnull; a comparison of a local date with a date), the same
# definition is evaluated on the written values instead, in SQL's three-valued logic (a
# comparison with NULL is unknown, and counts nothing). A source using anything else (a join,
# another lookup), and a row holding a value that is not plainly what the database stores (an
# expression, a naive datetime, a decimal with more places than its column), is read back as
# before. `tests/reporting/test_tallies.py` holds both ways to the same figures.


class _Unsupported(Exception):
    pass


def _and(values) -> bool | None:
    values = list(values)
    if False in values:
        return False
    return True if all(value is True for value in values) else None


def _or(values) -> bool | None:
    values = list(values)
    if True in values:
        return True
    return False if all(value is False for value in values) else None


_COMPARISONS = {
    Exact: lambda a, b: a == b,
    LessThan: lambda a, b: a < b,
    LessThanOrEqual: lambda a, b: a <= b,
    GreaterThan: lambda a, b: a > b,
    GreaterThanOrEqual: lambda a, b: a >= b,
}


class _Reading:
    """Turns a source's definition into functions of one row's values (attname -> value); the
    fields it reads are collected in `fields`."""

    def __init__(self, model):
        self.model = model
        self.fields: dict[str, object] = {}

    def attname(self, name: str) -> str:
        meta = self.model._meta
        field = meta.pk if name == "pk" else None
        for candidate in meta.concrete_fields:
            if field is None and name in (candidate.name, candidate.attname):
                field = candidate
        if field is None:
            raise _Unsupported(name)  # a path through a relation: read it back
        self.fields[field.attname] = field
        return field.attname

    def value(self, expression):
        if isinstance(expression, F):
            attname = self.attname(expression.name)
            return lambda row: row[attname]
        if isinstance(expression, Value):
            constant = expression.value
            return lambda row: constant
        if type(expression) is TruncDate and len(expression.source_expressions) == 1:
            inner, zone = self.value(expression.source_expressions[0]), expression.tzinfo or TZ

            def local_date(row):
                instant = inner(row)
                return None if instant is None else instant.astimezone(zone).date()

            return local_date
        raise _Unsupported(repr(expression))

    def test(self, condition):
        """The condition's SQL truth for a row: True, False or None (unknown)."""
        if isinstance(condition, Q):
            parts = [self.test(child) for child in condition.children]
            join = _or if condition.connector == Q.OR else _and
            negated = condition.negated

            def combined(row):
                truth = join(part(row) for part in parts)
                return truth if truth is None or not negated else not truth

            return combined
        if type(condition) in _COMPARISONS:
            compare = _COMPARISONS[type(condition)]
            left, right = self.value(condition.lhs), self.value(condition.rhs)

            def compared(row):
                a, b = left(row), right(row)
                return None if a is None or b is None else compare(a, b)

            return compared
        if isinstance(condition, tuple) and len(condition) == 2:
            return self.lookup(*condition)
        raise _Unsupported(repr(condition))

    def lookup(self, path: str, wanted):
        if hasattr(wanted, "resolve_expression"):
            raise _Unsupported(path)
        name, _sep, lookup = path.partition("__")
        attname = self.attname(name)
        if lookup == "isnull" or (lookup in ("", "exact") and wanted is None):
            # Django reads `field=None` as `field__isnull=True`
            null = True if wanted is None else bool(wanted)
            return lambda row: (row[attname] is None) == null
        if lookup in ("", "exact"):
            return lambda row: None if row[attname] is None else row[attname] == wanted
        if lookup == "in":
            choices = [value for value in wanted if value is not None]
            return lambda row: None if row[attname] is None else row[attname] in choices
        raise _Unsupported(path)


@dataclass(frozen=True)
class _OwnCount:
    fields: dict  # attname -> field: what the definition reads of the row
    counts: Callable  # row -> its truth: the row is counted at all
    agency: str
    month: Callable  # row -> the month (a date), or None for `AgencyTally`
    columns: tuple  # (column, is a sum, the counted or summed attname, its filter's test)


def _own_counter(source: Source) -> _OwnCount:
    reading = _Reading(global_apps.get_model(source.model))
    rows = Q(source.rows, **{f"{source.agency}__isnull": False})
    if source.moment:
        rows &= Q(**{f"{source.moment}__isnull": False})
    counts = reading.test(rows)
    agency = reading.attname(source.agency)

    def month(row):
        return None

    if source.moment:
        moment = reading.attname(source.moment)

        def month(row):  # noqa: F811 - the source's month, as TruncMonth gives it
            value = row[moment] if source.is_date else row[moment].astimezone(TZ).date()
            return value.replace(day=1)

    found = []
    for name, aggregate in source.columns().items():
        shape = type(aggregate) in (Count, Sum) and not aggregate.distinct
        if not shape or len(aggregate.source_expressions) != 1:
            raise _Unsupported(name)
        counted = aggregate.source_expressions[0]
        is_sum = type(aggregate) is Sum
        if not isinstance(counted, F) or (is_sum and aggregate.default != 0):
            raise _Unsupported(name)
        test = reading.test(aggregate.filter) if aggregate.filter is not None else None
        found.append((name, is_sum, reading.attname(counted.name), test))
    return _OwnCount(reading.fields, counts, agency, month, tuple(found))


def _as_stored(field, value) -> bool:
    """The database will hold this value for the field and compare it as Python does."""
    if value is None:
        return True
    if hasattr(value, "resolve_expression"):
        return False  # computed by the database
    try:
        if field.to_python(value) != value:
            return False  # stored converted ("5" for 5, a date for a datetime, ...)
    except Exception:  # noqa: BLE001 - anything to_python refuses is read back instead
        return False
    if isinstance(value, datetime):
        return field.get_internal_type() == "DateTimeField" and value.tzinfo is not None
    if isinstance(field, DecimalField):
        return value.is_finite() and value.as_tuple().exponent >= -field.decimal_places
    return isinstance(value, (str, int, date, Decimal))


_own_counters: dict[str, _OwnCount | None] = {}


def _own_count(source: Source, instance) -> Counted | None:
    """What the just inserted `instance` counts in `source`, per tally row; None when that must
    be read back from the database."""
    if source.key not in _own_counters:
        try:
            _own_counters[source.key] = _own_counter(source)
        except _Unsupported:
            _own_counters[source.key] = None
    counter = _own_counters[source.key]
    if counter is None:
        return None
    row = {}
    for attname, field in counter.fields.items():
        if attname not in instance.__dict__ or not _as_stored(field, instance.__dict__[attname]):
            return None
        row[attname] = instance.__dict__[attname]
    if counter.counts(row) is not True:
        return {}
    values = {}
    for name, is_sum, attname, test in counter.columns:
        value = row[attname] if test is None or test(row) is True else None
        values[name] = (value if is_sum else 1) if value is not None else 0
    return {(source.table, row[counter.agency], counter.month(row)): values}


_BY_MODEL: dict[type[Model], Trigger] = {}


def connect() -> None:
    """Connect the triggers' receivers (the app's ready())."""
    for trigger in TRIGGERS:
        model = global_apps.get_model(trigger.model)
        _BY_MODEL[model] = trigger
        uid = f"tallies:{trigger.model}"
        post_init.connect(_remember, sender=model, dispatch_uid=uid)
        pre_save.connect(_saving, sender=model, dispatch_uid=uid)
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        pre_delete.connect(_deleting, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)


# --- rebuild --------------------------------------------------------------------------------


def tallies_compute(*, table: str = MONTHS, models=global_apps) -> dict:
    """Every row of a tally table from the sources, as {(agency id, month or None): columns}
    (the rebuild's reading, also the tests'). With a migration's historical `models`, only the
    sources whose columns the table has at that point (a later migration adds the others and
    fills them)."""
    found: dict[tuple[int, date | None], dict] = defaultdict(dict)
    has = {field.name for field in models.get_model(table)._meta.get_fields()}
    for source in SOURCES:
        if source.table == table and has.issuperset(source.columns()):
            for key, values in source.grouped(models):
                found[key].update(values)
    return found


@transaction.atomic
def tallies_rebuild(*, models=global_apps, batch_size: int = 5000) -> int:
    """Recompute every tally row from the sources (the discretion tally too); the number of rows
    written. Idempotent; the tables are locked against the upkeep while it runs (PostgreSQL)."""
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
    # The discretion report's tally (R7), from the decisions too; a migration before its table
    # was created has none to fill.
    try:
        models.get_model("reporting", "DiscretionTally")
    except LookupError:
        return written
    return written + discretion_rebuild(models=models, batch_size=batch_size)
