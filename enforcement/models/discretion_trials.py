"""The discretion trial (R7, § 四(二) 稳步推进行政许可、行政强制裁量权试点): a region that joins
the trial for 行政许可 or 行政强制 lets its agencies set discretion benchmarks on items of that
category, as every region does for penalties. Joining holds for the region and every region below
it (the nearest region up the tree that joined decides)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .powers import Category

# The categories of the trial; penalties have benchmarks everywhere (R7).
TRIAL_CATEGORIES = (Category.LICENSING, Category.COERCION)


class DiscretionTrial(models.Model):
    """R7: a region's joining the licensing or the coercion discretion trial, on its basis."""

    class TrialCategory(models.TextChoices):
        LICENSING = Category.LICENSING.value, Category.LICENSING.label
        COERCION = Category.COERCION.value, Category.COERCION.label

    region = models.ForeignKey(
        "enforcement.Region",
        verbose_name=_("试点地区"),
        on_delete=models.PROTECT,
        related_name="discretion_trials",
    )
    category = models.CharField(_("试点的职权类别"), max_length=20, choices=TrialCategory.choices)
    basis = models.CharField(
        _("试点依据"), max_length=300, help_text=_("确定参加试点的文件及其文号。")
    )
    started_on = models.DateField(_("试点开始日期"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("裁量权基准试点")
        verbose_name_plural = _("裁量权基准试点")
        ordering = ["region__path", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "category"],
                name="discretion_trial_once_per_region_and_category",
                violation_error_message=_("本地区已经参加了该类别的试点。"),
            ),
            models.CheckConstraint(
                condition=models.Q(category__in=[c.value for c in TRIAL_CATEGORIES]),
                name="discretion_trial_is_licensing_or_coercion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region}·{self.get_category_display()}"
