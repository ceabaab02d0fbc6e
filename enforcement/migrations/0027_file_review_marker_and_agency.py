"""The queue of closed files awaiting review and a supervisor's reviews, read from indexes of
their own (issue 15): a case marks whether its file was reviewed (kept by the reviews' save and
delete) with a partial index of the closed, unreviewed cases; a review keeps its case's agency.
Both filled from the reviews and the cases."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


FILL = """
UPDATE enforcement_case AS c SET file_reviewed = true
WHERE EXISTS (SELECT 1 FROM enforcement_casefilereview AS r WHERE r.case_id = c.id);
UPDATE enforcement_casefilereview AS r SET agency_id = c.agency_id
FROM enforcement_case AS c WHERE c.id = r.case_id;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('enforcement', '0026_remedy_outcome_agency'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='file_reviewed',
            field=models.BooleanField(db_default=False, default=False, editable=False, verbose_name='已评查'),
        ),
        migrations.AddField(
            model_name='casefilereview',
            name='agency',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='enforcement.agency', verbose_name='执法主体'),
        ),
        migrations.AddField(
            model_name='historicalcase',
            name='file_reviewed',
            field=models.BooleanField(db_default=False, default=False, editable=False, verbose_name='已评查'),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name='casefilereview',
            name='agency',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='enforcement.agency', verbose_name='执法主体'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('closed_at__isnull', False), ('file_reviewed', False)), fields=['closed_at'], include=('agency',), name='case_awaiting_file_review'),
        ),
        migrations.AddIndex(
            model_name='casefilereview',
            index=models.Index(fields=['agency', '-reviewed_at'], name='case_file_review_by_agency'),
        ),
    ]
