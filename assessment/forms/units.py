"""The form of a department's evaluation of one internal unit (R19): points and a comment; the
grade is computed by the service."""

from django import forms
from django.utils.translation import gettext_lazy as _


class UnitEvaluateForm(forms.Form):
    points = forms.CharField(
        label=_("得分"), max_length=12, error_messages={"required": _("请填写得分。")},
        help_text=_("0 至 100 分，等次按本周期的分数线自动确定。"),
    )  # fmt: skip
    comment = forms.CharField(
        label=_("评语"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
