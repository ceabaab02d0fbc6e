"""R24: a transfer (移送) to the supervision commission, the appointing body or the judicial
organs, where the facts call for it; the case closes only once the receipt is recorded."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .proceedings import Proceeding


class Transfer(models.Model):
    class Body(models.TextChoices):
        SUPERVISION = "supervision", _("监察委员会")
        APPOINTING = "appointing", _("任免机关")
        JUDICIAL = "judicial", _("司法机关")

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="transfers")
    body = models.CharField(_("移送机关类别"), max_length=12, choices=Body.choices)
    body_name = models.CharField(_("移送机关名称"), max_length=100)
    reason = models.TextField(_("移送事由"), max_length=5000)
    sent_on = models.DateField(_("移送日期"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("移送人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    receipt_on = models.DateField(_("回执日期"), null=True, blank=True)
    receipt_number = models.CharField(_("回执编号"), max_length=100, blank=True)
    receipt_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回执登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("移送")
        verbose_name_plural = _("移送")
        ordering = ["sent_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(receipt_on__isnull=True) | ~Q(receipt_number=""),
                name="transfer_receipt_numbered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.body_name}"
