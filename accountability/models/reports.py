"""R24, R28: the handler's report: the facts, each one's responsibility (the shares, R25), the
circumstances that weigh (fault, conduct, consequences, social impact, mitigating and aggravating,
good faith within the law, R29), and the sanction proposed for each one concerned, with the band
the region's table gives."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .proceedings import Accused, Proceeding
from .rules import Consequence, Fault, Impact, SanctionKind


class Report(models.Model):
    proceeding = models.OneToOneField(Proceeding, on_delete=models.CASCADE, related_name="report")
    facts = models.TextField(_("查明的事实"), max_length=20000)
    fault = models.CharField(_("主观过错"), max_length=10, choices=Fault.choices)
    conduct = models.TextField(_("行为情节"), max_length=5000)
    consequence = models.CharField(_("危害后果"), max_length=12, choices=Consequence.choices)
    impact = models.CharField(_("社会影响"), max_length=10, choices=Impact.choices)
    mitigating = models.TextField(_("从轻、减轻情节"), max_length=5000, blank=True)
    aggravating = models.TextField(_("从重、加重情节"), max_length=5000, blank=True)
    # R29: acting in good faith within the law (依法履职、担当作为) mitigates.
    good_faith = models.BooleanField(_("依法履职、担当作为中出现失误"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("调查报告")
        verbose_name_plural = _("调查报告")

    def __str__(self) -> str:
        return str(self.proceeding)


class Proposal(models.Model):
    """The sanction the report proposes for one person or unit, and the band it was checked
    against when proposed (kept, so a later change of the region's table does not rewrite it)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="proposals")
    accused = models.OneToOneField(Accused, on_delete=models.CASCADE, related_name="proposal")
    responsible = models.BooleanField(_("认定负有责任"), default=True)
    kind = models.CharField(_("建议处理"), max_length=16, choices=SanctionKind.choices, blank=True)
    band_low = models.CharField(_("档次下限"), max_length=16, choices=SanctionKind.choices)
    band_high = models.CharField(_("档次上限"), max_length=16, choices=SanctionKind.choices)
    justification = models.TextField(_("超出档次的理由"), max_length=5000, blank=True)

    class Meta:
        verbose_name = _("处理建议")
        verbose_name_plural = _("处理建议")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.accused}: {self.get_kind_display()}"
