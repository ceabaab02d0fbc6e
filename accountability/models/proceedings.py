"""R24: an accountability case (问责案件), opened from a clue: handling and investigation →
report → notice and statement of defence (R29) → decision → transfer (移送) where the facts call
for it → closed. Each step has a time limit in working days (the region's rules), reminded once
and escalated once by the beat job. R25: when the clue concerns an enforcement case, each step of
that case's record is someone's share of the responsibility.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.timeline import Event


class Proceeding(models.Model):
    class Step(models.TextChoices):
        HANDLING = "handling", _("承办调查")
        NOTICE = "notice", _("告知与陈述申辩")
        DECISION = "decision", _("作出决定")
        TRANSFER = "transfer", _("移送")
        CLOSED = "closed", _("已办结")

    clue = models.OneToOneField(
        "accountability.Clue",
        verbose_name=_("问责线索"),
        on_delete=models.PROTECT,
        related_name="proceeding",
    )
    number = models.CharField(_("案件编号"), max_length=40, unique=True)
    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("被追究单位"),
        on_delete=models.PROTECT,
        related_name="accountability_proceedings",
    )
    # R25: the enforcement case the clue concerns, whose record divides the responsibility.
    enforcement_case = models.ForeignKey(
        "enforcement.Case",
        verbose_name=_("涉及的执法案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    step = models.CharField(_("环节"), max_length=10, choices=Step.choices, default=Step.HANDLING)
    step_started_on = models.DateField(_("本环节开始日期"))
    step_due_on = models.DateField(_("本环节期限"), null=True, blank=True)
    step_due_provisional = models.BooleanField(_("期限待定"), default=False)
    # The step whose reminder / escalation went out: each happens once per step.
    reminded_step = models.CharField(_("已提醒环节"), max_length=10, blank=True)
    escalated_step = models.CharField(_("已上报环节"), max_length=10, blank=True)
    investigation = models.TextField(_("调查情况"), max_length=20000, blank=True)
    opened_at = models.DateTimeField(_("立案时间"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("立案人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("问责案件")
        verbose_name_plural = _("问责案件")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(step="closed") | Q(step_due_on__isnull=False),
                name="proceeding_open_step_has_due",
            ),
        ]
        indexes = [
            models.Index(fields=["handler", "step", "step_due_on"], name="proceeding_queue"),
            models.Index(fields=["agency", "-opened_at"], name="proceeding_agency_opened"),
            models.Index(fields=["-opened_at", "-id"], name="proceeding_opened"),
            # The beat job reads open steps by their due date.
            models.Index(
                fields=["step_due_on"], condition=~Q(step="closed"), name="proceeding_due_open"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("accountability:case-detail", args=[self.pk])


class ProceedingEvent(Event):
    """The case's timeline: every step and act, who, when, why."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("立案")
        INVESTIGATED = "investigated", _("记录调查情况")
        EVIDENCE = "evidence", _("添加证据材料")
        SHARES_CONFIRMED = "shares", _("确认责任划分")
        REPORTED = "reported", _("提交调查报告")
        NOTIFIED = "notified", _("告知当事人")
        DEFENDED = "defended", _("陈述申辩")
        WAIVED = "waived", _("放弃陈述申辩")
        DECIDED = "decided", _("作出决定")
        SANCTION_APPLIED = "applied", _("执行处理")
        TRANSFERRED = "transferred", _("移送")
        RECEIPTED = "receipted", _("取得移送回执")
        REVIEW_REQUESTED = "review_requested", _("申请复核")
        REVIEWED = "reviewed", _("复核决定")
        REMINDED = "reminded", _("期限提醒")
        ESCALATED = "escalated", _("逾期上报")
        DEADLINE_MOVED = "deadline_moved", _("期限调整")
        CLOSED = "closed", _("办结")
        # R18, R32: the case published as a typical case and circulated.
        TYPICAL_DRAFTED = "typical_drafted", _("撰写典型案例")
        TYPICAL_SUBMITTED = "typical_submitted", _("典型案例提交审核")
        TYPICAL_RETURNED = "typical_returned", _("典型案例退回修改")
        TYPICAL_PUBLISHED = "typical_published", _("典型案例审核发布")
        TYPICAL_CIRCULATED = "typical_circulated", _("典型案例内部通报")

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(_("事项"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("问责案件记录")
        verbose_name_plural = _("问责案件记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["proceeding", "at"], name="proceeding_event_at")]

    def __str__(self) -> str:
        return f"{self.proceeding_id} {self.kind}"


class ProceedingEvidence(models.Model):
    """Evidence the handler attaches while investigating; files go through the storage API."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="evidence")
    description = models.CharField(_("证据说明"), max_length=200)
    file = models.FileField(_("文件"), upload_to="accountability/evidence/%Y/%m/", max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证据材料")
        verbose_name_plural = _("证据材料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.description


class Accused(models.Model):
    """One person or unit concerned (被追究对象): an officer, or the unit itself."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="accused")
    officer = models.ForeignKey(
        "enforcement.Officer",
        verbose_name=_("执法人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountability_accusations",
    )
    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("被追究对象")
        verbose_name_plural = _("被追究对象")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(officer__isnull=True, agency__isnull=False)
                | Q(officer__isnull=False, agency__isnull=True),
                name="accused_officer_xor_unit",
            ),
            models.UniqueConstraint(
                fields=["proceeding", "officer"],
                condition=Q(officer__isnull=False),
                name="accused_officer_once",
            ),
            models.UniqueConstraint(
                fields=["proceeding", "agency"],
                condition=Q(agency__isnull=False),
                name="accused_unit_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.officer or self.agency)

    @property
    def is_unit(self) -> bool:
        return self.agency_id is not None


class ResponsibilityShare(models.Model):
    """R25: who did one step of the enforcement case's record, the share of responsibility the
    portal proposes from it, and the share the handler confirms (a change needs a reason)."""

    class Stage(models.TextChoices):
        DISCOVERY = "discovery", _("线索发现与立案")
        INVESTIGATION = "investigation", _("调查取证")
        PROPOSAL = "proposal", _("承办人员提出处理意见")
        INTERNAL_REVIEW = "internal_review", _("内部审核")
        LEGAL_REVIEW = "legal_review", _("法制审核")
        DECISION = "decision", _("作出决定")

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="shares")
    stage = models.CharField(_("环节"), max_length=16, choices=Stage.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    officer = models.ForeignKey(
        "enforcement.Officer",
        verbose_name=_("执法人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acted_at = models.DateTimeField(_("经办时间"), null=True, blank=True)
    source_note = models.CharField(_("案卷依据"), max_length=200, blank=True)
    proposed_percent = models.PositiveSmallIntegerField(_("建议责任比例（%）"))
    percent = models.PositiveSmallIntegerField(_("确认责任比例（%）"), null=True, blank=True)
    reason = models.TextField(_("调整理由"), max_length=2000, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("责任划分")
        verbose_name_plural = _("责任划分")
        ordering = ["proceeding", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proceeding", "stage", "person"], name="share_stage_person_once"
            ),
            models.CheckConstraint(
                condition=Q(proposed_percent__lte=100)
                & (Q(percent__isnull=True) | Q(percent__lte=100)),
                name="share_percent_range",
            ),
            # A confirmed share that differs from the proposal carries its reason.
            models.CheckConstraint(
                condition=Q(percent__isnull=True)
                | Q(percent=models.F("proposed_percent"))
                | ~Q(reason=""),
                name="share_change_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.person}"
