"""R24, R28, R29: the notice, the decision (one row of fields per person or unit concerned) and
the review's decision. The forms only present: `services.decisions` and `.reviews` decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.fields import DateField

from ..models import OFFICER_SCALE, UNIT_SCALE, DecisionReview, SanctionKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})
RESPONSIBLE = [("yes", _("负有责任")), ("no", _("不负有责任"))]


class NoticeForm(forms.Form):
    notice = forms.CharField(
        label=_("告知内容"),
        max_length=5000,
        widget=forms.Textarea,
        help_text=_("告知拟作出的处理、事实和理由，以及陈述申辩的权利和期限。"),
    )


def _kinds(accused) -> list:
    scale = UNIT_SCALE if accused.is_unit else OFFICER_SCALE
    return [("", _("（不予追究时不选）"))] + [(k.value, k.label) for k in scale]


class DecisionForm(forms.Form):
    reasons = forms.CharField(label=_("决定理由"), max_length=20000, widget=forms.Textarea)
    transfer_needed = forms.BooleanField(
        label=_("需要移送监察机关、任免机关或司法机关"), required=False
    )

    def __init__(self, *args, accused, **kwargs):
        super().__init__(*args, **kwargs)
        self.accused = list(accused)
        # One row of fields per accused, under its name (the page's fieldset legend).
        for one in self.accused:
            self.fields[f"responsible_{one.pk}"] = forms.ChoiceField(
                label=_("是否负有责任"), choices=RESPONSIBLE
            )
            self.fields[f"sanction_{one.pk}"] = forms.ChoiceField(
                label=_("处理"), choices=_kinds(one), required=False
            )
            self.fields[f"justification_{one.pk}"] = forms.CharField(
                label=_("超出建议档次的书面理由"),
                max_length=5000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "cols": 20}),  # narrow: fits a phone's row
                help_text=_("处理超出建议档次时必填。"),
            )
            if one.is_unit:  # R28: only a unit can be ordered to rectify by a deadline
                self.fields[f"rectify_by_{one.pk}"] = DateField(
                    label=_("整改期限"),
                    required=False,
                    widget=DATE_WIDGET,
                    help_text=_("仅适用于“责令限期整改”，须晚于今天；选择其他处理时不填。"),
                    error_messages={"invalid": _("请填写有效的整改期限（年-月-日）。")},
                )

    def rows(self):
        """Each accused with its bound fields, for the template."""
        for one in self.accused:
            yield one, [f for f in self if f.name.endswith(f"_{one.pk}")]

    def sanctions(self) -> dict:
        data = self.cleaned_data
        return {
            one.pk: {
                "responsible": data[f"responsible_{one.pk}"] == "yes",
                "kind": data.get(f"sanction_{one.pk}") or "",
                "justification": data.get(f"justification_{one.pk}") or "",
                "rectify_by": data.get(f"rectify_by_{one.pk}"),
            }
            for one in self.accused
        }

    def base_fields_bound(self):
        return [self["reasons"], self["transfer_needed"]]


class ReviewDecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("复核结论"), choices=DecisionReview.Outcome.choices)
    new_kind = forms.ChoiceField(
        label=_("变更后的处理"),
        choices=[("", _("（变更处理时选择）"))] + list(SanctionKind.choices),
        required=False,
    )
    reasons = forms.CharField(label=_("复核理由说明"), max_length=20000, widget=forms.Textarea)
