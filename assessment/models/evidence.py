from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cycles import Cycle


class Inspection(models.Model):
    """R20: a special inspection (专项检查) or an unannounced visit (暗访) of an agency: who went,
    when, where, what they found; photos beside it."""

    class Kind(models.TextChoices):
        SPECIAL = "special", _("专项检查")
        UNANNOUNCED = "unannounced", _("暗访")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="inspections")
    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("被检查单位"),
        on_delete=models.PROTECT,
        related_name="evaluation_inspections",
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    held_on = models.DateField(_("检查日期"))
    place = models.CharField(_("地点"), max_length=200)
    inspectors = models.CharField(_("检查人员"), max_length=200)
    findings = models.TextField(_("发现的问题"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专项检查与暗访")
        verbose_name_plural = _("专项检查与暗访")
        ordering = ["-held_on", "pk"]
        indexes = [models.Index(fields=["cycle", "agency"], name="inspection_cycle_agency")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.agency} {self.held_on}"


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("照片"), upload_to="assessment/inspections/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("类型"), max_length=50)

    class Meta:
        verbose_name = _("检查照片")
        verbose_name_plural = _("检查照片")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class AgencyFigures(models.Model):
    """R20: the figures the portal computes itself for an agency over the cycle's year, stored so
    that the scoring and results pages read one row instead of recounting millions. Rates are
    percentages; None when there was nothing to count."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="figures")
    agency = models.ForeignKey(
        "enforcement.Agency", on_delete=models.PROTECT, related_name="evaluation_figures"
    )
    complaints_received = models.PositiveIntegerField(_("收到投诉"), default=0)
    complaints_substantiated = models.PositiveIntegerField(_("投诉属实"), default=0)
    acknowledgements_due = models.PositiveIntegerField(_("应告知投诉"), default=0)
    acknowledgements_on_time = models.PositiveIntegerField(_("按时告知"), default=0)
    revisions_due = models.PositiveIntegerField(_("应调整清单事项"), default=0)
    revisions_on_time = models.PositiveIntegerField(_("按时调整"), default=0)
    legal_reviews = models.PositiveIntegerField(_("法制审核"), default=0)
    legal_reviews_refused = models.PositiveIntegerField(_("审核未通过"), default=0)
    cases = models.PositiveIntegerField(_("办结案件"), default=0)
    case_reviews = models.PositiveIntegerField(_("评查案卷"), default=0)
    case_review_average = models.DecimalField(
        _("案卷评查平均分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    remedies = models.PositiveIntegerField(_("复议诉讼结果"), default=0)
    remedies_unfavourable = models.PositiveIntegerField(_("不利结果"), default=0)
    accountability_findings = models.PositiveIntegerField(_("责任追究"), default=0)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("统计指标")
        verbose_name_plural = _("统计指标")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "agency"], name="figures_one_per_agency")
        ]

    def __str__(self):
        return f"{self.cycle} {self.agency}"
