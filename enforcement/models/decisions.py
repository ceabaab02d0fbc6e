"""Decisions of enforcement cases, their legal review (R5) and the discretion benchmark they
apply (R7).

A proposed decision is major when it meets the criteria its region sets (MajorDecisionCriteria).
A major decision goes to the agency's legal office and cannot be issued until the latest review
agrees: the service refuses, and the database refuses an issued major decision that does not
name the agreeing review of that very decision (a check constraint here, and on PostgreSQL a
composite foreign key, see migration 0007).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class MajorDecisionCriteria(models.Model):
    """R5: what makes a decision major in a region (defaults: the provincial policy's)."""

    region = models.OneToOneField(
        "enforcement.Region",
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="major_decision_criteria",
    )
    citizen_fine = models.DecimalField(
        _("对公民罚款达到（元）"), max_digits=14, decimal_places=2, default=Decimal("10000")
    )
    organisation_fine = models.DecimalField(
        _("对法人或其他组织罚款达到（元）"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("100000"),
    )
    stop_production = models.BooleanField(_("责令停产停业"), default=True)
    revocation = models.BooleanField(_("吊销许可证件"), default=True)
    hearing = models.BooleanField(_("经过听证"), default=True)
    outside_benchmark = models.BooleanField(_("超出裁量基准"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("重大执法决定标准")
        verbose_name_plural = _("重大执法决定标准")

    def __str__(self) -> str:
        return str(self.region_id)


class Decision(models.Model):
    """The decision proposed in a case (one per case), reviewed when major, then issued."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("警告")
        FINE = "fine", _("罚款")
        CONFISCATION = "confiscation", _("没收违法所得、没收非法财物")
        STOP_PRODUCTION = "stop_production", _("责令停产停业")
        REVOCATION = "revocation", _("吊销许可证件")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        DRAFT = "draft", _("拟定中")
        IN_REVIEW = "in_review", _("法制审核中")
        RETURNED = "returned", _("退回修改")
        AGREED = "agreed", _("法制审核通过")
        ISSUED = "issued", _("已作出决定")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    case = models.OneToOneField(
        "enforcement.Case", on_delete=models.CASCADE, related_name="decision"
    )
    kind = models.CharField(_("决定种类"), max_length=16, choices=Kind.choices)
    fine_amount = models.DecimalField(
        _("罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # R30: the designated bank the party pays (the agency never collects).
    collecting_bank = models.ForeignKey(
        "enforcement.CollectingBank",
        verbose_name=_("代收银行"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    tier = models.ForeignKey(
        "enforcement.DiscretionTier",
        verbose_name=_("适用的裁量基准"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    outside_tier_reason = models.TextField(_("超出裁量基准的理由"), max_length=2000, blank=True)
    hearing_held = models.BooleanField(_("经过听证"), default=False)
    explanation = models.TextField(_("拟作出决定的情况说明"), max_length=10000)
    draft = models.TextField(_("决定书草稿"), max_length=20000)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    is_major = models.BooleanField(_("重大执法决定"), default=False)
    major_reasons = models.JSONField(_("重大决定的情形"), default=list, blank=True)
    approved_review = models.OneToOneField(
        "enforcement.LegalReview",
        verbose_name=_("同意的法制审核"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Always "agree": with approved_review, the target of the composite foreign key by which
    # PostgreSQL itself checks that the review named agreed (see migration 0007).
    approved_conclusion = models.CharField(max_length=8, default="agree", editable=False)
    # R9: the decision document's official number (松市监罚〔2026〕5号) and the legal bases it
    # applied (its item's bases and articles), both fixed when it is issued. Decisions issued
    # before numbering existed have neither.
    number = models.CharField(_("决定书文号"), max_length=60, blank=True, editable=False)
    legal_bases = models.JSONField(_("适用的执法依据"), default=list, blank=True, editable=False)
    issued_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("执法决定")
        verbose_name_plural = _("执法决定")
        constraints = [
            # R5: the database refuses an issued major decision without its agreeing review.
            models.CheckConstraint(
                condition=~Q(status="issued", is_major=True) | Q(approved_review__isnull=False),
                name="decision_major_issued_only_after_review",
            ),
            models.CheckConstraint(
                condition=Q(approved_conclusion="agree"), name="decision_approved_means_agree"
            ),
            models.CheckConstraint(
                condition=~Q(kind="fine") | Q(fine_amount__gt=0),
                name="decision_fine_has_amount",
            ),
            models.CheckConstraint(
                condition=~Q(kind="fine") | Q(collecting_bank__isnull=False),
                name="decision_fine_names_collecting_bank",
            ),
            models.CheckConstraint(
                condition=~Q(status="issued") | Q(issued_at__isnull=False),
                name="decision_issued_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status"], name="decision_status"),
            # The fine and discretion reports (R30, R7): issued decisions of a year.
            models.Index(
                fields=["issued_at"], name="decision_issued_at", condition=Q(status="issued")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()}"

    def fine_outside_tier(self) -> bool:
        """R7: a fine outside the applied tier's range."""
        if self.tier is None or self.fine_amount is None:
            return False
        low, high = self.tier.fine_min, self.tier.fine_max
        return (low is not None and self.fine_amount < low) or (
            high is not None and self.fine_amount > high
        )


class LegalReview(models.Model):
    """R5: the agency legal office's review of a major decision (法制审核)."""

    class Conclusion(models.TextChoices):
        AGREE = "agree", _("同意")
        DISAGREE = "disagree", _("不同意")
        REVISE = "revise", _("修改后重新提交")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("审核时间"), auto_now_add=True)
    subject_lawful = models.BooleanField(_("执法主体合法，执法人员具备资格"))
    facts_proven = models.BooleanField(_("事实清楚，证据确凿"))
    basis_correct = models.BooleanField(_("适用依据正确"))
    discretion_proper = models.BooleanField(_("裁量适当"))
    procedure_lawful = models.BooleanField(_("程序合法"))
    conclusion = models.CharField(_("审核意见"), max_length=8, choices=Conclusion.choices)
    reasons = models.TextField(_("理由"), max_length=5000)

    class Meta:
        verbose_name = _("法制审核")
        verbose_name_plural = _("法制审核")
        ordering = ["decision", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(conclusion="agree")
                | Q(
                    subject_lawful=True,
                    facts_proven=True,
                    basis_correct=True,
                    discretion_proper=True,
                    procedure_lawful=True,
                ),
                name="legal_review_agrees_only_when_every_check_passes",
            ),
            models.CheckConstraint(condition=~Q(reasons=""), name="legal_review_has_reasons"),
            # The target of the decision's composite foreign key (PostgreSQL, migration 0007).
            models.UniqueConstraint(
                fields=["id", "decision", "conclusion"], name="legal_review_id_decision_conclusion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.get_conclusion_display()}"
