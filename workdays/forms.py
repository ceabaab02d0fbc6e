"""Input of the deadline calculator (page and API) and of the schedule upload (admin)."""

import re
from datetime import date
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from . import schedule_file
from .deadlines import MAX_MONTHS, MAX_WORKING_DAYS, MONTHS_MESSAGE, WORKING_DAYS_MESSAGE
from .models import MAX_YEAR, MIN_YEAR

# ASCII digits only: "\d" also matches full-width ones, and "２０２６-01-01" would then be called a
# date that does not exist rather than a malformed one.
ISO_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _filled(message, maximum: int):
    """`message` with its limit filled in, translated when shown (not at import)."""
    return lazy(lambda: str(message) % {"max": maximum}, str)()


WORKING_DAYS_ERROR = _filled(WORKING_DAYS_MESSAGE, MAX_WORKING_DAYS)
MONTHS_ERROR = _filled(MONTHS_MESSAGE, MAX_MONTHS)


class StartDateField(forms.CharField):
    """A date written as YYYY-MM-DD; a malformed date and one that does not exist differ."""

    default_error_messages = {"required": _("请填写开始日期。")}

    def to_python(self, value) -> date | None:
        text = super().to_python(value).strip()
        if not text:
            return None
        if not ISO_DATE_RE.match(text):
            raise ValidationError(_("开始日期格式不正确，应为 YYYY-MM-DD。"), code="invalid")
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValidationError(
                _("开始日期 %(value)s 不存在。"), code="impossible", params={"value": text}
            ) from None


def _count_field(label, maximum: int, message) -> forms.IntegerField:
    # One message for every way a count can be wrong: it says what a right one looks like.
    messages = {"invalid": message, "min_value": message, "max_value": message}
    return forms.IntegerField(
        label=label, required=False, min_value=1, max_value=maximum, error_messages=messages
    )


class DeadlineQueryForm(forms.Form):
    """The API's query: a start date and exactly one of working_days and months."""

    start = StartDateField(label=_("开始日期"))
    working_days = _count_field(_("工作日数"), MAX_WORKING_DAYS, WORKING_DAYS_ERROR)
    months = _count_field(_("月数"), MAX_MONTHS, MONTHS_ERROR)

    def clean(self):
        data = super().clean()
        given = [
            name for name in ("working_days", "months") if self.data.get(name) not in (None, "")
        ]
        if len(given) != 1:
            raise ValidationError(_("请填写工作日数或月数，二者只能选其一。"), code="one_count")
        return data

    def query(self) -> dict:
        """The keyword arguments of `deadlines.calculate`."""
        data = self.cleaned_data
        return {
            "start": data["start"],
            "working_days": data["working_days"],
            "months": data["months"],
        }


class CalculatorForm(forms.Form):
    """The public page's form: a start date, a number, and its unit (working days or months)."""

    UNITS = [("working_days", _("个工作日")), ("months", _("个月"))]

    start = StartDateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    count = forms.IntegerField(
        label=_("期间"),
        min_value=1,
        error_messages={
            "required": _("请填写期间的长度。"),
            "invalid": _("期间的长度须为整数。"),
            "min_value": _("期间的长度须至少为 1。"),
        },
    )
    unit = forms.ChoiceField(
        label=_("单位"),
        choices=UNITS,
        initial="working_days",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择按工作日还是按月计算。"),
            "invalid_choice": _("请选择按工作日还是按月计算。"),
        },
    )

    def clean(self):
        data = super().clean()
        count, unit = data.get("count"), data.get("unit")
        if count is not None and unit == "working_days" and count > MAX_WORKING_DAYS:
            self.add_error("count", WORKING_DAYS_ERROR)
        if count is not None and unit == "months" and count > MAX_MONTHS:
            self.add_error("count", MONTHS_ERROR)
        return data

    def query(self) -> dict:
        data = self.cleaned_data
        return {"start": data["start"], data["unit"]: data["count"]}


class ScheduleUploadForm(forms.Form):
    """An administrator's upload of one year's State Council schedule as a CSV file."""

    year = forms.IntegerField(label=_("年份"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    source = forms.CharField(
        label=_("依据"),
        max_length=200,
        help_text=_("发布该安排的通知名称和文号。"),
    )
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(
        label=_("CSV 文件"),
        help_text=_(
            "每行一个日期：日期,类型,名称，例如 2027-10-01,假日,国庆节 或 2027-09-26,上班,国庆节。"
            "类型为“假日”或“上班”。可使用 UTF-8 或 GBK 编码。"
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in (".csv", ".txt"):
            raise ValidationError(_("请上传 .csv 格式的文件。"))
        if upload.size > schedule_file.MAX_BYTES:
            raise ValidationError(
                _("文件过大，节假日安排文件不应超过 %(max)d KB。")
                % {"max": schedule_file.MAX_BYTES // 1024}
            )
        return upload

    def clean(self):
        data = super().clean()
        if "file" in data and "year" in data:
            upload = data["file"]
            upload.seek(0)
            data["days"] = schedule_file.parse(upload.read(), year=data["year"])
        return data
