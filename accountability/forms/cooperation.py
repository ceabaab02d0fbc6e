"""R12: the cooperation forms. They only present: `accountability.services.cooperation` checks
and decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.fields import DateField
from portal.widgets import LongSelect

from ..models import BodyKind, Referral

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


def _date(label, required=True):
    return DateField(
        label=label,
        widget=DATE_WIDGET,
        required=required,
        error_messages={"invalid": _("请填写有效的日期（年-月-日）。")},
    )


def _any(choices):
    return [("", _("全部")), *choices]


class ReferralFilterForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("方向"), choices=_any(Referral.Direction.choices), required=False
    )
    body_kind = forms.ChoiceField(
        label=_("机关类别"), choices=_any(BodyKind.choices), required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=_any(Referral.Status.choices), required=False
    )


class _ReferralForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("涉及单位"),
        queryset=None,
        error_messages={"invalid_choice": _("请选择您辖区内的单位。")},
        widget=LongSelect,
    )
    body_kind = forms.ChoiceField(label=_("机关类别"), choices=BodyKind.choices)
    body_name = forms.CharField(label=_("机关名称"), max_length=100)
    subject = forms.CharField(label=_("事由"), max_length=200)
    summary = forms.CharField(label=_("内容摘要"), max_length=5000, widget=forms.Textarea)
    reference = forms.CharField(label=_("文号"), max_length=100, required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ReferralSendForm(_ReferralForm):
    sent_on = _date(_("移送日期"))
    clue = forms.ModelChoiceField(
        label=_("关联线索"), queryset=None, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, clues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clue"].queryset = clues
        self.fields["agency"].required = False
        self.fields["agency"].help_text = _("从线索移送时取线索的涉及单位。")

    def clean(self):
        data = super().clean()
        if not data.get("clue") and not data.get("agency") and "agency" not in self.errors:
            self.add_error("agency", _("请选择涉及单位。"))
        return data


class ReferralReceiveForm(_ReferralForm):
    received_on = _date(_("收到日期"))
    sent_on = _date(_("来文日期"), required=False)


class ReceiptForm(forms.Form):
    receipt_number = forms.CharField(label=_("回执编号"), max_length=100)
    receipt_on = _date(_("回执日期"))


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("处理结果"), max_length=5000, widget=forms.Textarea)
    outcome_on = _date(_("结果日期"))


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    bodies = forms.CharField(
        label=_("通报机关"), max_length=500, help_text=_("如：甲市监察委员会、甲市审计局")
    )
    body = forms.CharField(label=_("通报内容"), max_length=10000, widget=forms.Textarea)
    sent_on = _date(_("通报日期"))


class ExportForm(forms.Form):
    period_start = _date(_("起始日期"))
    period_end = _date(_("截止日期"))
