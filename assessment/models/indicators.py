from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .cycles import Cycle


class Indicator(models.Model):
    """One indicator of a cycle's weighted scheme (R20). Its weight is its maximum points; a
    total is the points earned over the points available, out of 100. Every edit is a version
    (simple-history); a new cycle starts from a copy of last year's scheme."""

    class Category(models.TextChoices):
        ENFORCEMENT = "enforcement", _("行政执法工作")
        RESPONSIBILITY = "responsibility", _("执法责任制落实")

    class Figure(models.TextChoices):
        """The figure the portal computes itself that an evaluator sees beside the indicator."""

        NONE = "", _("无")
        COMPLAINTS = "complaints", _("投诉受理与属实情况")
        ACKNOWLEDGEMENT = "acknowledgement", _("投诉按时告知率")
        REVISIONS = "revisions", _("权责清单按时调整")
        LEGAL_REVIEWS = "legal_reviews", _("重大决定法制审核")
        CASE_REVIEWS = "case_reviews", _("案卷评查得分")
        REMEDIES = "remedies", _("复议诉讼不利结果")
        ACCOUNTABILITY = "accountability", _("责任追究情况")
        OPINION = "opinion", _("社会评议")
        INSPECTIONS = "inspections", _("专项检查与暗访")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("编号"), max_length=20)
    name = models.CharField(_("指标名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    max_points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    figure = models.CharField(
        _("关联统计指标"), max_length=20, choices=Figure.choices, blank=True, default=""
    )
    guidance = models.TextField(_("评分标准"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["cycle", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="indicator_code_per_cycle"),
            models.CheckConstraint(
                condition=Q(max_points__gt=0) & Q(max_points__lte=100),
                name="indicator_points_positive",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"
