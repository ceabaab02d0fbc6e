from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .cycles import Cycle, Grade


class UnitEvaluation(models.Model):
    """R19: a department evaluates its internal units (内设机构): the units are the handling units
    of its power list, derived when the cycle opens; the department enters points, the grade is
    computed."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="unit_evaluations")
    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("部门"),
        on_delete=models.PROTECT,
        related_name="unit_evaluations",
    )
    unit = models.CharField(_("内设机构"), max_length=100)
    points = models.DecimalField(_("得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=12, choices=Grade.choices, blank=True)
    comment = models.TextField(_("评语"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评议人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evaluated_at = models.DateTimeField(_("评议时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("内设机构考核")
        verbose_name_plural = _("内设机构考核")
        ordering = ["cycle", "agency", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "agency", "unit"], name="unit_once_per_cycle"),
            models.CheckConstraint(
                condition=Q(points__isnull=True, grade="")
                | (Q(points__gte=0) & Q(points__lte=100) & ~Q(grade="")),
                name="unit_grade_follows_points",
            ),
        ]

    def __str__(self):
        return f"{self.agency} {self.unit}"
