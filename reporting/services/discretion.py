"""R7: the discretion tally (`reporting.DiscretionTally`) behind the discretion report: per
agency, power item and year of issue, how the issued decisions applied the item's discretion
benchmark. What each column counts is defined once, here, from the report's own conditions
(`enforcement.selectors.fines`: PENALTY, WITHIN, BELOW, ABOVE).

Upkeep, in the transaction of the service that saved: saving or deleting a decision that is or
was issued, a case whose agency or item changed, or a tier whose range changed, recounts the
groups (agency, item, year) the row belonged to before and belongs to after. A group is
recounted under its tally row's lock, taken before the count is read: under READ COMMITTED the
count then sees every decision committed by a transaction that held the lock before, and a
transaction still open will recount after it. A recount reads one item's decisions of one year
(the case's item index), whatever the size of the history. Saves that change nothing counted
cost nothing. Rows written around the ORM (a bulk load by COPY, a queryset `update()`) need
`tallies_rebuild`, which rebuilds this tally with the monthly ones.
"""

from __future__ import annotations

from datetime import datetime

from django.apps import apps as global_apps
from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Model, Q
from django.db.models.functions import ExtractYear
from django.db.models.signals import post_delete, post_init, post_save, pre_delete, pre_save
from django.utils import timezone

from enforcement.models import Decision
from enforcement.selectors.fines import ABOVE, BELOW, PENALTY, WITHIN

TABLE = "reporting.DiscretionTally"
Key = tuple[int, int, int]  # agency id, item id, year
ISSUED, FINE, OTHER = Decision.Status.ISSUED, Decision.Kind.FINE, Decision.Kind.OTHER


def _columns() -> dict:
    tiered, other = Q(tier__isnull=False), Q(kind=OTHER)
    fine = Q(kind=FINE)
    return {
        "item_code": Max("case__item_code"),
        "item_name": Max("case__item_name"),
        "penalties": Count("pk", filter=PENALTY),
        "penalties_with_tier": Count("pk", filter=PENALTY & tiered),
        "others": Count("pk", filter=other),
        "others_with_tier": Count("pk", filter=other & tiered),
        "fines_within": Count("pk", filter=WITHIN),
        "fines_below": Count("pk", filter=BELOW),
        "fines_above": Count("pk", filter=ABOVE),
        "fine_min": Min("fine_amount", filter=fine),
        "fine_max": Max("fine_amount", filter=fine),
    }


def _keyed(rows):
    return rows.annotate(
        tally_agency=F("case__agency_id"),
        tally_item=F("case__power_item_id"),
        # the year of issue where the report reads it (`issued_at__year`: the portal's zone)
        tally_year=ExtractYear("issued_at", tzinfo=timezone.get_default_timezone()),
    )


def _issued(models=global_apps, where: Q | None = None):
    rows = models.get_model("enforcement", "Decision")._default_manager.filter(status=ISSUED)
    return rows if where is None else rows.filter(where)


def discretion_compute(*, models=global_apps, where: Q | None = None) -> dict[Key, dict]:
    """Every group's columns from the decisions, as {(agency, item, year): columns}; of the
    decisions `where` selects only, if given (the rebuild's reading, the upkeep's, the tests')."""
    grouped = (
        _keyed(_issued(models, where))
        .values("tally_agency", "tally_item", "tally_year")
        .annotate(**_columns())
        .order_by()
    )
    found = {}
    for row in grouped:
        key = (row.pop("tally_agency"), row.pop("tally_item"), row.pop("tally_year"))
        row["item_code"], row["item_name"] = row["item_code"] or "", row["item_name"] or ""
        found[key] = row
    return found


def _group(key: Key) -> Q:
    agency_id, item_id, year = key
    zone = timezone.get_default_timezone()
    return Q(
        case__agency_id=agency_id,
        case__power_item_id=item_id,
        issued_at__gte=datetime(year, 1, 1, tzinfo=zone),
        issued_at__lt=datetime(year + 1, 1, 1, tzinfo=zone),
    )


def _keys_of(where: Q) -> set[Key]:
    """The groups the issued decisions `where` selects belong to now."""
    rows = _keyed(_issued(where=where)).values_list("tally_agency", "tally_item", "tally_year")
    return set(rows.order_by().distinct())


def _lock(model, key: Key) -> None:
    """Take the group's row lock (creating the row if need be) before its count is read."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, item_id, year) VALUES (%s, %s, %s) "  # noqa: S608
            "ON CONFLICT (agency_id, item_id, year) DO UPDATE SET year = EXCLUDED.year",
            list(key),
        )


def recount(keys: set[Key]) -> None:
    """Recount the groups from their decisions, in a fixed order (two transactions never wait
    on each other's rows in opposite orders); a group left with no decision loses its row."""
    model = global_apps.get_model(TABLE)
    with transaction.atomic():
        for key in sorted(keys):
            _lock(model, key)
            found = discretion_compute(where=_group(key)).get(key)
            rows = model.objects.filter(agency_id=key[0], item_id=key[1], year=key[2])
            if found is None:
                rows.delete()
            else:
                rows.update(**found)


@transaction.atomic
def discretion_rebuild(*, models=global_apps, batch_size: int = 5000) -> int:
    """Recompute every row from the decisions; the number of rows written. Idempotent; the table
    is locked against the upkeep while it runs (PostgreSQL)."""
    model = models.get_model(TABLE)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            name = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"LOCK TABLE {name} IN SHARE ROW EXCLUSIVE MODE")
    found = discretion_compute(models=models)
    model.objects.all().delete()
    model.objects.bulk_create(
        (
            model(agency_id=agency_id, item_id=item_id, year=year, **values)
            for (agency_id, item_id, year), values in found.items()
        ),
        batch_size=batch_size,
    )
    return len(found)


# --- upkeep ---------------------------------------------------------------------------------

# model -> (the fields whose change may move a count, the decisions a row's change touches)
WATCHED = {
    "enforcement.Decision": (
        ("case_id", "status", "issued_at", "kind", "fine_amount", "tier_id"),
        lambda pk: Q(pk=pk),
    ),
    "enforcement.Case": (
        ("agency_id", "power_item_id", "item_code", "item_name"),
        lambda pk: Q(case_id=pk),
    ),
    "enforcement.DiscretionTier": (("fine_min", "fine_max"), lambda pk: Q(tier_id=pk)),
}
# A tier a decision names cannot be deleted (PROTECT): its deletion counts nothing, and an item's
# tiers are replaced by a queryset delete that receivers would slow down.
DELETES_COUNT = ("enforcement.Decision", "enforcement.Case")
SEEN = "_discretion_seen"  # the watched fields as loaded or last saved
BEFORE = "_discretion_before"  # the groups the touched decisions belonged to before the change

_BY_MODEL: dict[type[Model], tuple] = {}


def _watched(instance) -> dict | None:
    names, _where = _BY_MODEL[type(instance)]
    values = instance.__dict__
    if any(name not in values for name in names):
        return None  # a deferred field: assume it changed
    return {name: values[name] for name in names}


def _concerns(instance, seen: dict | None, now: dict | None) -> bool:
    """Could the change move a count? A decision only while it is or was issued."""
    if seen is not None and seen == now:
        return False
    if isinstance(instance, Decision) and seen is not None and now is not None:
        return ISSUED in (seen["status"], now["status"])
    return True


def _remember(sender, instance, **kwargs):
    instance.__dict__[SEEN] = _watched(instance) if instance.pk is not None else None


def _saving(sender, instance, **kwargs):
    now, seen = _watched(instance), instance.__dict__.get(SEEN)
    if instance._state.adding:
        # Nothing counted it yet: a new decision counts if it is written issued.
        touched = isinstance(instance, Decision) and instance.status == ISSUED
        instance.__dict__[BEFORE] = set() if touched else None
    elif _concerns(instance, seen, now):
        instance.__dict__[BEFORE] = _keys_of(_BY_MODEL[sender][1](instance.pk))
    else:
        instance.__dict__[BEFORE] = None


def _saved(sender, instance, **kwargs):
    before = instance.__dict__.pop(BEFORE, None)
    instance.__dict__[SEEN] = _watched(instance)
    if before is not None:
        recount(before | _keys_of(_BY_MODEL[sender][1](instance.pk)))


def _deleting(sender, instance, **kwargs):
    instance.__dict__[BEFORE] = _keys_of(_BY_MODEL[sender][1](instance.pk))


def _deleted(sender, instance, **kwargs):
    keys = instance.__dict__.pop(BEFORE, set())
    if keys:
        recount(keys)


def connect() -> None:
    """Connect the receivers (the app's ready())."""
    for label, watched in WATCHED.items():
        model = global_apps.get_model(label)
        _BY_MODEL[model] = watched
        uid = f"discretion:{label}"
        post_init.connect(_remember, sender=model, dispatch_uid=uid)
        pre_save.connect(_saving, sender=model, dispatch_uid=uid)
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        if label not in DELETES_COUNT:
            continue
        pre_delete.connect(_deleting, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
