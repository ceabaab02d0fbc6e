# In its own migration: on PostgreSQL the rows filled by the previous one leave deferred
# foreign-key checks pending, and a table cannot be altered in the transaction that has them.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enforcement", "0014_new_law_tasks_reviewed_withdrawal_delegation_copies"),
    ]

    operations = [
        migrations.AlterField(
            model_name="revisiontask",
            name="agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="revision_tasks",
                to="enforcement.agency",
                verbose_name="实施主体",
            ),
        ),
    ]
