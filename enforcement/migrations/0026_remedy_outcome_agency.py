"""Reconsideration and litigation outcomes keep their case's agency, so that a supervisor's queue
of outcomes awaiting screening (the dashboard, the to-do lists) reads one partial index per
agency in scope instead of every case of the scope (issue 15: 1.2 s for a city at 2,000,000
cases). Filled from the cases, the history's rows too."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


FILL = """
UPDATE enforcement_remedyoutcome AS r SET agency_id = c.agency_id
FROM enforcement_case AS c WHERE c.id = r.case_id;
UPDATE enforcement_historicalremedyoutcome AS r SET agency_id = c.agency_id
FROM enforcement_case AS c WHERE c.id = r.case_id;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('enforcement', '0025_disclosure_by_decision_date'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='remedyoutcome',
            name='remedy_awaiting_screening',
        ),
        migrations.AddField(
            model_name='historicalremedyoutcome',
            name='agency',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='enforcement.agency', verbose_name='执法主体'),
        ),
        migrations.AddField(
            model_name='remedyoutcome',
            name='agency',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='enforcement.agency', verbose_name='执法主体'),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name='remedyoutcome',
            name='agency',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='enforcement.agency', verbose_name='执法主体'),
        ),
        migrations.AddIndex(
            model_name='remedyoutcome',
            index=models.Index(condition=models.Q(('needs_screening', True), ('screened_at__isnull', True)), fields=['agency', 'recorded_at'], name='remedy_awaiting_by_agency'),
        ),
    ]
