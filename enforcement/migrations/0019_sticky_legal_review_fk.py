"""R5: on PostgreSQL the database itself checks that the review an issued decision names is an
agreeing review of that same decision AND of its current draft: (approved_review_id, id,
approved_conclusion, draft_version) must be an (id, decision_id, conclusion, draft_version) of a
legal review. A redraft moves draft_version on, so no approval of an earlier draft can stand. A NULL
approved_review_id is not checked (MATCH SIMPLE); the check constraints require it for an issued
major decision, and keep a decision once submitted (review_required) major. SQLite cannot add a
foreign key to an existing table: there the services and the check constraints stand alone.

Its own migration (its own transaction on PostgreSQL), after the rows updated in 0012.
"""

from django.db import migrations

FOREIGN_KEY = (
    "ALTER TABLE enforcement_decision ADD CONSTRAINT decision_approved_review_agreed "
    "FOREIGN KEY (approved_review_id, id, approved_conclusion, draft_version) "
    "REFERENCES enforcement_legalreview (id, decision_id, conclusion, draft_version) "
    "DEFERRABLE INITIALLY DEFERRED"
)


def add_foreign_key(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FOREIGN_KEY)


def drop_foreign_key(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE enforcement_decision DROP CONSTRAINT decision_approved_review_agreed"
        )


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0018_sticky_legal_review")]

    operations = [migrations.RunPython(add_foreign_key, drop_foreign_key)]
