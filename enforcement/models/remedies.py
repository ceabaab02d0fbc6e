"""Reconsideration and litigation (R13): their outcomes are recorded against the case, and an
unfavourable one flags the case for accountability screening."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .cases import KeepsCaseAgency


class RemedyOutcome(KeepsCaseAgency):
    """The outcome of an administrative reconsideration (行政复议) or litigation (行政诉讼).
    It keeps its case's agency (`KeepsCaseAgency`): the queue awaiting screening is one partial
    index."""

    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", _("行政复议")
        LITIGATION = "litigation", _("行政诉讼")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("维持")
        REVOKED = "revoked", _("撤销")
        CHANGED = "changed", _("变更")
        CONFIRMED_UNLAWFUL = "confirmed_unlawful", _("确认违法")
        ORDERED_TO_PERFORM = "ordered_to_perform", _("责令履行")

    # Every outcome but upholding says the agency erred: it goes to accountability screening.
    UNFAVOURABLE = (
        Outcome.REVOKED,
        Outcome.CHANGED,
        Outcome.CONFIRMED_UNLAWFUL,
        Outcome.ORDERED_TO_PERFORM,
    )

    case = models.ForeignKey(
        "enforcement.Case", on_delete=models.PROTECT, related_name="remedy_outcomes"
    )
    kind = models.CharField(_("救济途径"), max_length=16, choices=Kind.choices)
    body = models.CharField(_("复议机关或人民法院"), max_length=100)
    reference = models.CharField(_("决定书或判决书文号"), max_length=100)
    decided_on = models.DateField(_("作出日期"))
    outcome = models.CharField(_("结果"), max_length=20, choices=Outcome.choices)
    summary = models.TextField(_("主要理由"), max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    needs_screening = models.BooleanField(_("需要问责筛查"), default=False)
    screened_at = models.DateTimeField(_("筛查时间"), null=True, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("筛查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    screening_note = models.TextField(_("筛查意见"), max_length=5000, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("复议诉讼结果")
        verbose_name_plural = _("复议诉讼结果")
        ordering = ["case", "decided_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(needs_screening=False) | ~Q(outcome="upheld"),
                name="remedy_screening_only_when_unfavourable",
            ),
            models.CheckConstraint(
                condition=Q(screened_at__isnull=True)
                | (Q(needs_screening=True) & ~Q(screening_note="")),
                name="remedy_screened_with_note",
            ),
            models.UniqueConstraint(fields=["kind", "reference"], name="remedy_reference_once"),
        ]
        indexes = [
            # The supervisors' dashboard and to-do lists: flagged and not yet screened, per agency.
            models.Index(
                fields=["agency", "recorded_at"],
                name="remedy_awaiting_by_agency",
                condition=Q(needs_screening=True, screened_at__isnull=True),
            ),
            # The same rows oldest first, as the dashboard lists them: a wide scope (a province,
            # the administrator) reads its first rows in order instead of sorting them all.
            models.Index(
                fields=["recorded_at", "id"],
                name="remedy_awaiting_oldest",
                condition=Q(needs_screening=True, screened_at__isnull=True),
            ),
            # The evaluation's figures (R20): the outcomes of a year.
            models.Index(fields=["decided_on"], name="remedy_decided_on"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference} {self.get_outcome_display()}"

    @property
    def is_unfavourable(self) -> bool:
        return self.outcome in self.UNFAVOURABLE
