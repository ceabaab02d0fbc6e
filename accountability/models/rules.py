"""The region's accountability rules: time limits of each step (R24), the statement-and-defence
and review periods (R29), and the sanction bands of proportionality (R28).

None of these figures is the policy's own: the policy names the steps and the principle of
过惩相当 but no numbers. The defaults below are this portal's, a local choice each region's
legal office may change; the nearest region up the tree with its own rules applies.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

LOCAL_DEFAULT = _("本地区设定的默认值（非政策规定），可由本地区政府法制部门调整。")


class Fault(models.TextChoices):
    """R28: subjective fault (主观过错)."""

    INTENT = "intent", _("故意")
    GROSS_NEGLIGENCE = "gross", _("重大过失")
    NEGLIGENCE = "ordinary", _("一般过失")


class Consequence(models.TextChoices):
    """R28: the consequences of the conduct (危害后果)."""

    NONE = "none", _("未造成后果")
    MINOR = "minor", _("后果较轻")
    SERIOUS = "serious", _("后果严重")
    ESPECIALLY_SERIOUS = "especially", _("后果特别严重")


class Impact(models.TextChoices):
    """R28: the social impact (社会影响)."""

    SLIGHT = "slight", _("影响较小")
    BAD = "bad", _("造成不良影响")
    SEVERE = "severe", _("造成恶劣影响")


class SanctionKind(models.TextChoices):
    """The sanctions of 七(二), officers' in ascending severity, then units'."""

    CRITICISM = "criticism", _("批评教育")
    TRAINING = "training", _("离岗培训")
    REMOVAL = "removal", _("调离执法岗位")
    SUSPENSION = "suspension", _("暂扣执法证件")
    WITHDRAWAL = "withdrawal", _("收回执法证件")
    DISCIPLINE = "discipline", _("建议任免机关给予处分")
    RECTIFICATION = "rectification", _("责令限期整改")
    CIRCULATED = "circulated", _("通报批评")
    AWARD_LOSS = "award_loss", _("取消评优评先资格")


# Severity on one scale per kind of subject: a band is a range on it.
OFFICER_SCALE = (
    SanctionKind.CRITICISM,
    SanctionKind.TRAINING,
    SanctionKind.REMOVAL,
    SanctionKind.SUSPENSION,
    SanctionKind.WITHDRAWAL,
    SanctionKind.DISCIPLINE,
)
UNIT_SCALE = (SanctionKind.RECTIFICATION, SanctionKind.CIRCULATED, SanctionKind.AWARD_LOSS)


class AccountabilityRules(models.Model):
    """A region's step limits and periods; without one up the tree, the model's defaults."""

    region = models.OneToOneField(
        "enforcement.Region",
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="accountability_rules",
        help_text=_("适用于该区划及其下级区划（下级区划另有规定的，适用下级的）。"),
    )
    handling_days = models.PositiveSmallIntegerField(
        _("承办调查并提交报告（工作日）"), default=30, help_text=LOCAL_DEFAULT
    )
    notice_days = models.PositiveSmallIntegerField(
        _("报告后告知当事人（工作日）"), default=5, help_text=LOCAL_DEFAULT
    )
    defence_days = models.PositiveSmallIntegerField(
        _("陈述申辩期限（工作日）"), default=5, help_text=LOCAL_DEFAULT
    )
    decision_days = models.PositiveSmallIntegerField(
        _("申辩期满后作出决定（工作日）"), default=10, help_text=LOCAL_DEFAULT
    )
    transfer_days = models.PositiveSmallIntegerField(
        _("决定后移送并取得回执（工作日）"), default=10, help_text=LOCAL_DEFAULT
    )
    review_days = models.PositiveSmallIntegerField(
        _("被追责人员申请复核期限（工作日）"), default=15, help_text=LOCAL_DEFAULT
    )
    review_decision_days = models.PositiveSmallIntegerField(
        _("作出复核决定（工作日）"), default=15, help_text=LOCAL_DEFAULT
    )

    class Meta:
        verbose_name = _("责任追究时限规定")
        verbose_name_plural = _("责任追究时限规定")
        constraints = [
            models.CheckConstraint(
                condition=Q(handling_days__gte=1)
                & Q(notice_days__gte=1)
                & Q(defence_days__gte=3)
                & Q(decision_days__gte=1)
                & Q(transfer_days__gte=1)
                & Q(review_days__gte=5)
                & Q(review_decision_days__gte=1),
                name="accountability_rules_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.region)


class SanctionBand(models.Model):
    """R28: the band of sanctions a region proposes for a fault and its consequences, on the
    officers' and the units' severity scales (lowest, highest inclusive)."""

    rules = models.ForeignKey(AccountabilityRules, on_delete=models.CASCADE, related_name="bands")
    fault = models.CharField(_("主观过错"), max_length=10, choices=Fault.choices)
    consequence = models.CharField(_("危害后果"), max_length=12, choices=Consequence.choices)
    officer_low = models.CharField(
        _("对人员最轻"), max_length=16, choices=[(k.value, k.label) for k in OFFICER_SCALE]
    )
    officer_high = models.CharField(
        _("对人员最重"), max_length=16, choices=[(k.value, k.label) for k in OFFICER_SCALE]
    )
    unit_low = models.CharField(
        _("对单位最轻"), max_length=16, choices=[(k.value, k.label) for k in UNIT_SCALE]
    )
    unit_high = models.CharField(
        _("对单位最重"), max_length=16, choices=[(k.value, k.label) for k in UNIT_SCALE]
    )

    class Meta:
        verbose_name = _("处理档次")
        verbose_name_plural = _("处理档次")
        constraints = [
            models.UniqueConstraint(
                fields=["rules", "fault", "consequence"], name="sanction_band_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_fault_display()} / {self.get_consequence_display()}"
