from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

RATING = [MinValueValidator(1), MaxValueValidator(5)]


class PublicOpinion(models.Model):
    """R20: one opinion of the public on an agency in a period (the year). An evaluation card is
    filled in by anyone, once per period per device; hotline and symposium opinions are entered by
    staff with their source. A free-text comment is moderated before it is shown or counted."""

    class Source(models.TextChoices):
        CARD = "card", _("执法评议卡")
        HOTLINE = "hotline", _("热线电话")
        SYMPOSIUM = "symposium", _("座谈会")
        QUESTIONNAIRE = "questionnaire", _("问卷调查")

    class Moderation(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("被评议单位"),
        on_delete=models.PROTECT,
        related_name="public_opinions",
    )
    period = models.PositiveSmallIntegerField(_("评议年度"))
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    lawful = models.PositiveSmallIntegerField(_("依法执法"), validators=RATING)
    civil = models.PositiveSmallIntegerField(_("文明执法"), validators=RATING)
    efficient = models.PositiveSmallIntegerField(_("办事效率"), validators=RATING)
    comment = models.TextField(_("意见建议"), blank=True, max_length=500)
    moderation = models.CharField(
        _("审核状态"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    # A card's device: the hash of the signed one-time token's device id, never an address.
    device_key = models.CharField(max_length=64, blank=True, editable=False)
    source_note = models.CharField(
        _("来源说明"), max_length=200, blank=True, help_text=_("热线工单号、座谈会时间地点等。")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("社会评议意见")
        verbose_name_plural = _("社会评议意见")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "period", "device_key"],
                condition=Q(source="card"),
                name="opinion_one_card_per_device_period",
            ),
            models.CheckConstraint(
                condition=~Q(source="card") | ~Q(device_key=""), name="opinion_card_has_device"
            ),
            models.CheckConstraint(
                condition=Q(source="card") | ~Q(source_note=""),
                name="opinion_staff_entry_has_source",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{f}__gte": 1, f"{f}__lte": 5}), name=f"opinion_{f}_1_to_5"
                )
                for f in ("lawful", "civil", "efficient")
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "period", "moderation"], name="opinion_agency_period"),
            models.Index(
                fields=["moderation", "created_at"],
                name="opinion_pending_queue",
                condition=Q(moderation="pending"),
            ),
        ]

    def __str__(self):
        return f"{self.agency} {self.period} {self.get_source_display()}"
