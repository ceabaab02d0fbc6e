"""R24: a transfer (移送) and its receipt. The forms only present: `services.transfers` decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.fields import DateField

from ..models import Transfer

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class TransferForm(forms.Form):
    body = forms.ChoiceField(label=_("移送机关类别"), choices=Transfer.Body.choices)
    body_name = forms.CharField(label=_("移送机关名称"), max_length=100)
    reason = forms.CharField(label=_("移送事由"), max_length=5000, widget=forms.Textarea)
    sent_on = DateField(
        label=_("移送日期"),
        widget=DATE_WIDGET,
        error_messages={"invalid": _("请填写有效的移送日期（年-月-日）。")},
    )


class ReceiptForm(forms.Form):
    receipt_on = DateField(
        label=_("回执日期"),
        widget=DATE_WIDGET,
        error_messages={"invalid": _("请填写有效的回执日期（年-月-日）。")},
    )
    receipt_number = forms.CharField(label=_("回执编号"), max_length=100)
