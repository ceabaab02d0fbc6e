"""Forms of the results page (R23): the disclosure scope and the award quotas. The totals and
grades are never fields: they are computed from the scores."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.results import DISCLOSURE_SCOPES, MAX_QUOTA


def _quota_field(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_QUOTA,
        error_messages={
            "required": _("请填写名额（没有名额填 0）。"),
            "invalid": _("名额应为整数。"),
            "min_value": _("名额不能为负数。"),
            "max_value": _("名额不能超过 %(limit_value)s 个。"),
        },
    )


class DiscloseForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("公开范围"),
        choices=[(s.value, s.label) for s in DISCLOSURE_SCOPES],
        error_messages={
            "required": _("请选择公开范围。"),
            "invalid_choice": _("请选择公开范围：内部通报、本地区公开或向社会公开。"),
        },
    )


class AwardQuotaForm(forms.Form):
    rule_of_law = _quota_field(_("法治建设评优名额"))
    enforcement = _quota_field(_("行政执法评优名额"))
