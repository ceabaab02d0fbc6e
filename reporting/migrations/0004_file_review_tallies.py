"""Case-file reviews (R20, R21) tallied per agency and month, so that the file-review page's
yearly scores read twelve rows per agency instead of the year's reviews (issue 15)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    # The case-file reviews already recorded, counted as the upkeep will count new ones.
    from reporting.services.tallies import tallies_rebuild

    tallies_rebuild(models=apps)


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0003_tallies'),
    ]

    operations = [
        migrations.AddField(
            model_name='monthtally',
            name='file_review_points',
            field=models.PositiveIntegerField(db_default=0, default=0, verbose_name='评查总分合计'),
        ),
        migrations.AddField(
            model_name='monthtally',
            name='file_reviews',
            field=models.PositiveIntegerField(db_default=0, default=0, verbose_name='案卷评查'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
