from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .cycles import Cycle, Grade


class AgencyResult(models.Model):
    """R23: a department's result in a cycle, computed from the scores (never typed), disclosed
    within the scope the supervisor chooses, and the source of its performance score and its
    share of the award quotas."""

    class Disclosure(models.TextChoices):
        NONE = "none", _("未公开")
        INTERNAL = "internal", _("内部通报")
        REGION = "region", _("本地区公开")
        PUBLIC = "public", _("向社会公开")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="results")
    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="evaluation_results",
    )
    local_total = models.DecimalField(
        _("本级政府评分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    vertical_total = models.DecimalField(
        _("上级主管部门评分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=2)
    grade = models.CharField(_("等次"), max_length=12, choices=Grade.choices)
    performance_score = models.DecimalField(
        _("计入绩效考核分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    award_share_rule_of_law = models.PositiveSmallIntegerField(_("法治建设评优名额"), default=0)
    award_share_enforcement = models.PositiveSmallIntegerField(_("行政执法评优名额"), default=0)
    computed_at = models.DateTimeField(_("计算时间"))
    disclosure = models.CharField(
        _("公开范围"), max_length=10, choices=Disclosure.choices, default=Disclosure.NONE
    )
    disclosed_at = models.DateTimeField(_("公开时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("单位考核结果")
        verbose_name_plural = _("单位考核结果")
        ordering = ["cycle", "-total", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "agency"], name="result_one_per_agency"),
            models.CheckConstraint(
                condition=Q(total__gte=0) & Q(total__lte=100), name="result_total_0_100"
            ),
            models.CheckConstraint(
                condition=Q(disclosure="none") | Q(disclosed_at__isnull=False),
                name="result_disclosed_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["disclosure", "cycle"],
                name="result_public",
                condition=Q(disclosure="public"),
            ),
        ]

    def __str__(self):
        return f"{self.cycle} {self.agency} {self.total}"


class RectificationOrder(models.Model):
    """R23: an unqualified department is ordered to rectify by a deadline; the beat job reminds it
    before the deadline and escalates to the supervisor's superior once it passes; the order is
    closed with evidence."""

    class Status(models.TextChoices):
        OPEN = "open", _("整改中")
        OVERDUE = "overdue", _("逾期未整改")
        CLOSED = "closed", _("已完成整改")

    result = models.OneToOneField(
        AgencyResult, on_delete=models.PROTECT, related_name="rectification"
    )
    requirements = models.TextField(_("整改要求"))
    due = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("下达人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ordered_at = models.DateTimeField(_("下达时间"), auto_now_add=True)
    reminded_on = models.DateField(_("最近提醒日期"), null=True, blank=True)
    escalated_on = models.DateField(_("上报日期"), null=True, blank=True)
    closing_note = models.TextField(_("整改情况"), blank=True)
    closing_file = models.FileField(
        _("整改证明材料"), upload_to="assessment/rectification/%Y/", blank=True
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("整改通知")
        verbose_name_plural = _("整改通知")
        ordering = ["due", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_at__isnull=False) & ~Q(closing_note="")),
                name="rectification_closed_with_evidence",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due"], name="rectification_open_due", condition=~Q(status="closed")
            ),
        ]

    def __str__(self):
        return f"{self.result.agency} {self.due}"
