"""Forms of the public complaint pages: filing (R15, R16), tracking, material and rating (R17).

The forms parse and present; the rules live in the services they feed, whose ValidationErrors
the views put back on these forms by field.
"""

import uuid
from datetime import date

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.functional import lazy
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from enforcement.models import Agency, Region
from portal.fields import DateField

from ..models import Category
from .fields import MultipleFileField

DESCRIPTION_MAX = 5000
REQUEST_MAX = 2000


# --- The reads the filing form needs (public facts: regions and agencies).


def filing_regions() -> QuerySet[Region]:
    """Every region, in tree order, for the first choice on the filing page."""
    return Region.objects.only("pk", "name", "code", "level", "path").order_by("path")


def filing_region(code: str | None) -> Region | None:
    if not code:
        return None
    return Region.objects.filter(code=str(code)[:12]).first()


def filing_agencies(region: Region | None) -> QuerySet[Agency]:
    """The agencies of `region` and of the regions below it (none before a region is chosen)."""
    if region is None:
        return Agency.objects.none()
    return (
        Agency.objects.filter(region__path__startswith=region.path)
        .select_related("region")
        .order_by("region__path", "name")
    )


# --- Widgets and fields


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name}（{obj.region.name}）"


class StrictDateField(DateField):
    """YYYY-MM-DD only (what a date input sends), never later than today."""

    input_formats = ["%Y-%m-%d"]
    default_error_messages = {
        "required": _("请填写发生日期。"),
        "invalid": _("发生日期格式不正确，应为 YYYY-MM-DD。"),
    }

    def validate(self, value: date) -> None:
        super().validate(value)
        if value and value > localdate():
            raise forms.ValidationError(_("发生日期不能晚于今天。"), code="future")


def _filled(message, **values):
    """`message` with `values` filled in, translated when shown (not at import)."""
    return lazy(lambda: str(message) % {k: str(v) for k, v in values.items()}, str)()


def _text(label, max_length: int, *, required: bool = False, area: bool = False, **attrs):
    messages = {
        "required": _filled(_("请填写%(label)s。"), label=label),
        "max_length": _filled(_("%(label)s不能超过 %(max)s 个字。"), label=label, max=max_length),
    }
    widget = forms.Textarea(attrs={"rows": 6, **attrs}) if area else forms.TextInput(attrs=attrs)
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=widget,
        error_messages=messages,
    )


class FilingForm(forms.Form):
    """What the public sends to file a complaint on the web."""

    agency = AgencyChoiceField(
        label=_("被投诉单位"),
        queryset=Agency.objects.none(),
        empty_label=_("请选择被投诉单位"),
        error_messages={
            "required": _("请选择被投诉单位。"),
            "invalid_choice": _("请从列表中选择所选地区的行政执法单位。"),
        },
    )
    officer = _text(_("执法人员（姓名或执法证号）"), 100)
    occurred_on = StrictDateField(
        label=_("发生日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    place = _text(_("发生地点"), 200)
    case_number = _text(_("案件或决定书编号"), 100)
    category = forms.ChoiceField(
        label=_("投诉类型"),
        choices=[("", _("请选择投诉类型"))] + list(Category.choices),
        error_messages={
            "required": _("请选择投诉类型。"),
            "invalid_choice": _("请选择投诉类型。"),
        },
    )
    description = _text(
        _("投诉事项"),
        DESCRIPTION_MAX,
        required=True,
        area=True,
        **{"data-count": "description-count"},
    )
    request = _text(_("投诉请求"), REQUEST_MAX, area=True, rows=3)
    attachments = MultipleFileField(label=_("附件"))
    anonymous = forms.BooleanField(label=_("匿名投诉"), required=False)
    complainant_name = _text(_("姓名"), 50, autocomplete="name")
    phone = _text(_("联系电话"), 20, autocomplete="tel", inputmode="tel")
    email = _text(_("电子信箱"), 254, autocomplete="email", type="email")
    # Humans never see this field (hidden by CSS); a robot filling every input fills it too.
    website = forms.CharField(required=False, label=_("网站"))
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, region: Region | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = filing_agencies(region)
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4().hex)

    def clean_submission_token(self) -> str:
        value = self.cleaned_data.get("submission_token") or ""
        try:
            return uuid.UUID(value).hex
        except ValueError:
            return ""

    def token(self) -> str:
        """The token this form carries: the one sent, or a new one if none (valid) was."""
        if self.is_bound:
            sent = self.data.get("submission_token", "")
            try:
                return uuid.UUID(sent).hex
            except ValueError:
                return uuid.uuid4().hex
        return self.initial["submission_token"]

    @property
    def max_attachments(self) -> int:
        return settings.COMPLAINT_MAX_ATTACHMENTS


class TrackingForm(forms.Form):
    number = forms.CharField(
        label=_("登记号"),
        max_length=32,
        error_messages={"required": _("请填写登记号。")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    access_code = forms.CharField(
        label=_("查询码"),
        max_length=32,
        error_messages={"required": _("请填写查询码。")},
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class MaterialForm(forms.Form):
    number = forms.CharField(widget=forms.HiddenInput, max_length=32)
    note = _text(_("补充说明"), 5000, required=True, area=True)
    files = MultipleFileField(label=_("补充材料"))


class RatingForm(forms.Form):
    number = forms.CharField(widget=forms.HiddenInput, max_length=32)
    rating = forms.TypedChoiceField(
        label=_("满意度"),
        coerce=int,
        choices=[
            (5, _("5 分 非常满意")),
            (4, _("4 分 满意")),
            (3, _("3 分 基本满意")),
            (2, _("2 分 不满意")),
            (1, _("1 分 非常不满意")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择 1 至 5 分。"),
            "invalid_choice": _("请选择 1 至 5 分。"),
        },
    )
    comment = _text(_("评价意见"), 500, area=True, rows=3)
