"""R12: cooperation with supervision commissions (监察) and audit bodies (审计): referrals both
ways with their receipts and outcomes, notices circulated to them, and the periodic export of
shared information (共享信息, the format in docs/cooperation-export.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.timeline import Event


class BodyKind(models.TextChoices):
    SUPERVISION = "supervision", _("监察委员会")
    AUDIT = "audit", _("审计机关")


class Referral(models.Model):
    """A referral (移送) to, or a letter (来函) from, a supervision commission or audit body."""

    class Direction(models.TextChoices):
        OUTGOING = "outgoing", _("移出")
        INCOMING = "incoming", _("移入")

    class Status(models.TextChoices):
        SENT = "sent", _("已移送，待回执")
        RECEIPTED = "receipted", _("已回执，待结果")
        RECEIVED = "received", _("已收到，办理中")
        CONCLUDED = "concluded", _("已反馈结果")

    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices)
    body_kind = models.CharField(_("机关类别"), max_length=12, choices=BodyKind.choices)
    body_name = models.CharField(_("机关名称"), max_length=100)
    subject = models.CharField(_("事由"), max_length=200)
    summary = models.TextField(_("内容摘要"), max_length=5000)
    region = models.ForeignKey(
        "enforcement.Region", verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("涉及单位"),
        on_delete=models.PROTECT,
        related_name="accountability_referrals",
    )
    clue = models.ForeignKey(
        "accountability.Clue",
        verbose_name=_("关联线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    reference = models.CharField(_("文号"), max_length=100, blank=True)
    sent_on = models.DateField(_("移送日期"), null=True, blank=True)
    received_on = models.DateField(_("收到日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices)
    receipt_number = models.CharField(_("回执编号"), max_length=100, blank=True)
    receipt_on = models.DateField(_("回执日期"), null=True, blank=True)
    outcome = models.TextField(_("处理结果"), max_length=5000, blank=True)
    outcome_on = models.DateField(_("结果日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("移送与来函")
        verbose_name_plural = _("移送与来函")
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(direction="outgoing") & Q(sent_on__isnull=False))
                | (Q(direction="incoming") & Q(received_on__isnull=False)),
                name="referral_dated",
            ),
            # R12: an outgoing referral's outcome is recorded only after its receipt.
            models.CheckConstraint(
                condition=Q(direction="incoming")
                | Q(outcome_on__isnull=True)
                | Q(receipt_on__isnull=False),
                name="referral_outcome_after_receipt",
            ),
        ]
        indexes = [models.Index(fields=["region", "direction", "status"], name="referral_list")]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.body_name} {self.subject}"

    @property
    def dated_on(self):
        return self.sent_on if self.direction == self.Direction.OUTGOING else self.received_on


class ReferralEvent(Event):
    """The referral's timeline; a referral with a clue is listed on the clue's page, whose own
    timeline stays the clue's."""

    class Kind(models.TextChoices):
        SENT = "sent", _("移送")
        RECEIVED = "received", _("收到来函")
        RECEIPT = "receipt", _("登记回执")
        OUTCOME = "outcome", _("登记处理结果")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(_("事项"), max_length=12, choices=Kind.choices)

    class Meta:
        verbose_name = _("移送记录")
        verbose_name_plural = _("移送记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.kind}"


class CooperationNotice(models.Model):
    """A notice (通报) circulated to supervision and audit bodies."""

    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("通报内容"), max_length=10000)
    bodies = models.CharField(_("通报机关"), max_length=500)
    region = models.ForeignKey(
        "enforcement.Region", verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.DateField(_("通报日期"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("通报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-sent_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class CooperationExport(models.Model):
    """One region's shared information for one period, as JSON and CSV files (made once)."""

    region = models.ForeignKey(
        "enforcement.Region", verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    json_file = models.FileField(_("JSON 文件"), upload_to="cooperation/")
    csv_file = models.FileField(_("CSV 文件"), upload_to="cooperation/")
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("共享信息导出")
        verbose_name_plural = _("共享信息导出")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period_start", "period_end"], name="cooperation_export_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.period_start}–{self.period_end}"
