"""Search ranks its matches (R3): a published item's title and its legal bases get documents of
their own, each with a stored tsvector and a GIN index on PostgreSQL (as 0004 gave the whole
document), and the whole document now also holds the discretion tiers (罚款 finds the items that
impose fines). Every published item's three documents are computed again here.
"""

from django.db import migrations, models
from django.utils import translation

TABLE = "enforcement_publishedpoweritem"
VECTORS = {"search_title": "search_title_vector", "search_bases": "search_bases_vector"}
BATCH = 1000


def add_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for document, vector in VECTORS.items():
        schema_editor.execute(
            f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {vector} tsvector "
            f"GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, {document})) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS published_item_{document}_gin ON {TABLE} "
            f"USING gin ({vector})"
        )


def drop_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for document, vector in VECTORS.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS published_item_{document}_gin")
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {vector}")


def recompute(apps, schema_editor):
    from enforcement.search import search_documents

    Published = apps.get_model("enforcement", "PublishedPowerItem")
    rows = Published.objects.select_related("agency").order_by("pk")
    batch = []
    with translation.override("zh-hans"):
        for row in rows.iterator(chunk_size=BATCH):
            documents = search_documents(
                code=row.code,
                name=row.name,
                sub_item=row.sub_item,
                category_label=str(row.get_category_display()),
                handling_unit=row.handling_unit,
                responsibilities=row.responsibilities,
                accountability=row.accountability,
                bases=row.bases or [],
                discretion=row.discretion or [],
                agency_name=row.agency.name,
            )
            for name, value in documents.items():
                setattr(row, name, value)
            batch.append(row)
            if len(batch) == BATCH:
                Published.objects.bulk_update(batch, list(documents))
                batch = []
    if batch:
        Published.objects.bulk_update(batch, ["search_title", "search_bases", "search_document"])


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0011_case_recent_index")]

    operations = [
        migrations.AddField(
            model_name="publishedpoweritem",
            name="search_bases",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="publishedpoweritem",
            name="search_title",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(add_vectors, drop_vectors),
        migrations.RunPython(recompute, migrations.RunPython.noop),
    ]
