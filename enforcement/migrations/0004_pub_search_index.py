"""Public search on PostgreSQL: a stored tsvector of the search document and its GIN index, and
a btree in the public lists' order.

The vector is a generated column that only PostgreSQL knows about (Django never reads or writes
it; every write of search_document recomputes it). It is stored rather than computed in the
query because a published item's document runs to about a thousand bigrams: computing
to_tsvector on it costs ~0.3 ms per row, which every phrase match (rechecked against the row)
and every filtered scan in browse order would pay; reading the stored vector costs microseconds.
`enforcement.lookups.BigramSearch` is the only query that uses it.

The browse index of 0003 uses varchar_pattern_ops (for "this region and below" prefixes), which
cannot serve ORDER BY; with the ordering index a common word such as 许可 (in almost half of all
items) is answered by reading the list in order and stopping after one page of matches, instead
of sorting every match. No-op on SQLite.
"""

from django.db import migrations

TABLE = "enforcement_publishedpoweritem"
INDEX = "published_item_search_gin"
ORDER_INDEX = "published_item_list_order"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_document)) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} USING gin (search_vector)"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {ORDER_INDEX} ON {TABLE} (region_path, agency_id, code)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {ORDER_INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0003_power_lists")]

    operations = [migrations.RunPython(create, drop)]
