"""Decisions of enforcement cases, their legal review (R5) and the discretion benchmark they
apply (R7).

A proposed decision is major when it meets its region's catalogue (重大执法决定法制审核目录:
`MajorDecisionCriteria` and its entries `MajorDecisionType`), when staff or the legal office
mark it major with a reason, or once it has been submitted for legal review (应审尽审: a
decision once submitted stays subject to review whatever the redraft, `review_required`). A
major decision goes to the agency's legal office and cannot be issued until the latest review of
its latest draft agrees: the service refuses, and the database refuses an issued major decision
that does not name the agreeing review of that very decision and of its current draft (check
constraints here, and on PostgreSQL a composite foreign key, see migrations 0007 and
`sticky_legal_review_fk`).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The policy (§ 四(一)) asks for a catalogue but names no amounts: ¥10,000 / ¥100,000 are this
# portal's defaults, a local choice each region may change, never the policy's own figures.
LOCAL_DEFAULT = _("本地区设定的默认值（非政策规定），可由本地区政府法制部门调整。")


class Ground(models.TextChoices):
    """R5: the grounds of a major decision that only a person can judge (staff tick them)."""

    PUBLIC_INTEREST = "public_interest", _("涉及重大公共利益")
    COMPLEX = "complex", _("案件情况疑难复杂、涉及多个法律关系")
    THIRD_PARTY = "third_party", _("直接关系当事人或第三人重大权益")


class MajorDecisionCriteria(models.Model):
    """R5: a region's catalogue of major decisions (重大执法决定法制审核目录): the fine thresholds,
    the kinds of decision, and the qualitative grounds staff may invoke; its entries
    (`MajorDecisionType`) add kinds, domains and amounts. The nearest region up the tree applies;
    without one, the model's defaults (local defaults of this portal, not the policy's)."""

    region = models.OneToOneField(
        "enforcement.Region",
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="major_decision_criteria",
        help_text=_("本目录适用于该区划及其下级区划（下级区划另有目录的，适用下级的）。"),
    )
    citizen_fine = models.DecimalField(
        _("对公民罚款达到（元）"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("10000"),
        help_text=LOCAL_DEFAULT,
    )
    organisation_fine = models.DecimalField(
        _("对法人或其他组织罚款达到（元）"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("100000"),
        help_text=LOCAL_DEFAULT,
    )
    stop_production = models.BooleanField(_("责令停产停业"), default=True)
    revocation = models.BooleanField(_("吊销许可证件"), default=True)
    hearing = models.BooleanField(_("经过听证"), default=True)
    outside_benchmark = models.BooleanField(_("超出裁量基准"), default=True)
    # Grounds no rule can compute: staff tick them when drafting, with a reason (R5).
    public_interest = models.BooleanField(
        _("涉及重大公共利益"),
        default=True,
        help_text=_("执法人员拟定决定时可勾选此情形并写明理由，该决定即为重大执法决定。"),
    )
    complex_or_difficult = models.BooleanField(
        _("案件情况疑难复杂、涉及多个法律关系"),
        default=True,
        help_text=_("执法人员拟定决定时可勾选此情形并写明理由，该决定即为重大执法决定。"),
    )
    third_party_rights = models.BooleanField(
        _("直接关系当事人或第三人重大权益"),
        default=True,
        help_text=_("执法人员拟定决定时可勾选此情形并写明理由，该决定即为重大执法决定。"),
    )
    note = models.TextField(_("目录说明"), max_length=2000, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("重大执法决定法制审核目录")
        verbose_name_plural = _("重大执法决定法制审核目录")
        constraints = [
            models.CheckConstraint(
                condition=Q(citizen_fine__gt=0) & Q(organisation_fine__gt=0),
                name="major_criteria_thresholds_positive",
                violation_error_message=_("罚款金额标准须大于零。"),
            ),
        ]

    def __str__(self) -> str:
        return str(self.region) if self.region_id else str(_("默认目录"))

    def ground_choices(self) -> list[tuple[str, str]]:
        """The qualitative grounds this catalogue lets staff invoke, as (value, label)."""
        enabled = {
            Ground.PUBLIC_INTEREST: self.public_interest,
            Ground.COMPLEX: self.complex_or_difficult,
            Ground.THIRD_PARTY: self.third_party_rights,
        }
        return [(value, label) for value, label in Ground.choices if enabled[value]]


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
    # R5: every save of the draft is a new version; a review names the version it reviewed, and
    # only an agreeing review of the current version opens the way to issue.
    draft_version = models.PositiveIntegerField(_("草稿版本"), default=1)
    # R5 (应审尽审): set when first submitted for legal review, never cleared by a redraft: a
    # decision the legal office disagreed with cannot be redrafted below the criteria and issued.
    review_required = models.BooleanField(
        _("须经法制审核"),
        default=False,
        help_text=_("提交法制审核后即保持，重新拟定也不解除（R5）。"),
    )
    # R5: marked major by a person, with grounds the criteria cannot compute and a reason; only
    # the legal office may take the mark off (decision_unmark_major).
    marked_major = models.BooleanField(_("人工认定为重大执法决定"), default=False)
    major_grounds = models.JSONField(_("人工认定的重大情形"), default=list, blank=True)
    marked_major_reason = models.TextField(
        _("认定为重大执法决定的理由"), max_length=2000, blank=True
    )
    marked_major_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_review = models.OneToOneField(
        "enforcement.LegalReview",
        verbose_name=_("同意的法制审核"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Always "agree": with approved_review and draft_version, the target of the composite foreign
    # key by which PostgreSQL itself checks that the review named agreed, and reviewed this very
    # draft (see migrations 0007 and sticky_legal_review_fk).
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
            # R5: a decision once submitted stays major (subject to review) whatever the redraft;
            # one a person marked major stays major until the legal office takes the mark off.
            models.CheckConstraint(
                condition=~Q(review_required=True) | Q(is_major=True),
                name="decision_review_required_is_major",
            ),
            models.CheckConstraint(
                condition=~Q(marked_major=True) | Q(is_major=True),
                name="decision_marked_major_is_major",
            ),
            models.CheckConstraint(
                condition=~Q(marked_major=True) | ~Q(marked_major_reason=""),
                name="decision_marked_major_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["in_review", "returned", "agreed"])
                | Q(review_required=True),
                name="decision_submitted_stays_subject_to_review",
            ),
            models.CheckConstraint(
                condition=Q(draft_version__gte=1), name="decision_draft_version_positive"
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

    def major_grounds_display(self) -> list[str]:
        labels = dict(Ground.choices)
        return [str(labels.get(value, value)) for value in self.major_grounds]

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
    # R5: the draft this review is of; a later draft needs a review of its own.
    draft_version = models.PositiveIntegerField(_("所审核的草稿版本"))
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
            # The target of the decision's composite foreign key (PostgreSQL, migrations 0007
            # and sticky_legal_review_fk): this review, of this decision, agreeing, of this draft.
            models.UniqueConstraint(
                fields=["id", "decision", "conclusion", "draft_version"],
                name="legal_review_id_decision_conclusion_draft",
            ),
        ]
        # The evaluation's figures (R20): the reviews of a year.
        indexes = [models.Index(fields=["at"], name="legal_review_at")]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.get_conclusion_display()}"


class MajorDecisionType(models.Model):
    """R5: an entry of a region's catalogue: a kind of decision that is major in the enforcement
    domains named (all domains when none is named), for a fine from the amount named on."""

    criteria = models.ForeignKey(
        MajorDecisionCriteria,
        verbose_name=_("所属目录"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    kind = models.CharField(_("决定种类"), max_length=16, choices=Decision.Kind.choices)
    min_fine = models.DecimalField(
        _("罚款金额达到（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=format_lazy(
            "{}{}", _("仅适用于罚款；不填的，该领域的罚款决定均为重大执法决定。"), LOCAL_DEFAULT
        ),
    )
    domains = models.ManyToManyField(
        "enforcement.EnforcementDomain",
        verbose_name=_("执法领域"),
        blank=True,
        related_name="major_decision_types",
        help_text=_("不选的，适用于所有执法领域。"),
    )
    description = models.CharField(_("情形说明"), max_length=200)

    history = HistoricalRecords(m2m_fields=[domains])

    class Meta:
        verbose_name = _("目录条目")
        verbose_name_plural = _("目录条目")
        ordering = ["criteria", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_fine__isnull=True) | (Q(kind="fine") & Q(min_fine__gt=0)),
                name="major_type_amount_only_for_fines",
                violation_error_message=_("金额标准只适用于罚款决定，且须大于零。"),
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        if self.min_fine is not None and self.kind != Decision.Kind.FINE:
            raise ValidationError({"min_fine": _("金额标准只适用于罚款决定。")})
        if self.min_fine is not None and self.min_fine <= 0:
            raise ValidationError({"min_fine": _("金额标准须大于零。")})
