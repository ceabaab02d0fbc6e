"""The public disclosure list narrowed by decision date (its year and date filters) is listed in
decision-date order, newest first, on one index that starts at the range's end: last year's
disclosures no longer walk every newer one (issue 15). The index on the decision date alone
(`disclosure_decided_on`) is what the new one's first column already serves."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('enforcement', '0024_search_vector_statistics'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='decisiondisclosure',
            name='disclosure_decided_on',
        ),
        migrations.AddIndex(
            model_name='decisiondisclosure',
            index=models.Index(fields=['-decided_on', '-disclosed_at', '-id'], name='disclosure_decided'),
        ),
    ]
