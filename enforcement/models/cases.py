"""Enforcement cases and their full-process record (R6): five stages, each with its documents
and audio-video records, kept append-only (a correction is a new version with a reason)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Stage(models.TextChoices):
    """R6: the five stages of the full-process record, in their order."""

    INITIATION = "initiation", _("立案")
    INVESTIGATION = "investigation", _("调查取证")
    DECISION = "decision", _("审查决定")
    SERVICE = "service", _("送达执行")
    ARCHIVING = "archiving", _("结案归档")

    @classmethod
    def after(cls, stage: str) -> "Stage | None":
        order = list(cls)
        index = order.index(cls(stage))
        return order[index + 1] if index + 1 < len(order) else None


# The stages an open case waits in, as the to-do lists count them: a case in 结案归档 may
# already be closed.
WAITING_STAGES = (Stage.INITIATION, Stage.INVESTIGATION, Stage.DECISION, Stage.SERVICE)


class Case(models.Model):
    """An enforcement case (立案) under one of the agency's published power items."""

    class Source(models.TextChoices):
        INSPECTION = "inspection", _("现场检查")
        COMPLAINT = "complaint", _("投诉")
        REPORT = "report", _("举报")
        ASSIGNED = "assigned", _("上级交办")
        TRANSFERRED = "transferred", _("移送")
        MEDIA = "media", _("媒体曝光")
        OTHER = "other", _("其他")

    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("办案单位"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    power_item = models.ForeignKey(
        "enforcement.PowerItem",
        verbose_name=_("职权事项"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # R9: the official number (松市监立〔2026〕5号), taken when the case is opened; cases opened
    # before numbering existed have none.
    number = models.CharField(_("立案编号"), max_length=60, blank=True, editable=False)
    # The item as published when the case was opened: withdrawing or revising it later must
    # not change what the case was opened under.
    item_code = models.CharField(_("事项编码"), max_length=50)
    item_name = models.CharField(_("事项名称"), max_length=200)
    source = models.CharField(_("案件来源"), max_length=12, choices=Source.choices)
    summary = models.TextField(_("案由"), max_length=2000)
    stage = models.CharField(
        _("办理阶段"), max_length=15, choices=Stage.choices, default=Stage.INITIATION
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("立案人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("立案时间"), default=timezone.now)
    stage_changed_at = models.DateTimeField(_("进入本阶段时间"), default=timezone.now)
    # Set when the archived case is closed (结案): only then may supervisors review its file.
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    # Whether a supervisor has reviewed the closed case's file (案卷评查): kept by the reviews'
    # save and delete (`CaseFileReview`), so that the queue of files awaiting review is read from
    # one partial index instead of anti-joining every review (issue 15).
    file_reviewed = models.BooleanField(
        _("已评查"), default=False, db_default=False, editable=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("执法案件")
        verbose_name_plural = _("执法案件")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"], condition=~Q(number=""), name="case_number_once"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "-opened_at"], name="case_agency_recent"),
            models.Index(fields=["stage", "-opened_at"], name="case_stage_recent"),
            # Supervisors' lists across many agencies, newest first (bench/case_pages.py).
            models.Index(fields=["-opened_at", "-id"], name="case_recent"),
            # Closed cases, by when.
            models.Index(
                fields=["closed_at"], name="case_closed", condition=Q(closed_at__isnull=False)
            ),
            # Closed cases whose file awaits review (案卷评查), longest closed first; the agency
            # included, so that a supervisor's scope is checked from the index alone.
            models.Index(
                fields=["closed_at"],
                include=["agency"],
                name="case_awaiting_file_review",
                condition=Q(closed_at__isnull=False, file_reviewed=False),
            ),
            # The same cases per agency: the queue's count in a supervisor's scope, up to the
            # cap, from the index alone (the agency's index reads a case's row for each).
            models.Index(
                fields=["agency"],
                name="case_awaiting_review_by_agency",
                condition=Q(closed_at__isnull=False, file_reviewed=False),
            ),
        ]

    def __str__(self) -> str:
        return _("%(item)s案（%(year)s）第 %(pk)s 号") % {
            "item": self.item_name,
            "year": f"{timezone.localtime(self.opened_at):%Y}",
            "pk": self.pk,
        }

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    @property
    def next_stage(self) -> Stage | None:
        return Stage.after(self.stage)


class Party(models.Model):
    """A party to the case (当事人) with its identifier."""

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("公民")
        LEGAL_PERSON = "legal_person", _("法人")
        OTHER_ORGANISATION = "other_org", _("其他组织")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField(_("当事人类型"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("名称或姓名"), max_length=100)
    # A citizen's resident identity number, or an organisation's unified social credit code.
    identifier = models.CharField(_("身份证号码或统一社会信用代码"), max_length=18)
    address = models.CharField(_("住所或地址"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return self.name


class CaseOfficer(models.Model):
    """An officer who handles the case; enforcement needs at least two with valid certificates."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_officers")
    officer = models.ForeignKey(
        "enforcement.Officer", on_delete=models.PROTECT, related_name="case_assignments"
    )

    class Meta:
        verbose_name = _("承办执法人员")
        verbose_name_plural = _("承办执法人员")
        ordering = ["case", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "officer"], name="case_officer_once"),
        ]

    def __str__(self) -> str:
        return str(self.officer_id)


class EvidenceType(models.TextChoices):
    """The kinds of evidence of the Administrative Penalty Law, art. 46."""

    DOCUMENTARY = "documentary", _("书证")
    PHYSICAL = "physical", _("物证")
    AUDIOVISUAL = "audiovisual", _("视听资料")
    ELECTRONIC = "electronic", _("电子数据")
    WITNESS = "witness", _("证人证言")
    PARTY_STATEMENT = "party_statement", _("当事人陈述")
    EXPERT_OPINION = "expert_opinion", _("鉴定意见")
    INSPECTION_RECORD = "inspection_record", _("勘验笔录、现场笔录")


def record_path(instance: "CaseRecord", filename: str) -> str:
    # Never the uploader's name: a random one and the type read from the content.
    return f"cases/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class CaseRecord(models.Model):
    """A document or audio-video record of one stage (R6). Rows are only ever added: a correction
    is a new version that names the one it supersedes and why, and the old one stays."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("文字记录")
        AUDIO_VIDEO = "audio_video", _("音像记录")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="records")
    stage = models.CharField(_("阶段"), max_length=15, choices=Stage.choices)
    kind = models.CharField(_("记录类型"), max_length=12, choices=Kind.choices)
    evidence_type = models.CharField(
        _("证据种类"), max_length=20, choices=EvidenceType.choices, blank=True
    )
    title = models.CharField(_("名称"), max_length=200)
    recorded_by = models.ForeignKey(
        "enforcement.Officer",
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="case_records",
    )
    recorded_at = models.DateTimeField(_("记录时间"))
    recorded_place = models.CharField(_("记录地点"), max_length=200)
    file = models.FileField(upload_to=record_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("更正的记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    correction_reason = models.CharField(_("更正理由"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("案件记录")
        verbose_name_plural = _("案件记录")
        ordering = ["case", "entered_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True, version=1)
                | (Q(supersedes__isnull=False, version__gt=1) & ~Q(correction_reason="")),
                name="case_record_correction_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["case", "stage"], name="case_record_stage")]

    def __str__(self) -> str:
        return f"{self.title}（v{self.version}）"

    @property
    def is_current(self) -> bool:
        """Not superseded by a correction (needs `superseded_by` to be fetched)."""
        return not hasattr(self, "superseded_by")


class TimelineEvent(models.Model):
    """A step in a record's timeline: who did it, when, and a note (a case's, a dispute's)."""

    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class CaseEvent(TimelineEvent):
    """The case's timeline: every step with who, when and a note."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("立案")
        RECORD_ADDED = "record_added", _("添加记录")
        RECORD_CORRECTED = "record_corrected", _("更正记录")
        STAGE_ADVANCED = "stage_advanced", _("进入下一阶段")
        DECISION_SAVED = "decision_saved", _("拟定执法决定")
        DECISION_SUBMITTED = "decision_submitted", _("提交法制审核")
        REVIEWED = "reviewed", _("法制审核")
        MAJOR_MARKED = "major_marked", _("认定为重大执法决定")
        MAJOR_UNMARKED = "major_unmarked", _("取消重大执法决定认定")
        DECISION_ISSUED = "decision_issued", _("作出执法决定")
        DISCLOSED = "disclosed", _("决定公示")
        PAYMENT_RECORDED = "payment_recorded", _("录入罚款缴纳")
        CLOSED = "closed", _("结案")
        REMEDY_RECORDED = "remedy_recorded", _("录入复议诉讼结果")
        SCREENED = "screened", _("问责筛查")
        FILE_REVIEWED = "file_reviewed", _("案卷评查")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(_("环节"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("案件办理记录")
        verbose_name_plural = _("案件办理记录")
        ordering = ["case", "at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at")]


class KeepsCaseAgency(models.Model):
    """A row of a case that keeps its case's agency (a case never changes agency), so that a
    supervisor's lists of such rows are read from an index per agency in scope instead of
    through every case of the scope (issue 15). Taken from the case on save."""

    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("执法主体"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.agency_id is None:
            self.agency_id = self.case.agency_id
        super().save(*args, **kwargs)
