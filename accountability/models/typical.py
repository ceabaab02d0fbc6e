"""R18, R32: a decided case published as a typical case (典型案例) with its analysis (剖析) and
lesson, anonymised, after the supervisor approves; circulated internally as a notice (通报);
used in training sessions (以案释法) that count in the officers' evaluation."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .proceedings import Proceeding


class TypicalCase(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        PUBLISHED = "published", _("已发布")

    proceeding = models.OneToOneField(
        Proceeding, on_delete=models.PROTECT, related_name="typical_case"
    )
    region = models.ForeignKey(
        "enforcement.Region", verbose_name=_("发布地区"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    facts = models.TextField(_("基本案情"), max_length=20000)
    analysis = models.TextField(_("案例剖析"), max_length=20000)
    lesson = models.TextField(_("警示教育意义"), max_length=5000)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撰写人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafted_at = models.DateTimeField(_("撰写时间"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    # The internal notice (通报) circulated to the region's agencies.
    notice_number = models.CharField(_("通报文号"), max_length=60, blank=True)
    circulated_at = models.DateTimeField(_("通报时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(published_at__isnull=False, approved_by__isnull=False),
                name="typical_published_approved",
            ),
        ]
        indexes = [
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status="published"),
                name="typical_public",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("typical-cases:detail", args=[self.pk])


class TrainingSession(models.Model):
    """以案释法: a session that uses typical cases; attendance counts in officers' evaluation."""

    class Kind(models.TextChoices):
        SIMULATION = "simulation", _("情境模拟")
        SEMINAR = "seminar", _("案例研讨")
        HEARING = "hearing", _("庭审观摩")

    region = models.ForeignKey(
        "enforcement.Region", verbose_name=_("组织地区"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("形式"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("主题"), max_length=200)
    held_on = models.DateField(_("日期"))
    cases = models.ManyToManyField(
        TypicalCase, verbose_name=_("使用的典型案例"), related_name="sessions"
    )
    attendees = models.ManyToManyField(
        "enforcement.Officer", verbose_name=_("参训人员"), related_name="training_sessions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("以案释法培训")
        verbose_name_plural = _("以案释法培训")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["region", "-held_on"], name="training_region_held")]

    def __str__(self) -> str:
        return self.title
