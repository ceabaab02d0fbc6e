"""R26: the clue forms. They only present: `accountability.services.clues` checks and decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.fields import DateField
from portal.widgets import LongSelect

from ..models import Clue

# Complaints and remedy outcomes become clues through their one-action buttons (intake).
FORM_SOURCES = [
    (value, label)
    for value, label in Clue.Source.choices
    if value not in (Clue.Source.COMPLAINT, Clue.Source.REMEDY, Clue.Source.OVERDUE)
]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class ClueForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("涉及单位"),
        queryset=None,
        error_messages={"invalid_choice": _("请选择您辖区内的单位。")},
        widget=LongSelect,
    )
    source = forms.ChoiceField(label=_("线索来源"), choices=FORM_SOURCES)
    inspection = forms.ModelChoiceField(
        label=_("来源检查"), queryset=None, required=False, widget=forms.HiddenInput
    )
    file_review = forms.ModelChoiceField(
        label=_("来源案卷评查"), queryset=None, required=False, widget=forms.HiddenInput
    )
    summary = forms.CharField(label=_("线索摘要"), max_length=5000, widget=forms.Textarea)
    received_on = DateField(
        label=_("收到日期"),
        widget=DATE_WIDGET,
        error_messages={"invalid": _("请填写有效的收到日期（年-月-日）。")},
    )
    external_body = forms.CharField(
        label=_("移送或来源机关"),
        max_length=100,
        required=False,
        help_text=_("监察、审计移送、媒体曝光或举报时填写。"),
    )
    external_reference = forms.CharField(label=_("来文文号"), max_length=100, required=False)
    external_date = DateField(
        label=_("来文日期"),
        widget=DATE_WIDGET,
        required=False,
        error_messages={"invalid": _("请填写有效的来文日期（年-月-日）。")},
    )

    def __init__(self, *args, agencies, inspections, file_reviews, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["inspection"].queryset = inspections
        self.fields["file_review"].queryset = file_reviews


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(
        label=_("承办人"),
        queryset=None,
        error_messages={"invalid_choice": _("请选择辖区内、与涉及单位无利害关系的监督人员。")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = candidates


class CloseForm(forms.Form):
    finding = forms.ChoiceField(
        label=_("认定结论"),
        choices=Clue.Finding.choices,
        error_messages={"required": _("请选择认定结论，线索须有认定结论才能办结。")},
    )
    reasons = forms.CharField(label=_("认定理由"), max_length=5000, widget=forms.Textarea)


class ReferForm(forms.Form):
    note = forms.CharField(label=_("移送说明"), max_length=5000, widget=forms.Textarea)


class ClueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部"))] + Clue.Status.choices, required=False
    )
    source = forms.ChoiceField(
        label=_("线索来源"), choices=[("", _("全部"))] + Clue.Source.choices, required=False
    )
    agency = forms.ModelChoiceField(
        label=_("涉及单位"), queryset=None, required=False, widget=LongSelect
    )
    overdue = forms.BooleanField(label=_("仅显示逾期"), required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
