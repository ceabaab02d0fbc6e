"""Power-and-responsibility list items (R1–R3, R7, R9, R10) and the revision tasks of R2.

Staff keep `PowerItem` rows as drafts; publishing copies the reviewed item into
`PublishedPowerItem`, the only table the public reads, so that revising a draft never hides what
was published and public search reads one narrow, indexed table.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Category(models.TextChoices):
    LICENSING = "licensing", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    LEVY = "levy", _("行政征收")
    PAYMENT = "payment", _("行政给付")
    INSPECTION = "inspection", _("行政检查")
    CONFIRMATION = "confirmation", _("行政确认")
    REWARD = "reward", _("行政奖励")
    ADJUDICATION = "adjudication", _("行政裁决")
    OTHER = "other", _("其他行政权力")


class Level(models.TextChoices):
    """R10: which level of government exercises the power."""

    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class PowerItemContent(models.Model):
    """What an item says, shared by the working copy and the published copy."""

    code = models.CharField(_("事项编码"), max_length=50)
    name = models.CharField(_("事项名称"), max_length=200)
    sub_item = models.CharField(_("子项名称"), max_length=200, blank=True)
    category = models.CharField(_("职权类别"), max_length=20, choices=Category.choices)
    level = models.CharField(_("行使层级"), max_length=10, choices=Level.choices)
    handling_unit = models.CharField(_("承办机构"), max_length=100, blank=True)
    responsibilities = models.TextField(_("责任事项"), blank=True)
    accountability = models.TextField(_("追责情形"), blank=True)
    process = models.TextField(_("办理流程"), blank=True)
    remarks = models.TextField(_("备注"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} {self.name}" + (f"（{self.sub_item}）" if self.sub_item else "")


class PowerItem(PowerItemContent):
    """An agency's working copy of one power, with its review status."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待法制机构审核")
        LEGAL_PASSED = "legal_passed", _("待政府法制部门审核")
        RETURNED = "returned", _("已退回修改")
        PUBLISHED = "published", _("已公布")
        # R2: a withdrawal is reviewed like a publication, by the same two offices.
        WITHDRAWAL_SUBMITTED = "withdrawing", _("申请取消，待法制机构审核")
        WITHDRAWAL_PASSED = "withdraw_passed", _("申请取消，待政府法制部门审核")
        WITHDRAWN = "withdrawn", _("已取消")

    EDITABLE = (Status.DRAFT, Status.RETURNED, Status.PUBLISHED)
    # Under review: of its content or of its withdrawal.
    IN_REVIEW = (
        Status.SUBMITTED,
        Status.LEGAL_PASSED,
        Status.WITHDRAWAL_SUBMITTED,
        Status.WITHDRAWAL_PASSED,
    )

    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("实施主体"),
        on_delete=models.PROTECT,
        related_name="power_items",
    )
    delegation = models.ForeignKey(
        "enforcement.Delegation",
        verbose_name=_("委托执法"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
        help_text=_("由受委托组织以委托机关名义实施的事项。"),
    )
    status = models.CharField(
        _("状态"), max_length=15, choices=Status.choices, default=Status.DRAFT
    )
    # True while the working copy differs from the published one (a revision in progress).
    has_unpublished_changes = models.BooleanField(default=True, editable=False)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("权责事项")
        verbose_name_plural = _("权责事项")
        ordering = ["agency", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="power_item_unique_code"),
        ]
        indexes = [models.Index(fields=["agency", "status"], name="power_item_agency_status")]


class PowerItemBasis(models.Model):
    """A legal basis of an item, with the articles that set or implement the power."""

    item = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="bases")
    basis = models.ForeignKey(
        "enforcement.LegalBasis",
        verbose_name=_("执法依据"),
        on_delete=models.PROTECT,
        related_name="item_links",
    )
    articles = models.CharField(_("条款"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("事项依据")
        verbose_name_plural = _("事项依据")
        constraints = [
            models.UniqueConstraint(fields=["item", "basis"], name="power_item_basis_once"),
        ]

    def __str__(self) -> str:
        return f"{self.basis}{self.articles}"


class DiscretionTier(models.Model):
    """R7: one tier of a penalty item's discretion benchmark (裁量基准)."""

    item = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="discretion_tiers")
    order = models.PositiveSmallIntegerField(_("序号"))
    circumstances = models.TextField(_("违法情节"))
    penalty = models.CharField(_("处罚幅度"), max_length=300)
    fine_min = models.DecimalField(
        _("罚款下限（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    fine_max = models.DecimalField(
        _("罚款上限（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("裁量基准")
        verbose_name_plural = _("裁量基准")
        ordering = ["item", "order"]
        constraints = [
            models.UniqueConstraint(fields=["item", "order"], name="discretion_tier_order_once"),
            models.CheckConstraint(
                condition=Q(fine_min__isnull=True)
                | Q(fine_max__isnull=True)
                | Q(fine_min__lte=models.F("fine_max")),
                name="discretion_tier_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.penalty}"


class PowerItemEvent(models.Model):
    """The item's timeline: every transition with who, when and why."""

    class Kind(models.TextChoices):
        CREATED = "created", _("创建")
        IMPORTED = "imported", _("导入")
        EDITED = "edited", pgettext_lazy("an event in an item's timeline", "修改")
        SUBMITTED = "submitted", _("提交审核")
        LEGAL_PASSED = "legal_passed", _("法制机构审核通过")
        RETURNED = "returned", _("退回修改")
        PUBLISHED = "published", _("公布")
        WITHDRAWAL_REQUESTED = "withdraw_asked", _("申请取消")
        WITHDRAWAL_PASSED = "withdraw_passed", _("法制机构同意取消")
        WITHDRAWN = "withdrawn", _("取消")
        # An open revision task's due date moved with a year's holiday schedule (R2).
        DEADLINE_MOVED = "deadline_moved", _("调整期限重新计算")
        # R4: the delegation the item was enforced under was cleared or expired.
        DELEGATION_ENDED = "delegation_end", _("委托执法终止")

    item = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(_("环节"), max_length=15, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.PROTECT
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)
    # Shown in the public change history (publications and withdrawals).
    public = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("事项办理记录")
        verbose_name_plural = _("事项办理记录")
        ordering = ["item", "at", "pk"]
        indexes = [models.Index(fields=["item", "at"], name="power_item_event_item_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class PublishedPowerItem(PowerItemContent):
    """The public copy of an item as last published (R3, R9): what the public sees and searches."""

    item = models.OneToOneField(PowerItem, on_delete=models.CASCADE, related_name="published")
    agency = models.ForeignKey(
        "enforcement.Agency", on_delete=models.PROTECT, related_name="published_items"
    )
    # The agency's region path, copied so that "this region and below" needs no join.
    region_path = models.CharField(max_length=255)
    bases = models.JSONField(_("执法依据"), default=list)
    discretion = models.JSONField(_("裁量基准"), default=list)
    delegation = models.JSONField(_("委托执法"), null=True, blank=True)
    # The delegation the snapshot names (R4), so that clearing or expiring it finds every public
    # copy that shows it, including one whose working copy is being revised without it.
    named_delegation = models.ForeignKey(
        "enforcement.Delegation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="published_copies",
        editable=False,
    )
    published_at = models.DateTimeField(_("公布时间"))
    # Chinese has no spaces: the search documents hold the text's overlapping character pairs
    # (bigrams), so a two-character query such as 许可 is one exact term in a GIN index. The
    # title and the bases have documents of their own, so that search ranks their matches first
    # (R3; enforcement.search.search_documents).
    search_document = models.TextField(editable=False, default="")
    search_title = models.TextField(editable=False, default="")
    search_bases = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("已公布事项")
        verbose_name_plural = _("已公布事项")
        ordering = ["region_path", "agency_id", "code"]
        indexes = [
            models.Index(
                fields=["region_path", "agency", "code"],
                name="published_item_browse",
                opclasses=["varchar_pattern_ops", "int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["agency", "code"], name="published_item_agency_code"),
            models.Index(fields=["category", "level"], name="published_item_category_level"),
        ]


class RevisionTask(models.Model):
    """R2: an affected item must be revised and republished within one month of the change.

    A new law (立) cites no item yet: its task names the agency of a domain it governs and no
    item; publishing an item that cites the law closes it (or a supervisor, with a reason).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("待调整")
        CLOSED = "closed", _("已完成")

    change = models.ForeignKey(
        "enforcement.BasisChange", on_delete=models.PROTECT, related_name="revision_tasks"
    )
    item = models.ForeignKey(
        PowerItem,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="revision_tasks",
    )
    # The agency that must act: the item's, or the one a new law reaches through its domains.
    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("实施主体"),
        on_delete=models.PROTECT,
        related_name="revision_tasks",
    )
    due_on = models.DateField(_("调整期限"))
    due_provisional = models.BooleanField(_("期限为暂定"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    closing_note = models.CharField(_("完成情况"), max_length=200, blank=True)
    # The last move of the due date with a year's holiday schedule (old → new and why): a task
    # of a new law has no item whose timeline could say it, so the task says it itself.
    due_moved_note = models.CharField(_("期限调整说明"), max_length=500, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关闭人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reminded_on = models.DateField(_("提醒日期"), null=True, blank=True)
    escalated_on = models.DateField(_("督办日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("清单调整任务")
        verbose_name_plural = _("清单调整任务")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["change", "item"], name="revision_task_once"),
            models.UniqueConstraint(
                fields=["change", "agency"],
                condition=Q(item__isnull=True),
                name="revision_task_once_per_agency",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_on"], name="revision_task_open_due", condition=Q(status="open")
            ),
            # The evaluation's figures (R20): every task due in a year, open or done.
            models.Index(fields=["due_on"], name="revision_task_due"),
        ]

    def __str__(self) -> str:
        return f"{self.item or self.agency} → {self.due_on:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        # An item's task belongs to the item's agency (the services set both; bulk inserts too).
        if self.agency_id is None and self.item_id is not None:
            self.agency_id = self.item.agency_id
        super().save(*args, **kwargs)
