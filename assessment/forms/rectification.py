"""Forms of rectification (R23): the order and its closing with the department's evidence."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.fields import DateField
from portal.uploads import accept_attribute

from ..services.rectification import EVIDENCE_LIMITS, TEXT_MAX


class DateInput(forms.DateInput):
    input_type = "date"


class RectificationOrderForm(forms.Form):
    requirements = forms.CharField(
        label=_("整改要求"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_MAX,
        error_messages={"required": _("请填写整改要求。")},
    )
    due = DateField(
        label=_("整改期限"),
        widget=DateInput,
        error_messages={
            "required": _("请填写整改期限。"),
            "invalid": _("整改期限应为 YYYY-MM-DD 格式的日期。"),
        },
    )


class RectificationCloseForm(forms.Form):
    note = forms.CharField(
        label=_("整改情况"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_MAX,
        error_messages={"required": _("请填写整改情况。")},
    )
    # Optional here so that its absence gets the service's own message.
    file = forms.FileField(
        label=_("整改证明材料（PDF、Word 文档或照片）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(EVIDENCE_LIMITS)}),
    )
