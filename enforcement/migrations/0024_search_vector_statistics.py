"""Search plans that hold for rare words: a larger statistics sample of the three search vectors.

With the default target (100) PostgreSQL keeps the frequencies of about 800 lexemes per vector and
estimates every other lexeme at half the rarest one kept (about 1,000 of 200,000 items). A word
that a few dozen items hold was then planned as if a thousand did; under a small LIMIT the planner
preferred reading the whole list in order (`published_item_list_order`) and filtering each row,
3–4 s for a word that matched nothing in that tier (bench/power_search.py, the cache misses),
instead of the GIN index (under 1 ms). A target of 1,000 keeps about 10,000 lexemes: every bigram
of the bench province's items, and the common ones of a real province's, so rare words are
estimated as rare. ANALYZE of the table reads more rows (about 20 s at 200,000 items). No-op on
SQLite.
"""

from django.db import migrations

TABLE = "enforcement_publishedpoweritem"
VECTORS = ("search_vector", "search_title_vector", "search_bases_vector")
TARGET = 1000


def _set_statistics(schema_editor, target: int) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    columns = ", ".join(f"ALTER COLUMN {vector} SET STATISTICS {target}" for vector in VECTORS)
    schema_editor.execute(f"ALTER TABLE {TABLE} {columns}")
    schema_editor.execute(f"ANALYZE {TABLE}")


def raise_target(apps, schema_editor):
    _set_statistics(schema_editor, TARGET)


def default_target(apps, schema_editor):
    _set_statistics(schema_editor, -1)


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0023_evaluation_figure_indexes")]

    operations = [migrations.RunPython(raise_target, default_target)]
