"""R33: each government and department keeps an implementation plan (实施方案) of the
responsibility system: items with a timetable, a responsible body and a checkable output, each
marked done with its evidence; problems are reported as they arise to the supervisor above.

A plan belongs to a department (`agency`) or, with no agency, to the government of `region`
(kept by that government's legal office, the region's supervisors). One plan an owner a year.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.timeline import Event

YEAR_MIN, YEAR_MAX = 2000, 2100


class Plan(models.Model):
    region = models.ForeignKey(
        "enforcement.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("执法部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("不填为本级政府的实施方案。"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("方案名称"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制定人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("实施方案")
        verbose_name_plural = _("实施方案")
        ordering = ["-year", "region__path", "agency__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year"],
                condition=Q(agency__isnull=False),
                name="plan_one_per_agency_year",
            ),
            models.UniqueConstraint(
                fields=["region", "year"],
                condition=Q(agency__isnull=True),
                name="plan_one_per_government_year",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX), name="plan_year_range"
            ),
        ]
        indexes = [models.Index(fields=["region", "year"], name="plan_region_year")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reporting:plan-detail", args=[self.pk])

    @property
    def owner_name(self) -> str:
        return (
            self.agency.name
            if self.agency_id
            else _("%(region)s人民政府") % {"region": self.region.name}
        )


class PlanItem(models.Model):
    """A milestone: what is done, by whom, by when, and what proves it done."""

    class Status(models.TextChoices):
        OPEN = "open", _("推进中")
        DONE = "done", _("已完成")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="items")
    task = models.TextField(_("任务措施"), max_length=1000)
    responsible = models.CharField(_("责任单位"), max_length=200)
    output = models.CharField(_("可检验成果"), max_length=500)
    due = models.DateField(_("完成时限"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认完成人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evidence_note = models.TextField(_("完成情况说明"), max_length=4000, blank=True)
    evidence_file = models.FileField(
        _("佐证材料"), upload_to="reporting/evidence/%Y/", blank=True, max_length=200
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("添加人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("实施方案任务")
        verbose_name_plural = _("实施方案任务")
        ordering = ["due", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open")
                | (
                    Q(done_at__isnull=False, done_by__isnull=False)
                    & (~Q(evidence_note="") | ~Q(evidence_file=""))
                ),
                name="plan_item_done_with_evidence",
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "due"], name="plan_item_plan_due"),
            models.Index(fields=["status", "due"], name="plan_item_status_due"),
        ]

    def __str__(self) -> str:
        return self.task[:60]

    def is_overdue(self, today) -> bool:
        return self.status == self.Status.OPEN and self.due < today


class PlanProblem(models.Model):
    """问题报告: a problem met while carrying out the plan, reported to the supervisor above,
    who answers it."""

    class Status(models.TextChoices):
        OPEN = "open", _("待答复")
        ANSWERED = "answered", _("已答复")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="problems")
    item = models.ForeignKey(
        PlanItem,
        verbose_name=_("相关任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    description = models.TextField(_("问题描述"), max_length=4000)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("报告时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("答复意见"), max_length=4000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("问题报告")
        verbose_name_plural = _("问题报告")
        ordering = ["-reported_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open")
                | (~Q(answer="") & Q(answered_by__isnull=False, answered_at__isnull=False)),
                name="plan_problem_answered_with_answer",
            ),
        ]
        indexes = [models.Index(fields=["status", "-reported_at"], name="plan_problem_status")]

    def __str__(self) -> str:
        return self.description[:60]


class PlanEvent(Event):
    """The plan's timeline: who did what to it and when."""

    class Kind(models.TextChoices):
        CREATED = "created", _("制定方案")
        ITEM_ADDED = "item_added", _("添加任务")
        ITEM_DONE = "item_done", _("任务完成")
        PROBLEM_REPORTED = "problem_reported", _("报告问题")
        PROBLEM_ANSWERED = "problem_answered", _("答复问题")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="timeline")
    item = models.ForeignKey(
        PlanItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("事项"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("实施方案记录")
        verbose_name_plural = _("实施方案记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()
