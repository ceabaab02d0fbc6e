from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .assignments import Assignment
from .evidence import Inspection
from .indicators import Indicator


class Score(models.Model):
    """R20: an evaluator's points for one indicator of one assignment, with the evidence relied
    on. The points never exceed the indicator's (checked by the service, which knows both)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="scores")
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)
    evidence = models.TextField(_("评分依据"))
    inspections = models.ManyToManyField(
        Inspection, verbose_name=_("依据的检查暗访"), blank=True, related_name="scores"
    )
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评分人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scored_at = models.DateTimeField(_("评分时间"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[inspections])

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        ordering = ["assignment", "indicator__order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "indicator"], name="score_one_per_indicator"
            ),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_not_negative"),
        ]

    def __str__(self):
        return f"{self.assignment} {self.indicator.code} {self.points}"
