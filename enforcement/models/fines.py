"""Fines (R30): the decision is separate from the collection (罚缴分离).

A region designates the banks that collect its fines; a fine decision names one; the party pays
the bank, and the payment is entered from the bank's receipt by the government side (a
supervisor of the agency's region), never by the agency that decided. There is deliberately no
field anywhere for a fine quota or target.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CollectingBank(models.Model):
    """A bank a region designates to collect fines (代收银行); the nearest region up the tree
    that designates any is the one whose banks a decision may name."""

    region = models.ForeignKey(
        "enforcement.Region",
        verbose_name=_("指定地区"),
        on_delete=models.PROTECT,
        related_name="collecting_banks",
    )
    name = models.CharField(_("代收银行"), max_length=100)
    account_name = models.CharField(_("收款账户名称"), max_length=100)
    account_number = models.CharField(_("收款账号"), max_length=40)
    is_active = models.BooleanField(_("有效"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("罚款代收银行")
        verbose_name_plural = _("罚款代收银行")
        ordering = ["region", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "account_number"], name="collecting_bank_account_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.account_number}）"


class FinePayment(models.Model):
    """A payment of a fine, entered from the collecting bank's receipt (R30)."""

    decision = models.ForeignKey(
        "enforcement.Decision",
        verbose_name=_("执法决定"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    bank = models.ForeignKey(
        CollectingBank,
        verbose_name=_("代收银行"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    receipt_number = models.CharField(_("银行回执编号"), max_length=50)
    amount = models.DecimalField(_("缴款金额（元）"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("缴款日期"))
    note = models.CharField(_("备注"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("罚款缴纳记录")
        verbose_name_plural = _("罚款缴纳记录")
        ordering = ["decision", "paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fine_payment_positive"),
            # One bank receipt is entered once.
            models.UniqueConstraint(
                fields=["bank", "receipt_number"], name="fine_payment_receipt_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_number} {self.amount}"
