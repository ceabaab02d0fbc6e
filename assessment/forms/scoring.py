"""The evaluator's form for one indicator (R20). Only the points and their evidence are posted:
a total or a grade is never a field (they are computed), so one sent anyway is never read."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Indicator, Inspection


class ScoreForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("指标"),
        queryset=Indicator.objects.none(),
        error_messages={
            "invalid_choice": _("该指标不属于本考核周期。"),
            "required": _("请选择指标。"),
        },
    )
    # Text, so that the service refuses "abc" or 11 with the indicator's own range.
    points = forms.CharField(
        label=_("得分"), max_length=20, error_messages={"required": _("请填写得分。")}
    )
    evidence = forms.CharField(
        label=_("评分依据"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("请填写评分依据（得分所依据的事实和材料）。")},
    )
    inspections = forms.ModelMultipleChoiceField(
        label=_("依据的检查暗访"),
        queryset=Inspection.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("只能引用本考核周期对该单位的检查暗访记录。")},
    )

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(cycle_id=assignment.cycle_id)
        self.fields["inspections"].queryset = Inspection.objects.filter(
            cycle_id=assignment.cycle_id, agency_id=assignment.agency_id
        )
