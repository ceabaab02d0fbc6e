from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .cycles import Cycle


class Assignment(models.Model):
    """R19: one evaluator of one agency in a cycle, derived from the agency's management, never
    typed. A local department: its government, through the government's legal office (weight 100).
    A vertically managed one: the department above it (weight 100), the local government's
    opinion recorded beside it. A dual-managed one: both, weighted by the cycle's local choice."""

    class Role(models.TextChoices):
        LOCAL = "local", _("本级政府评议")
        VERTICAL = "vertical", _("上级主管部门评议")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("被评议单位"),
        on_delete=models.PROTECT,
        related_name="evaluation_assignments",
    )
    role = models.CharField(_("评议方式"), max_length=10, choices=Role.choices)
    evaluator = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("评议单位"),
        on_delete=models.PROTECT,
        related_name="evaluations_to_make",
        help_text=_("本级政府评议时为政府法制部门；上级评议时为上级主管部门。"),
    )
    weight = models.PositiveSmallIntegerField(_("权重（%）"))
    # R19: a vertically managed department is evaluated above, hearing the local government.
    local_opinion = models.TextField(_("属地政府意见"), blank=True)
    local_opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("意见录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    local_opinion_at = models.DateTimeField(_("意见录入时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评议关系")
        verbose_name_plural = _("评议关系")
        ordering = ["cycle", "agency__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "agency", "role"], name="assignment_one_per_role"
            ),
            models.CheckConstraint(condition=Q(weight__lte=100), name="assignment_weight_percent"),
            models.CheckConstraint(
                condition=~Q(agency=models.F("evaluator")), name="assignment_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["evaluator", "cycle"], name="assignment_evaluator_cycle"),
        ]

    def __str__(self):
        return f"{self.cycle} {self.agency} ← {self.evaluator}"
