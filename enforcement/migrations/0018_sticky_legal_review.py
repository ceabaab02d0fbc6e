"""R5, sticky legal review: a decision once submitted stays subject to review (review_required),
every save is a draft version, a review names the version it reviewed, and a person may mark a
decision major with a reason.

On PostgreSQL the composite foreign key of migration 0007 (the approval names an agreeing review of
this decision) is dropped here and re-created with the draft version in 0013: it must be dropped
before its target, the unique (id, decision, conclusion), goes.

Existing rows: a decision not yet issued that was ever submitted (it has a review, or it is in
review, returned or agreed) becomes subject to review and major; this is exactly the decision the
old code let staff redraft below the thresholds and issue without review. Every existing review
and decision is of draft 1.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_FOREIGN_KEY = (
    "ALTER TABLE enforcement_decision ADD CONSTRAINT decision_approved_review_agreed "
    "FOREIGN KEY (approved_review_id, id, approved_conclusion) "
    "REFERENCES enforcement_legalreview (id, decision_id, conclusion) DEFERRABLE INITIALLY DEFERRED"
)
STILL_SUBJECT = "已提交过法制审核，重新拟定后仍须经法制审核同意（应审尽审）"


def drop_old_foreign_key(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE enforcement_decision DROP CONSTRAINT decision_approved_review_agreed"
        )


def restore_old_foreign_key(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_FOREIGN_KEY)


def submitted_stay_subject_to_review(apps, schema_editor):
    Decision = apps.get_model("enforcement", "Decision")
    submitted = Decision.objects.exclude(status="issued").filter(
        models.Q(status__in=["in_review", "returned", "agreed"]) | models.Q(reviews__isnull=False)
    )
    for decision in submitted.distinct():
        decision.review_required = True
        if not decision.is_major:
            decision.is_major = True
            decision.major_reasons = [*decision.major_reasons, STILL_SUBJECT]
        decision.save(update_fields=["review_required", "is_major", "major_reasons"])


class Migration(migrations.Migration):
    dependencies = [
        ("enforcement", "0017_revision_task_due_moved_note"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_old_foreign_key, restore_old_foreign_key),
        migrations.RemoveConstraint(
            model_name="legalreview",
            name="legal_review_id_decision_conclusion",
        ),
        migrations.AddField(
            model_name="decision",
            name="draft_version",
            field=models.PositiveIntegerField(default=1, verbose_name="草稿版本"),
        ),
        migrations.AddField(
            model_name="decision",
            name="major_grounds",
            field=models.JSONField(blank=True, default=list, verbose_name="人工认定的重大情形"),
        ),
        migrations.AddField(
            model_name="decision",
            name="marked_major",
            field=models.BooleanField(default=False, verbose_name="人工认定为重大执法决定"),
        ),
        migrations.AddField(
            model_name="decision",
            name="marked_major_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="认定人",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="marked_major_reason",
            field=models.TextField(
                blank=True, max_length=2000, verbose_name="认定为重大执法决定的理由"
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="review_required",
            field=models.BooleanField(
                default=False,
                help_text="提交法制审核后即保持，重新拟定也不解除（R5）。",
                verbose_name="须经法制审核",
            ),
        ),
        migrations.AddField(
            model_name="historicaldecision",
            name="draft_version",
            field=models.PositiveIntegerField(default=1, verbose_name="草稿版本"),
        ),
        migrations.AddField(
            model_name="historicaldecision",
            name="major_grounds",
            field=models.JSONField(blank=True, default=list, verbose_name="人工认定的重大情形"),
        ),
        migrations.AddField(
            model_name="historicaldecision",
            name="marked_major",
            field=models.BooleanField(default=False, verbose_name="人工认定为重大执法决定"),
        ),
        migrations.AddField(
            model_name="historicaldecision",
            name="marked_major_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="认定人",
            ),
        ),
        migrations.AddField(
            model_name="historicaldecision",
            name="marked_major_reason",
            field=models.TextField(
                blank=True, max_length=2000, verbose_name="认定为重大执法决定的理由"
            ),
        ),
        migrations.AddField(
            model_name="historicaldecision",
            name="review_required",
            field=models.BooleanField(
                default=False,
                help_text="提交法制审核后即保持，重新拟定也不解除（R5）。",
                verbose_name="须经法制审核",
            ),
        ),
        migrations.AddField(
            model_name="legalreview",
            name="draft_version",
            field=models.PositiveIntegerField(default=1, verbose_name="所审核的草稿版本"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("opened", "立案"),
                    ("record_added", "添加记录"),
                    ("record_corrected", "更正记录"),
                    ("stage_advanced", "进入下一阶段"),
                    ("decision_saved", "拟定执法决定"),
                    ("decision_submitted", "提交法制审核"),
                    ("reviewed", "法制审核"),
                    ("major_marked", "认定为重大执法决定"),
                    ("major_unmarked", "取消重大执法决定认定"),
                    ("decision_issued", "作出执法决定"),
                    ("disclosed", "决定公示"),
                    ("payment_recorded", "录入罚款缴纳"),
                    ("closed", "结案"),
                    ("remedy_recorded", "录入复议诉讼结果"),
                    ("screened", "问责筛查"),
                    ("file_reviewed", "案卷评查"),
                ],
                max_length=20,
                verbose_name="环节",
            ),
        ),
        migrations.RunPython(submitted_stay_subject_to_review, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="decision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("review_required", True), _negated=True),
                    ("is_major", True),
                    _connector="OR",
                ),
                name="decision_review_required_is_major",
            ),
        ),
        migrations.AddConstraint(
            model_name="decision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("marked_major", True), _negated=True),
                    ("is_major", True),
                    _connector="OR",
                ),
                name="decision_marked_major_is_major",
            ),
        ),
        migrations.AddConstraint(
            model_name="decision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("marked_major", True), _negated=True),
                    models.Q(("marked_major_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="decision_marked_major_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="decision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status__in", ["in_review", "returned", "agreed"]), _negated=True),
                    ("review_required", True),
                    _connector="OR",
                ),
                name="decision_submitted_stays_subject_to_review",
            ),
        ),
        migrations.AddConstraint(
            model_name="decision",
            constraint=models.CheckConstraint(
                condition=models.Q(("draft_version__gte", 1)),
                name="decision_draft_version_positive",
            ),
        ),
        migrations.AddConstraint(
            model_name="legalreview",
            constraint=models.UniqueConstraint(
                fields=("id", "decision", "conclusion", "draft_version"),
                name="legal_review_id_decision_conclusion_draft",
            ),
        ),
    ]
