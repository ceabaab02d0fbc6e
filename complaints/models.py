"""Complaints against improper enforcement (R14–R17): channels, the register, handling."""

import functools
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords


class History(HistoryManager):
    """simple-history's manager, with its queryset's methods copied onto it once per process:
    the history descriptor calls `from_queryset` on every access, and every history row
    written makes one (a new class, 0.2 ms, on every complaint filed)."""

    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


class ComplaintChannel(models.Model):
    """R14: how a government, or one of its departments, receives complaints, published for the
    public to see. The government's channel (no agency) also sets its register's handling
    periods; a department's channel says where to reach the department itself."""

    region = models.ForeignKey(
        "enforcement.Region",
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="complaint_channels",
    )
    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("执法部门"),
        on_delete=models.PROTECT,
        related_name="complaint_channels",
        null=True,
        blank=True,
        help_text=_("不填：本级人民政府的投诉举报渠道；填写：该部门自己的投诉举报渠道。"),
    )
    office = models.CharField(_("受理机构"), max_length=100)
    scope = models.TextField(_("受理范围"))
    email = models.EmailField(_("电子信箱"), blank=True)
    hotline = models.CharField(_("热线电话"), max_length=40, blank=True)
    postal_address = models.CharField(_("通信地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=100, blank=True)
    published = models.BooleanField(_("向社会公布"), default=True)
    # Local choices, not the policy's: § 五(三) fixes only the 5 working days to tell the
    # complainant whether the complaint is accepted (R16). 60 days, one extension of 30 days and
    # the agency's 10 working days are this portal's defaults; each region sets its own here.
    handling_days = models.PositiveSmallIntegerField(
        _("办理期限（日）"),
        default=60,
        help_text=_(
            "受理后办理完毕的期限，按日计算；末日为法定休假日的，顺延至休假日后的第一日。"
            "本地区设定的默认值（非政策规定），默认 60 日。"
        ),
    )
    extension_days = models.PositiveSmallIntegerField(
        _("延长期限（日）"),
        default=30,
        help_text=_(
            "办理期限可延长一次，每次延长的日数。本地区设定的默认值（非政策规定），默认 30 日。"
        ),
    )
    agency_response_working_days = models.PositiveSmallIntegerField(
        _("被投诉单位书面说明期限（工作日）"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_(
            "要求被投诉单位作出书面说明的期限，按工作日计算。"
            "本地区设定的默认值（非政策规定），默认 10 个工作日。"
        ),
    )

    history = HistoricalRecords(history_manager=History)

    class Meta:
        verbose_name = _("投诉举报渠道")
        verbose_name_plural = _("投诉举报渠道")
        ordering = ["region__path", models.F("agency__name").asc(nulls_first=True)]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="", hotline="", postal_address=""),
                name="complaint_channel_has_a_way_in",
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=models.Q(agency__isnull=True),
                name="complaint_channel_one_per_government",
            ),
            models.UniqueConstraint(fields=["agency"], name="complaint_channel_one_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.office}"

    def clean(self) -> None:
        if not (self.email or self.hotline or self.postal_address):
            raise ValidationError(_("请至少填写电子信箱、热线电话或通信地址中的一项。"))
        if self.agency_id and self.region_id and self.agency.region_id != self.region_id:
            raise ValidationError({"agency": _("部门的投诉举报渠道应填写该部门所在的行政区划。")})

    @property
    def publisher(self) -> str:
        """Who publishes the channel: the department, else the region's government."""
        return self.agency.name if self.agency_id else str(self.region.name)


class Category(models.TextChoices):
    """The kinds of improper enforcement the policy names."""

    SLOW = "slow", _("慢作为")
    INACTION = "inaction", _("不作为")
    ARBITRARY = "arbitrary", _("乱作为")
    UNCIVIL = "uncivil", _("不文明执法")
    SELECTIVE = "selective", _("选择执法")
    FAVOURITISM = "favouritism", _("人情执法")
    ENTRAPMENT = "entrapment", _("钓鱼执法")
    PROFIT = "profit", _("利益驱动执法")
    OTHER = "other", _("其他")


class ReceivedVia(models.TextChoices):
    WEB = "web", _("网上投诉")
    PHONE = "phone", _("电话")
    LETTER = "letter", _("来信")
    EMAIL = "email", _("电子邮件")
    IN_PERSON = "in_person", _("来访")


class RefusalReason(models.TextChoices):
    """R17: why a complaint is not accepted, as the register records it."""

    OUT_OF_SCOPE = "out_of_scope", _("不属于受理范围")
    UNDER_REVIEW = "under_review", _("已申请行政复议或提起行政诉讼")
    DUPLICATE = "duplicate", _("重复投诉")
    INSUFFICIENT = "insufficient", _("投诉信息不足，无法核查")
    NOT_ENFORCEMENT = "not_enforcement", _("不属于行政执法行为")
    OTHER = "other", _("其他")


class Result(models.TextChoices):
    """The finding that closes a complaint; accountability reads it (R26, R27)."""

    SUBSTANTIATED = "substantiated", _("投诉属实")
    PARTLY = "partly", _("部分属实")
    NOT_SUBSTANTIATED = "not_substantiated", _("投诉不属实")


class RegisterCounter(models.Model):
    """R15: the last number given in one register (a government's) in one year.

    Numbers are taken with a single upsert inside the registering transaction: the row lock
    serialises concurrent registrations and a rolled-back registration gives its number back, so
    the sequence is unique and gapless.
    """

    region = models.ForeignKey("enforcement.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="register_counter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.year}: {self.last}"


class Complaint(models.Model):
    """One complaint in a government's register (R15), from receipt to feedback (R16, R17)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("已登记，待受理")
        ACCEPTED = "accepted", _("已受理")
        HANDLING = "handling", _("办理中")
        CLOSED = "closed", _("已办结")
        REFUSED = "refused", _("不予受理")
        TRANSFERRED = "transferred", _("已转办")

    OPEN = (Status.REGISTERED, Status.ACCEPTED, Status.HANDLING)
    IN_HANDLING = (Status.ACCEPTED, Status.HANDLING)

    # The register (R15)
    region = models.ForeignKey(
        "enforcement.Region",
        verbose_name=_("登记机关所在区划"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    year = models.PositiveSmallIntegerField(_("登记年度"))
    sequence = models.PositiveIntegerField(_("登记序号"))
    number = models.CharField(_("登记号"), max_length=32, unique=True)
    access_code_hash = models.CharField(max_length=64, editable=False)
    received_via = models.CharField(
        _("收件渠道"), max_length=12, choices=ReceivedVia.choices, default=ReceivedVia.WEB
    )
    received_on = models.DateField(_("收到日期"))
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submission_token = models.CharField(max_length=64, blank=True, editable=False)
    fingerprint = models.CharField(max_length=64, editable=False, db_index=True)

    # What is complained about
    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("被投诉单位"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    officer = models.CharField(_("执法人员（姓名或执法证号）"), max_length=100, blank=True)
    occurred_on = models.DateField(_("发生日期"))
    place = models.CharField(_("发生地点"), max_length=200, blank=True)
    case_number = models.CharField(_("案件或决定书编号"), max_length=100, blank=True)
    category = models.CharField(_("投诉类型"), max_length=12, choices=Category.choices)
    description = models.TextField(_("投诉事项"), max_length=5000)
    request = models.TextField(_("投诉请求"), max_length=2000, blank=True)

    # Who complains: shown only to the handler and the region's supervisors, every view logged
    anonymous = models.BooleanField(_("匿名投诉"), default=False)
    complainant_name = models.CharField(_("投诉人姓名"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    email = models.EmailField(_("电子信箱"), blank=True)

    # Status and deadlines
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    acknowledge_by = models.DateField(_("受理告知期限"))
    acknowledge_provisional = models.BooleanField(_("受理期限为暂定"), default=False)
    handling_started_on = models.DateField(_("受理日期"), null=True, blank=True)
    handling_days = models.PositiveSmallIntegerField(_("办理期限（日）"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延长期限（日）"), default=0)
    extension_reason = models.CharField(_("延期理由"), max_length=500, blank=True)
    handling_due = models.DateField(_("办理期限"), null=True, blank=True)
    handling_provisional = models.BooleanField(_("办理期限为暂定"), default=False)
    # The deadline that applies now (acknowledgement, then handling; none once decided or
    # closed) and whether its reminder and escalation went out: the sweep reads these only.
    due_on = models.DateField(null=True, blank=True, editable=False)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    escalated_on = models.DateField(null=True, blank=True, editable=False)

    # The decision on acceptance (R16, R17)
    decided_at = models.DateTimeField(_("受理决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受理决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refusal_reason = models.CharField(
        _("不予受理理由"), max_length=16, choices=RefusalReason.choices, blank=True
    )
    decision_note = models.TextField(_("决定说明"), max_length=2000, blank=True)
    transferred_to = models.CharField(_("转办机关"), max_length=100, blank=True)

    # Handling (R17)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_complaints",
    )
    result = models.CharField(_("核查结论"), max_length=20, choices=Result.choices, blank=True)
    measures = models.TextField(_("处理措施"), max_length=5000, blank=True)
    feedback = models.TextField(_("反馈意见"), max_length=5000, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    referred_at = models.DateTimeField(_("移送问责时间"), null=True, blank=True)
    material_requested = models.BooleanField(_("待补充材料"), default=False)

    # The complainant's rating of the handling
    rating = models.PositiveSmallIntegerField(_("满意度评价"), null=True, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    history = HistoricalRecords(
        excluded_fields=["access_code_hash", "reminded_on", "escalated_on"],
        history_manager=History,
    )

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉登记簿")
        ordering = ["-registered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "sequence"], name="complaint_register_sequence_once"
            ),
            models.UniqueConstraint(
                fields=["submission_token"],
                condition=~Q(submission_token=""),
                name="complaint_submitted_once",
            ),
            models.CheckConstraint(
                condition=Q(anonymous=True) | ~Q(complainant_name=""),
                name="complaint_named_or_anonymous",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="complaint_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="transferred") | ~Q(transferred_to=""),
                name="complaint_transfer_names_office",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(result=""),
                name="complaint_closed_with_result",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="complaint_rating_one_to_five",
            ),
        ]
        indexes = [
            # The sweep: reminders not yet sent, escalations not yet sent (R16 and handling).
            models.Index(
                fields=["due_on"],
                name="complaint_due_unreminded",
                condition=Q(due_on__isnull=False, reminded_on__isnull=True),
            ),
            models.Index(
                fields=["due_on"],
                name="complaint_due_unescalated",
                condition=Q(due_on__isnull=False, escalated_on__isnull=True),
            ),
            # The early-warning page and the register's default order.
            # A supervisor's (and the dashboard's) open deadlines, by register, the agency
            # included: their counts never visit the table.
            models.Index(
                fields=["due_on"],
                include=["id", "region", "agency"],
                name="complaint_due_open",
                condition=Q(due_on__isnull=False),
            ),
            # The same, register by register: a city's open deadlines, soonest first.
            models.Index(
                fields=["region", "due_on"],
                include=["agency"],
                name="complaint_due_by_register",
                condition=Q(due_on__isnull=False),
            ),
            # The to-do list's complaints to acknowledge, by register.
            models.Index(
                fields=["region"],
                name="complaint_registered",
                condition=Q(status="registered"),
            ),
            models.Index(fields=["-registered_at", "-id"], name="complaint_recent"),
            models.Index(fields=["region", "-registered_at"], name="complaint_register_recent"),
            models.Index(fields=["agency", "-registered_at"], name="complaint_agency_recent"),
            models.Index(fields=["status", "-registered_at"], name="complaint_status_recent"),
            # The evaluation's acknowledgement figures (R16, R20): the year's deadlines.
            models.Index(fields=["acknowledge_by"], name="complaint_acknowledge_by"),
            # The dashboard's acknowledgements overdue this month: the undecided complaints only.
            models.Index(
                fields=["acknowledge_by"],
                include=["agency"],
                name="complaint_undecided_ack",
                condition=Q(decided_at__isnull=True),
            ),
            # The officers' everyday scores (R21): the year's substantiated complaints that name
            # an officer, a small share of a million, read once per officer; the text and the
            # agency included, so that reading them never visits the table.
            models.Index(
                fields=["closed_at"],
                include=["officer", "agency"],
                name="complaint_names_substantiated",
                condition=Q(result=Result.SUBSTANTIATED) & ~Q(officer=""),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("complaints:staff-detail", args=[self.pk])

    @property
    def extended(self) -> bool:
        return self.extension_days > 0

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def may_be_rated(self) -> bool:
        return self.status == self.Status.CLOSED and self.rating is None


class ComplaintEvent(models.Model):
    """A step in a complaint's timeline; public steps are what the complainant sees (R17)."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("登记")
        ACCEPTED = "accepted", _("受理")
        REFUSED = "refused", _("不予受理")
        TRANSFERRED = "transferred", _("转办")
        ASSIGNED = "assigned", _("指定承办人")
        AGENCY_ASKED = "agency_asked", _("要求被投诉单位书面说明")
        AGENCY_ANSWERED = "agency_answered", _("被投诉单位书面说明")
        INVESTIGATION = "investigation", _("调查核实")
        PROGRESS = "progress", _("办理进展")
        MATERIAL_REQUESTED = "material_requested", _("请投诉人补充材料")
        MATERIAL_ADDED = "material_added", _("投诉人补充材料")
        EXTENDED = "extended", _("延长办理期限")
        CLOSED = "closed", _("办结反馈")
        REFERRED = "referred", _("移送责任追究")
        RATED = "rated", _("投诉人评价")
        REMINDED = "reminded", _("到期提醒")
        ESCALATED = "escalated", _("逾期督办")
        # A deadline moved because a year's holiday schedule was loaded, amended or removed.
        DEADLINE_MOVED = "deadline_moved", _("期限重新计算")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(_("环节"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("说明"), max_length=5000, blank=True)
    public = models.BooleanField(_("向投诉人公开"), default=False)

    class Meta:
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["complaint", "at"], name="complaint_event_timeline")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.get_kind_display()}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name never comes from the uploader: only a random name and the checked type.
    return f"complaints/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class Attachment(models.Model):
    """A file the complainant sent, checked by its content (see `complaints.uploads`)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        ComplaintEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class AgencyRequest(models.Model):
    """The handler's request to the agency complained about for a written response.

    The agency's staff see this request and nothing else of the complaint: the complainant's
    identity only if the handler chose to share it.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="requests")
    agency = models.ForeignKey(
        "enforcement.Agency", on_delete=models.PROTECT, related_name="complaint_requests"
    )
    question = models.TextField(_("需说明的事项"), max_length=5000)
    share_identity = models.BooleanField(_("告知投诉人身份"), default=False)
    respond_by = models.DateField(_("答复期限"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("书面说明"), max_length=10000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    history = HistoricalRecords(history_manager=History)

    class Meta:
        verbose_name = _("书面说明要求")
        verbose_name_plural = _("书面说明要求")
        ordering = ["-asked_at", "-pk"]
        indexes = [
            models.Index(
                fields=["agency", "respond_by"],
                name="agency_request_unanswered",
                condition=Q(answered_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint} → {self.agency}"


class IdentityView(models.Model):
    """Who saw a complainant's identity, when and where (privacy: every view is logged)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    where = models.CharField(max_length=20)

    class Meta:
        verbose_name = _("身份信息查看记录")
        verbose_name_plural = _("身份信息查看记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["complaint", "-at"], name="identity_view_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.complaint_id} {self.at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """An outbox row: every message to a complainant, handler or supervisor is written here in
    the transaction of the change that causes it, then delivered by a task or, if the broker
    was down, by the sweep. The unique key makes each message exist once."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("电子邮件")
        SMS = "sms", _("短信")

    key = models.CharField(max_length=120, unique=True)
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipients = models.JSONField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["created_at"], name="notification_unsent", condition=Q(sent_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return self.key
