"""A search for a common word reads its first matches in list order from one index alone.

When thousands of items hold a word in their title, the first page's matches lie early in the list,
but reading them in order meant fetching each item's row (about 2 KB) to test its title: 10-110 ms
at 200,000 items (bench/power_search.py, the cache misses). This index holds the list order and
each item's title vector, so that walk is an index-only scan (0.7-1.4 ms for the same words).

A btree entry holds at most 2,704 bytes, and a title of two 200-character names has a vector of
5.6 KB: the index holds the items whose title document is at most `TITLE_BYTES` bytes (a vector of
at most about 2 KB; every item of the bench province), and the second index lists the longer ones,
which the search reads beside the walk (`enforcement.selectors.public`). Statistics on the title's
length tell the planner how few the long ones are (without them it guessed a third of the items
and read every title match from the table instead of that index). No-op on SQLite.
"""

from django.db import migrations

TABLE = "enforcement_publishedpoweritem"
TITLE_BYTES = 1000  # enforcement.selectors.public.WALK_TITLE_BYTES


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS published_item_title_walk ON {TABLE} "
        "(region_path, agency_id, code) INCLUDE (id, category, level, search_title_vector) "
        f"WHERE octet_length(search_title) <= {TITLE_BYTES}"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS published_item_long_title ON {TABLE} "
        f"(region_path, agency_id, code) WHERE octet_length(search_title) > {TITLE_BYTES}"
    )
    schema_editor.execute(
        "CREATE STATISTICS IF NOT EXISTS published_item_title_bytes "
        f"ON (octet_length(search_title)) FROM {TABLE}"
    )
    schema_editor.execute(f"ANALYZE {TABLE}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS published_item_title_walk")
    schema_editor.execute("DROP INDEX IF EXISTS published_item_long_title")
    schema_editor.execute("DROP STATISTICS IF EXISTS published_item_title_bytes")


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0029_remedy_awaiting_oldest")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
