"""Delegated enforcement (委托执法, R4): the catalogue shown on the delegating agency's list."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Delegation(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("有效")
        EXPIRED = "expired", _("已到期")
        CLEARED = "cleared", _("已清理")

    delegating_agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("委托机关"),
        on_delete=models.PROTECT,
        related_name="delegations_given",
    )
    delegated_organisation = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("受委托组织"),
        on_delete=models.PROTECT,
        related_name="delegations_received",
    )
    basis = models.CharField(_("委托依据"), max_length=300)
    starts_on = models.DateField(_("委托起始日期"))
    ends_on = models.DateField(_("委托终止日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    cleared_reason = models.TextField(_("清理原因"), blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("清理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    cleared_at = models.DateTimeField(_("清理时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("委托执法")
        verbose_name_plural = _("委托执法目录")
        ordering = ["delegating_agency", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(delegating_agency=models.F("delegated_organisation")),
                name="delegation_not_to_itself",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="delegation_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status="cleared") | ~Q(cleared_reason=""),
                name="delegation_cleared_with_reason",
            ),
        ]
        indexes = [
            # R4: the daily expiry reads the active delegations past their end date.
            models.Index(
                fields=["ends_on"], name="delegation_active_ends", condition=Q(status="active")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegating_agency} → {self.delegated_organisation}"
