"""R26: clues (线索) of accountability, from every source, each numbered and ending in a finding.

R13: an unfavourable reconsideration or litigation outcome, once screened, can become a clue.
R26: a clue not handled in time escalates once, and the unit that sat on it is itself traced by a
new clue (source "倒查") linked to the original.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.timeline import Event


class ClueCounter(models.Model):
    """The last clue number of one region in one year; taken with a row-locking upsert inside the
    registering transaction, so numbers are unique and gapless (like complaints' register)."""

    region = models.ForeignKey("enforcement.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="clue_counter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.year}: {self.last}"


class Clue(models.Model):
    class Source(models.TextChoices):
        COMPLAINT = "complaint", _("投诉核查属实")
        INSPECTION = "inspection", _("专项检查或暗访")
        FILE_REVIEW = "file_review", _("案卷评查")
        REMEDY = "remedy", _("行政复议或诉讼结果")
        SUPERVISION = "supervision", _("监察机关移送")
        AUDIT = "audit", _("审计移送")
        MEDIA = "media", _("媒体曝光")
        REPORT = "report", _("举报")
        OVERDUE = "overdue", _("倒查：线索逾期未办")
        REVERSE = "reverse", _("倒查：投诉办理失职")

    class TraceCheck(models.TextChoices):
        """R27: what the complaint's own history shows someone failed to do."""

        LATE_ACKNOWLEDGEMENT = "late_ack", _("逾期作出受理决定")
        WRONG_REFUSAL = "wrong_refusal", _("同一事项曾被错误不予受理")
        HANDLING_OVERDUE = "handling_overdue", _("逾期办结")
        REFERRAL_IDLE = "referral_idle", _("移送后未及时立线索")

    class Responsibility(models.TextChoices):
        DIRECT = "direct", _("直接责任")
        PRINCIPAL = "principal", _("主体责任")
        SUPERVISORY = "supervisory", _("监督责任")

    # Sources outside the portal: the body that sent it, its reference number and date.
    EXTERNAL = (Source.SUPERVISION, Source.AUDIT, Source.MEDIA, Source.REPORT)

    class Status(models.TextChoices):
        REGISTERED = "registered", _("已登记")
        HANDLING = "handling", _("办理中")
        CLOSED = "closed", _("已办结")

    class Finding(models.TextChoices):
        RESPONSIBLE = "responsible", _("认定存在责任")
        NOT_RESPONSIBLE = "not_responsible", _("认定不存在责任")
        TRANSFERRED = "transferred", _("移交其他机关处理")

    number = models.CharField(_("线索编号"), max_length=40, unique=True)
    region = models.ForeignKey(
        "enforcement.Region", verbose_name=_("登记地区"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("涉及单位"),
        on_delete=models.PROTECT,
        related_name="accountability_clues",
    )
    officers = models.ManyToManyField(
        "enforcement.Officer", verbose_name=_("涉及人员"), blank=True, related_name="+"
    )
    source = models.CharField(_("线索来源"), max_length=16, choices=Source.choices)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("来源投诉"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspection = models.ForeignKey(
        "assessment.Inspection",
        verbose_name=_("来源检查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_review = models.ForeignKey(
        "enforcement.CaseFileReview",
        verbose_name=_("来源案卷评查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    remedy_outcome = models.ForeignKey(
        "enforcement.RemedyOutcome",
        verbose_name=_("来源复议诉讼结果"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    traced_from = models.ForeignKey(
        "self",
        verbose_name=_("倒查原线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="traces",
    )
    # R27: a reverse-traced clue names what failed, who failed (none when nobody acted, e.g. a
    # complaint never decided), the kind of responsibility, and the office that supervises the
    # unit (its supervisory responsibility); the unit's principal responsibility is `agency`.
    traced_complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("倒查投诉"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    trace_check = models.CharField(
        _("倒查事项"), max_length=20, choices=TraceCheck.choices, blank=True
    )
    traced_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("失职人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsibility = models.CharField(
        _("责任类型"), max_length=12, choices=Responsibility.choices, blank=True
    )
    supervising_office = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("负监督责任的机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    external_body = models.CharField(_("移送或来源机关"), max_length=100, blank=True)
    external_reference = models.CharField(_("来文文号"), max_length=100, blank=True)
    external_date = models.DateField(_("来文日期"), null=True, blank=True)
    summary = models.TextField(_("线索摘要"), max_length=5000)
    received_on = models.DateField(_("收到日期"))
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("指定时间"), null=True, blank=True)
    due_on = models.DateField(_("办理期限"))
    due_provisional = models.BooleanField(_("期限待定"), default=False)
    escalated_on = models.DateField(_("逾期上报日期"), null=True, blank=True)
    finding = models.CharField(_("认定结论"), max_length=20, choices=Finding.choices, blank=True)
    reasons = models.TextField(_("认定理由"), max_length=5000, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("问责线索")
        verbose_name_plural = _("问责线索")
        ordering = ["-registered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "sequence"], name="clue_number_once"),
            # R26: none closes without a finding and its reasons.
            models.CheckConstraint(
                condition=~Q(status="closed") | (~Q(finding="") & ~Q(reasons="")),
                name="clue_closed_has_finding",
            ),
            # One clue per source object, and one trace per original clue.
            models.UniqueConstraint(
                fields=["complaint"],
                condition=Q(complaint__isnull=False),
                name="clue_complaint_once",
            ),
            models.UniqueConstraint(
                fields=["inspection"],
                condition=Q(inspection__isnull=False),
                name="clue_inspection_once",
            ),
            models.UniqueConstraint(
                fields=["file_review"],
                condition=Q(file_review__isnull=False),
                name="clue_file_review_once",
            ),
            models.UniqueConstraint(
                fields=["remedy_outcome"],
                condition=Q(remedy_outcome__isnull=False),
                name="clue_remedy_once",
            ),
            # One overdue trace per original clue (R26), one clue per R27 finding per complaint.
            models.UniqueConstraint(
                fields=["traced_from"],
                condition=Q(traced_from__isnull=False, trace_check=""),
                name="clue_traced_once",
            ),
            models.UniqueConstraint(
                fields=["traced_complaint", "trace_check"],
                condition=Q(traced_complaint__isnull=False),
                name="clue_reverse_traced_once",
            ),
        ]
        indexes = [
            # The sweep reads only open clues not yet escalated.
            models.Index(
                fields=["due_on"],
                condition=Q(escalated_on__isnull=True) & ~Q(status="closed"),
                name="clue_due_open",
            ),
            models.Index(fields=["handler", "status"], name="clue_handler_status"),
            # The register: newest first, within the agencies a supervisor sees.
            models.Index(fields=["agency", "-registered_at"], name="clue_agency_registered"),
            # The unit in the index too: a deep page's keys are read by an index-only scan.
            models.Index(
                fields=["-registered_at", "-id"], include=["agency"], name="clue_registered"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ClueEvent(Event):
    """The clue's timeline: each state change, who, when, why."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("登记")
        ASSIGNED = "assigned", _("指定承办人")
        CLOSED = "closed", _("办结")
        ESCALATED = "escalated", _("逾期上报")
        TRACED = "traced", _("倒查立线索")
        CASE_OPENED = "case_opened", _("问责立案")

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(_("事项"), max_length=12, choices=Kind.choices)

    class Meta:
        verbose_name = _("线索记录")
        verbose_name_plural = _("线索记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.clue_id} {self.kind}"
