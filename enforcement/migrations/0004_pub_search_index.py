"""The GIN index behind public search (PostgreSQL only; SQLite development has no such index).

Its expression must stay exactly the one `enforcement.lookups.BigramSearch` queries with, or the
planner cannot use it. Bigrams make a two-character query such as 许可 one exact term here.
"""

from django.db import migrations

INDEX = "published_item_search_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON enforcement_publishedpoweritem "
        "USING gin (to_tsvector('simple'::regconfig, search_document))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0003_power_lists")]

    operations = [migrations.RunPython(create_index, drop_index)]
