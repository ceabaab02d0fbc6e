"""R24, R28, R29: the decision by the competent person: for each person or unit concerned,
responsible or not and the sanction, a sanction outside the proposed band carrying a written
justification the reviewer sees; the officer may ask for a review within a set period, decided
with reasons. Officers' and units' sanctions count in the next evaluation cycle."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .proceedings import Accused, Proceeding
from .rules import SanctionKind


class Decision(models.Model):
    proceeding = models.OneToOneField(Proceeding, on_delete=models.CASCADE, related_name="decision")
    reasons = models.TextField(_("决定理由"), max_length=20000)
    # Whether the facts call for a transfer (移送); the case then waits for its receipt.
    transfer_needed = models.BooleanField(_("需要移送"), default=False)
    decided_on = models.DateField(_("决定日期"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("问责决定")
        verbose_name_plural = _("问责决定")
        indexes = [models.Index(fields=["decided_on"], name="accountability_decided_on")]

    def __str__(self) -> str:
        return str(self.proceeding)


class Sanction(models.Model):
    """What the decision holds for one person or unit (no sanction when not responsible)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="sanctions")
    accused = models.OneToOneField(Accused, on_delete=models.CASCADE, related_name="sanction")
    responsible = models.BooleanField(_("负有责任"))
    kind = models.CharField(_("处理"), max_length=16, choices=SanctionKind.choices, blank=True)
    outside_band = models.BooleanField(_("超出建议档次"), default=False)
    justification = models.TextField(_("超出档次的书面理由"), max_length=5000, blank=True)
    # Rectification orders (units) run to a deadline.
    rectify_by = models.DateField(_("整改期限"), null=True, blank=True)
    # The year whose evaluation it counts in (the decision's year: the next cycle run for it).
    counts_in_year = models.PositiveSmallIntegerField(_("计入考核年度"))
    revoked = models.BooleanField(_("经复核撤销"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("处理")
        verbose_name_plural = _("处理")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(responsible=False, kind="") | Q(responsible=True) & ~Q(kind=""),
                name="sanction_kind_iff_responsible",
            ),
            models.CheckConstraint(
                condition=Q(outside_band=False) | ~Q(justification=""),
                name="sanction_outside_band_justified",
            ),
            models.CheckConstraint(
                condition=~Q(kind="rectification") | Q(rectify_by__isnull=False),
                name="sanction_rectification_has_deadline",
            ),
        ]
        indexes = [
            models.Index(fields=["counts_in_year", "responsible"], name="sanction_counts_in_year"),
        ]

    def __str__(self) -> str:
        return f"{self.accused}: {self.get_kind_display() or _('不予追究')}"


class DecisionReview(models.Model):
    """R29: the officer's (or unit's) request for a review of the decision, and its outcome."""

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("维持原决定")
        CHANGED = "changed", _("变更处理")
        REVOKED = "revoked", _("撤销处理")

    sanction = models.OneToOneField(Sanction, on_delete=models.CASCADE, related_name="review")
    grounds = models.TextField(_("复核理由"), max_length=20000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    due_on = models.DateField(_("复核期限"))
    outcome = models.CharField(_("复核结论"), max_length=10, choices=Outcome.choices, blank=True)
    new_kind = models.CharField(
        _("变更后的处理"), max_length=16, choices=SanctionKind.choices, blank=True
    )
    reasons = models.TextField(_("复核理由说明"), max_length=20000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("复核")
        verbose_name_plural = _("复核")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | (~Q(reasons="") & Q(decided_at__isnull=False)),
                name="review_decided_with_reasons",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="changed") | ~Q(new_kind=""),
                name="review_change_names_kind",
            ),
        ]

    def __str__(self) -> str:
        return str(self.sanction)
