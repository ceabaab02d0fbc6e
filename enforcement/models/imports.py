"""A staff member's import of a power list from an Excel workbook: dry run, then import."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One uploaded workbook, checked and then imported in the background, with its progress."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("正在检查")
        CHECKED = "checked", _("检查完成")
        IMPORTING = "importing", _("正在导入")
        DONE = "done", _("导入完成")
        FAILED = "failed", _("处理失败")

    RUNNING = (Status.CHECKING, Status.IMPORTING)

    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("导入单位"),
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    original_name = models.CharField(_("文件名"), max_length=200)
    # Names in the default storage (never a local path), so that an object store can hold them.
    upload = models.CharField(max_length=300, editable=False)
    error_report = models.CharField(max_length=300, blank=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    valid_rows = models.PositiveIntegerField(_("有效行数"), default=0)
    invalid_rows = models.PositiveIntegerField(_("有问题的行数"), default=0)
    created_items = models.PositiveIntegerField(_("已导入事项数"), default=0)
    # The first problems, for the page; the full list is in the error report.
    problems = models.JSONField(default=list, blank=True, editable=False)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("清单导入")
        verbose_name_plural = _("清单导入")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "-created_at"], name="import_job_agency_recent")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def percent(self) -> int:
        if self.status in (self.Status.CHECKED, self.Status.DONE):
            return 100
        return min(100, self.processed_rows * 100 // self.total_rows) if self.total_rows else 0

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING
