"""R31: the section of a region's annual rule-of-law government report on the enforcement
responsibility system. Its figures are read live (the dashboard's figures for the region and the
year); what is kept is the narrative of each section, every save a new version, and the report's
timeline (opened, narratives saved, each download)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.timeline import Event

from .plans import YEAR_MAX, YEAR_MIN


class Section(models.TextChoices):
    """The report's sections, in order; each has a narrative the supervisor writes."""

    OVERVIEW = "overview", _("总体情况")
    LISTS = "lists", _("权责清单制定和动态调整")
    DISCLOSURE = "disclosure", _("行政执法公示")
    LEGAL_REVIEW = "legal_review", _("重大执法决定法制审核")
    FINES = "fines", _("罚缴分离和罚没款收缴")
    COMPLAINTS = "complaints", _("投诉举报受理和办理")
    EVALUATION = "evaluation", _("评议考核")
    ACCOUNTABILITY = "accountability", _("责任追究")
    PLAN = "plan", _("实施方案推进情况")
    NEXT_STEPS = "next_steps", _("存在的问题和下一步工作打算")


class AnnualReport(models.Model):
    region = models.ForeignKey(
        "enforcement.Region", verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度实施情况报告")
        verbose_name_plural = _("年度实施情况报告")
        ordering = ["-year", "region__path"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="report_one_per_region_year"),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX), name="report_year_range"
            ),
        ]

    def __str__(self) -> str:
        return _("%(region)s%(year)s年度行政执法责任制实施情况") % {
            "region": self.region.name,
            "year": self.year,
        }

    def get_absolute_url(self) -> str:
        return reverse("reporting:report-detail", args=[self.pk])


class Narrative(models.Model):
    """One version of a section's text; the section's current text is its highest version."""

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="narratives")
    section = models.CharField(_("章节"), max_length=20, choices=Section.choices)
    version = models.PositiveIntegerField(_("版本"))
    text = models.TextField(_("文字说明"), max_length=10000, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撰写人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    written_at = models.DateTimeField(_("撰写时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("报告文字说明")
        verbose_name_plural = _("报告文字说明")
        ordering = ["section", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "section", "version"], name="narrative_one_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_section_display()} v{self.version}"


class ReportEvent(Event):
    """The report's timeline, downloads included (who took which file, when)."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("生成报告")
        NARRATIVE = "narrative", _("编辑文字说明")
        WORD = "word", _("下载 Word 文档")
        PDF = "pdf", _("下载 PDF")
        ANNEX = "annex", _("下载 Excel 附表")

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="timeline")
    kind = models.CharField(_("事项"), max_length=12, choices=Kind.choices)

    class Meta:
        verbose_name = _("报告记录")
        verbose_name_plural = _("报告记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["report", "-at"], name="report_event_report_at")]

    def __str__(self) -> str:
        return self.get_kind_display()
