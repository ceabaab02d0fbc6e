from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Grade(models.TextChoices):
    """R22: the three grades, for agencies, units and officers alike."""

    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    UNQUALIFIED = "unqualified", _("不合格")


class Cycle(models.Model):
    """A region's yearly evaluation. The thresholds, the objection period and the dual weights are
    local choices (configurable per region, labelled as such); they are fixed on the cycle when it
    opens, so that a later change of the defaults never regrades a past year."""

    class Status(models.TextChoices):
        OPEN = "open", _("评议中")
        CLOSED = "closed", _("已结束")

    region = models.ForeignKey(
        "enforcement.Region",
        verbose_name=_("区划"),
        on_delete=models.PROTECT,
        related_name="evaluation_cycles",
    )
    year = models.PositiveSmallIntegerField(
        _("考核年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    merged_with_rule_of_law = models.BooleanField(
        _("与依法行政考核合并开展"),
        default=False,
        help_text=_("合并开展时，评议考核结果作为依法行政考核的组成部分导出。"),
    )
    excellent_from = models.DecimalField(
        _("优秀分数线（本地选择）"), max_digits=5, decimal_places=2, default=Decimal("90")
    )
    qualified_from = models.DecimalField(
        _("合格分数线（本地选择）"), max_digits=5, decimal_places=2, default=Decimal("60")
    )
    objection_working_days = models.PositiveSmallIntegerField(
        _("异议期限（工作日，本地选择）"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    dual_vertical_weight = models.PositiveSmallIntegerField(
        _("双重管理部门上级评议权重（%，本地选择）"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "双重管理部门的总分 = 上级主管部门评分 × 该权重 + 本级政府评分 × (100 − 该权重)。"
        ),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("开启人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("开启时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评议考核周期")
        verbose_name_plural = _("评议考核周期")
        ordering = ["-year", "region__path"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="cycle_one_per_region_year"),
            models.CheckConstraint(
                condition=Q(qualified_from__gt=0)
                & Q(qualified_from__lt=F("excellent_from"))
                & Q(excellent_from__lte=100),
                name="cycle_thresholds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(dual_vertical_weight__lte=100), name="cycle_dual_weight_percent"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="cycle_closed_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.region} {self.year}"

    def grade_for(self, total: Decimal) -> str:
        """R22: the grade a total earns under this cycle's thresholds."""
        if total >= self.excellent_from:
            return Grade.EXCELLENT
        if total >= self.qualified_from:
            return Grade.QUALIFIED
        return Grade.UNQUALIFIED


class CycleEvent(models.Model):
    """The cycle's timeline: every state change of the cycle or of what belongs to it."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("开启考核")
        SCHEME_CHANGED = "scheme_changed", _("修改指标体系")
        ASSIGNMENTS_DERIVED = "assignments_derived", _("生成评议关系")
        LOCAL_OPINION = "local_opinion", _("录入属地政府意见")
        INSPECTION = "inspection", _("记录检查暗访")
        OPINION_ENTERED = "opinion_entered", _("录入社会评议意见")
        OPINION_MODERATED = "opinion_moderated", _("审核评议留言")
        FIGURES_COMPUTED = "figures_computed", _("计算统计指标")
        SCORED = "scored", _("评分")
        RESULTS_COMPUTED = "results_computed", _("计算考核结果")
        RESULTS_DISCLOSED = "results_disclosed", _("公开考核结果")
        AWARDS_ALLOCATED = "awards_allocated", _("分配评优名额")
        RECTIFICATION_ORDERED = "rectification_ordered", _("责令整改")
        RECTIFICATION_REMINDED = "rectification_reminded", _("整改提醒")
        RECTIFICATION_ESCALATED = "rectification_escalated", _("整改逾期上报")
        RECTIFICATION_CLOSED = "rectification_closed", _("整改完成")
        UNITS_EVALUATED = "units_evaluated", _("内设机构考核")
        OFFICER_RECORD = "officer_record", _("录入执法人员考核记录")
        OFFICER_RESULTS_COMPUTED = "officer_results_computed", _("计算执法人员考核结果")
        OFFICER_RESULTS_PUBLISHED = "officer_results_published", _("公布执法人员考核结果")
        OBJECTION_FILED = "objection_filed", _("提出异议")
        OBJECTION_DECIDED = "objection_decided", _("异议处理")
        OFFICER_RESULTS_FINAL = "officer_results_final", _("执法人员考核结果确定")
        MEASURE_ORDERED = "measure_ordered", _("责令批评教育或离岗培训")
        MEASURE_COMPLETED = "measure_completed", _("批评教育或离岗培训完成")
        REPEAT_DECIDED = "repeat_decided", _("连续两年不合格处理决定")
        RESULT_USED = "result_used", _("记录结果运用")
        CLOSED = "closed", _("结束考核")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("涉及单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("考核记录")
        verbose_name_plural = _("考核记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["cycle", "at"], name="cycle_event_cycle_at")]

    def __str__(self):
        return f"{self.cycle} {self.get_kind_display()}"
