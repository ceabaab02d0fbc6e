"""The working-day calendar: the days of a year that differ from the Monday–Friday pattern.

A statutory holiday (法定节假日) is a rest day even on a weekday; a weekend day made a working
day (调休上班) is a working day even on a Saturday or Sunday. Every other day follows the weekly
pattern.
A year counts only once its official schedule is flagged as loaded; until then deadlines that
touch it are provisional (see `workdays.deadlines`).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import ExtractYear
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MIN_YEAR = 1949
MAX_YEAR = 2200


class CalendarYear(models.Model):
    """One year of the State Council's holiday schedule (国务院办公厅关于部分节假日安排的通知)."""

    year = models.PositiveSmallIntegerField(
        _("年份"),
        unique=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
    )
    schedule_loaded = models.BooleanField(
        _("已载入全年安排"),
        default=False,
        help_text=_("勾选后，本年度期限按已载入的节假日和调休安排计算，不再标注为暂定。"),
    )
    source = models.CharField(
        _("依据"),
        max_length=200,
        blank=True,
        help_text=_("例如“国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕x号）”。"),
    )
    note = models.TextField(_("备注"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(
        verbose_name=_("日历年度历史版本"), verbose_name_plural=_("日历年度历史版本")
    )

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="calendaryear_year_in_supported_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class SpecialDay(models.Model):
    """A day that breaks the weekly pattern: a statutory holiday or a 调休 working weekend day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日")
        WORKDAY = "workday", _("调休上班日")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    name = models.CharField(
        _("名称"),
        max_length=50,
        blank=True,
        help_text=_("节日名称，如“国庆节”；调休上班日可填所调的节日。"),
    )
    # Keyed by the year number, so that the database itself can check a day against its year.
    calendar_year = models.ForeignKey(
        CalendarYear,
        verbose_name=_("所属年度"),
        to_field="year",
        on_delete=models.CASCADE,
        related_name="special_days",
    )

    history = HistoricalRecords(
        verbose_name=_("特殊日期历史版本"), verbose_name_plural=_("特殊日期历史版本")
    )

    class Meta:
        verbose_name = _("特殊日期")
        verbose_name_plural = _("特殊日期")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Exact(ExtractYear("date"), F("calendar_year_id")),
                name="specialday_date_in_its_year",
                violation_error_message=_("日期不在所属年度内。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["holiday", "workday"]),
                name="specialday_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="workday") | ~Q(name=""),
                name="specialday_holiday_has_name",
                violation_error_message=_("法定节假日必须填写节日名称。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()

    def clean(self) -> None:
        errors = {}
        if self.date and self.calendar_year_id and self.date.year != self.calendar_year_id:
            errors["date"] = _("日期 %(date)s 不在 %(year)s 年内。") % {
                "date": self.date.isoformat(),
                "year": self.calendar_year_id,
            }
        if self.kind == self.Kind.HOLIDAY and not self.name.strip():
            errors["name"] = _("法定节假日必须填写节日名称。")
        # A weekday "made a working day" changes nothing and is almost surely a typo.
        if self.kind == self.Kind.WORKDAY and self.date and self.date.weekday() < 5:
            errors["kind"] = _("调休上班日必须是星期六或星期日，%(date)s 是工作日。") % {
                "date": self.date.isoformat()
            }
        if errors:
            raise ValidationError(errors)
