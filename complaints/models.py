"""Complaints against improper enforcement (R14–R17). So far: the published channels (R14)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ComplaintChannel(models.Model):
    """R14: how a government receives complaints, published for the public to see."""

    region = models.OneToOneField(
        "enforcement.Region",
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="complaint_channel",
    )
    office = models.CharField(_("受理机构"), max_length=100)
    scope = models.TextField(_("受理范围"))
    email = models.EmailField(_("电子信箱"), blank=True)
    hotline = models.CharField(_("热线电话"), max_length=40, blank=True)
    postal_address = models.CharField(_("通信地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=100, blank=True)
    published = models.BooleanField(_("向社会公布"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("投诉举报渠道")
        verbose_name_plural = _("投诉举报渠道")
        ordering = ["region__path"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="", hotline="", postal_address=""),
                name="complaint_channel_has_a_way_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.office}"

    def clean(self) -> None:
        if not (self.email or self.hotline or self.postal_address):
            raise ValidationError(_("请至少填写电子信箱、热线电话或通信地址中的一项。"))
