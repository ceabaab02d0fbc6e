"""R29: the notice to a person or unit concerned and their written statement and defence (陈述和
申辩), given within a period; a decision waits for it unless the right was expressly waived."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .proceedings import Accused


class Defence(models.Model):
    accused = models.OneToOneField(Accused, on_delete=models.CASCADE, related_name="defence")
    notice = models.TextField(_("告知内容"), max_length=5000)
    notified_on = models.DateField(_("告知日期"))
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("告知人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("陈述申辩期限"))
    due_provisional = models.BooleanField(_("期限待定"), default=False)
    statement = models.TextField(_("陈述申辩意见"), max_length=20000, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    waived = models.BooleanField(_("明确放弃陈述申辩"), default=False)
    waiver = models.TextField(_("放弃声明"), max_length=2000, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("陈述申辩")
        verbose_name_plural = _("陈述申辩")
        constraints = [
            models.CheckConstraint(
                condition=~Q(waived=True) | (~Q(waiver="") & Q(submitted_at__isnull=False)),
                name="defence_waiver_written",
            ),
            models.CheckConstraint(
                condition=Q(waived=True) | Q(statement="") | Q(submitted_at__isnull=False),
                name="defence_statement_dated",
            ),
        ]

    def __str__(self) -> str:
        return str(self.accused)

    @property
    def answered(self) -> bool:
        return self.submitted_at is not None
