"""Forms of the officers' evaluation (R21, R22): they only parse; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.fields import DateField

from ..models import Measure, OfficerRecord, RepeatDecision, ResultUse

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class RecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=OfficerRecord.Kind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    # Text, so that the service gives the one message for every wrong score.
    score = forms.CharField(
        label=_("测试成绩"),
        required=False,
        max_length=10,
        help_text=_("测试填写 0 至 100 分；表彰奖励不填。"),
    )
    occurred_on = DateField(label=_("日期"), widget=DATE_INPUT)
    note = forms.CharField(label=_("说明"), max_length=200)


class ObjectionForm(forms.Form):
    reason = forms.CharField(label=_("异议理由"), max_length=2000, widget=forms.Textarea)


class ObjectionDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("处理结果"),
        choices=[("yes", _("异议成立")), ("no", _("异议不成立"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("处理理由"), max_length=2000, widget=forms.Textarea)
    revised_total = forms.CharField(
        label=_("复核后总分"),
        required=False,
        max_length=10,
        help_text=_("异议成立且需要改分时填写，按本周期的分数线重新评定等次。"),
    )


class RepeatDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("处理决定"), choices=RepeatDecision.Outcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("决定理由"), max_length=2000, widget=forms.Textarea)


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("措施"), choices=Measure.Kind.choices)
    note = forms.CharField(label=_("要求"), max_length=2000, widget=forms.Textarea)


class MeasureCompleteForm(forms.Form):
    completed_on = DateField(label=_("完成日期"), widget=DATE_INPUT)
    note = forms.CharField(label=_("完成情况"), max_length=2000, widget=forms.Textarea)


class ResultUseForm(forms.Form):
    kind = forms.ChoiceField(label=_("运用方式"), choices=ResultUse.Kind.choices)
    note = forms.CharField(label=_("说明"), max_length=2000, widget=forms.Textarea)
