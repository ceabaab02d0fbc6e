from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .cycles import Cycle, Grade


class OfficerRecord(models.Model):
    """R21: what the records cannot say by themselves, entered by the officer's agency or the
    supervisor: commendations (everyday evaluation) and the special evaluation's test scores.
    Cases handled, their case-file review scores and substantiated complaints are counted from
    the records when results are computed."""

    class Kind(models.TextChoices):
        COMMENDATION = "commendation", _("表彰奖励")
        LEGAL_TEST = "legal_test", _("法律知识测试")
        CONFORMITY_TEST = "conformity_test", _("执法规范测试")

    officer = models.ForeignKey(
        "enforcement.Officer",
        verbose_name=_("执法人员"),
        on_delete=models.PROTECT,
        related_name="evaluation_records",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    score = models.DecimalField(
        _("测试成绩"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    occurred_on = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("执法人员考核记录")
        verbose_name_plural = _("执法人员考核记录")
        ordering = ["officer", "occurred_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="commendation", score__isnull=True)
                | (~Q(kind="commendation") & Q(score__gte=0) & Q(score__lte=100)),
                name="officer_record_test_has_score",
            ),
        ]
        indexes = [models.Index(fields=["year", "officer"], name="officer_record_year")]

    def __str__(self):
        return f"{self.officer} {self.get_kind_display()} {self.occurred_on}"


class OfficerResult(models.Model):
    """R21, R22: an officer's yearly result. The composition is stored beside the total so that
    the officer sees how it was reached; the grade follows the cycle's thresholds. Published, it
    may be objected to until `objection_due` (working days); it is final once that passes with no
    objection pending, or once the objection is decided."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="officer_results")
    officer = models.ForeignKey(
        "enforcement.Officer",
        verbose_name=_("执法人员"),
        on_delete=models.PROTECT,
        related_name="evaluation_results",
    )
    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("所在单位"),
        on_delete=models.PROTECT,
        related_name="officer_evaluation_results",
    )
    cases_handled = models.PositiveIntegerField(_("办理案件"), default=0)
    case_review_average = models.DecimalField(
        _("案卷评查平均分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    complaints_substantiated = models.PositiveIntegerField(_("被投诉属实"), default=0)
    commendations = models.PositiveIntegerField(_("表彰奖励"), default=0)
    # R32: training sessions with typical cases attended in the year; R24: accountability
    # sanctions (responsible, not revoked on review) counting in the year.
    trainings_attended = models.PositiveIntegerField(_("参加以案释法培训"), default=0)
    sanctions = models.PositiveIntegerField(_("受到责任追究处理"), default=0)
    legal_test = models.DecimalField(
        _("法律知识测试"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    conformity_test = models.DecimalField(
        _("执法规范测试"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    everyday_score = models.DecimalField(_("日常考核得分"), max_digits=5, decimal_places=2)
    special_score = models.DecimalField(_("专项考核得分"), max_digits=5, decimal_places=2)
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=2)
    grade = models.CharField(_("等次"), max_length=12, choices=Grade.choices)
    computed_at = models.DateTimeField(_("计算时间"))
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    objection_due = models.DateField(_("异议截止日期"), null=True, blank=True)
    final_at = models.DateTimeField(_("结果确定时间"), null=True, blank=True)
    # R22: an unqualified officer cannot be rated excellent in the annual civil-service review.
    barred_from_excellent = models.BooleanField(_("年度公务员考核不得评为优秀"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("执法人员考核结果")
        verbose_name_plural = _("执法人员考核结果")
        ordering = ["cycle", "agency", "-total", "officer__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "officer"], name="officer_result_once"),
            models.CheckConstraint(
                condition=Q(total__gte=0) & Q(total__lte=100), name="officer_result_total_0_100"
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True, objection_due__isnull=True)
                | Q(published_at__isnull=False, objection_due__isnull=False),
                name="officer_result_published_has_due",
            ),
            models.CheckConstraint(
                condition=Q(final_at__isnull=True) | Q(published_at__isnull=False),
                name="officer_result_final_after_published",
            ),
        ]
        indexes = [
            models.Index(fields=["cycle", "agency", "grade"], name="officer_result_agency"),
            models.Index(
                fields=["objection_due"],
                name="officer_result_awaiting_final",
                condition=Q(published_at__isnull=False, final_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.cycle.year} {self.officer} {self.total}"


class Objection(models.Model):
    """R21: the officer's objection to a published result, decided with reasons."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        UPHELD = "upheld", _("异议成立")
        REJECTED = "rejected", _("异议不成立")

    result = models.OneToOneField(OfficerResult, on_delete=models.CASCADE, related_name="objection")
    reason = models.TextField(_("异议理由"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    status = models.CharField(
        _("处理结果"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decision_reason = models.TextField(_("处理理由"), blank=True)
    revised_total = models.DecimalField(
        _("复核后总分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核异议")
        verbose_name_plural = _("考核异议")
        ordering = ["filed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False) & ~Q(decision_reason="")),
                name="objection_decided_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(revised_total__isnull=True) | Q(status="upheld"),
                name="objection_revision_only_if_upheld",
            ),
        ]
        indexes = [
            models.Index(fields=["status"], name="objection_pending", condition=Q(status="pending"))
        ]

    def __str__(self):
        return f"{self.result} {self.get_status_display()}"


class Measure(models.Model):
    """R22: criticism-education or off-post training ordered for an unqualified officer, and its
    completion."""

    class Kind(models.TextChoices):
        CRITICISM = "criticism", _("批评教育")
        TRAINING = "training", _("离岗培训")

    result = models.ForeignKey(OfficerResult, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(_("措施"), max_length=10, choices=Kind.choices)
    note = models.TextField(_("要求"))
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ordered_at = models.DateTimeField(_("决定时间"), auto_now_add=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    completion_note = models.TextField(_("完成情况"), blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("不合格处理措施")
        verbose_name_plural = _("不合格处理措施")
        ordering = ["ordered_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | ~Q(completion_note=""),
                name="measure_completed_with_note",
            ),
        ]

    def __str__(self):
        return f"{self.result.officer} {self.get_kind_display()}"


class RepeatDecision(models.Model):
    """R22: unqualified two years running opens a decision that must be completed: moved off
    enforcement duty, or the enforcement qualification withdrawn (through the officers' service,
    which keeps the certificate's history)."""

    class Outcome(models.TextChoices):
        OFF_DUTY = "off_duty", _("调离行政执法岗位")
        WITHDRAW = "withdraw", _("取消行政执法资格（收回执法证）")

    officer = models.ForeignKey(
        "enforcement.Officer",
        verbose_name=_("执法人员"),
        on_delete=models.PROTECT,
        related_name="repeat_decisions",
    )
    result = models.OneToOneField(
        OfficerResult, on_delete=models.PROTECT, related_name="repeat_decision"
    )
    previous_result = models.ForeignKey(OfficerResult, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    outcome = models.CharField(_("处理决定"), max_length=10, choices=Outcome.choices, blank=True)
    reason = models.TextField(_("决定理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("连续两年不合格处理")
        verbose_name_plural = _("连续两年不合格处理")
        ordering = ["opened_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="", decided_at__isnull=True)
                | (~Q(outcome="") & Q(decided_at__isnull=False) & ~Q(reason="")),
                name="repeat_decision_complete",
            ),
        ]
        indexes = [
            models.Index(
                fields=["opened_at"], name="repeat_decision_pending", condition=Q(outcome="")
            )
        ]

    def __str__(self):
        return f"{self.officer} {self.get_outcome_display() or _('待决定')}"


class ResultUse(models.Model):
    """R22: where a result was used: job-level change, rotation, training, reward, sanction."""

    class Kind(models.TextChoices):
        JOB_LEVEL = "job_level", _("职级调整")
        ROTATION = "rotation", _("轮岗交流")
        TRAINING = "training", _("教育培训")
        REWARD = "reward", _("奖励")
        SANCTION = "sanction", _("惩处")

    result = models.ForeignKey(OfficerResult, on_delete=models.PROTECT, related_name="uses")
    kind = models.CharField(_("运用方式"), max_length=10, choices=Kind.choices)
    note = models.TextField(_("说明"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("结果运用")
        verbose_name_plural = _("结果运用")
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"{self.result.officer} {self.get_kind_display()}"
