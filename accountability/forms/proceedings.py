"""R24, R25, R28: the accountability case's forms: opening it from a clue, the investigation, the
evidence, the shares of responsibility and the report (one row of fields per person or unit
concerned). The forms only present: the services check and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.uploads import accept_attribute
from portal.widgets import LongSelect

from ..models import OFFICER_SCALE, UNIT_SCALE, Consequence, Fault, Impact, Proceeding
from ..services.proceedings import EVIDENCE_LIMITS

RESPONSIBLE = [("yes", _("负有责任")), ("no", _("不负有责任"))]


class OpenForm(forms.Form):
    officers = forms.ModelMultipleChoiceField(
        label=_("被追究人员"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选时，以线索所列涉及人员为被追究人员。"),
        error_messages={"invalid_choice": _("被追究人员须是被追究单位的执法人员。")},
    )
    include_unit = forms.BooleanField(label=_("同时追究单位责任"), required=False, initial=True)
    enforcement_case = forms.ModelChoiceField(
        label=_("涉及的执法案件编号（内部 ID）"),
        queryset=None,
        required=False,
        widget=forms.NumberInput(attrs={"min": 1}),
        help_text=_(
            "来源于案卷评查或复议诉讼结果的线索，默认为该执法案件；"
            "涉及被追究单位其他执法案件的，填写其内部 ID。"
        ),
        error_messages={"invalid_choice": _("所涉及的执法案件须是被追究单位办理的案件。")},
    )

    def __init__(self, *args, officers, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers
        self.fields["enforcement_case"].queryset = cases


class InvestigateForm(forms.Form):
    investigation = forms.CharField(
        label=_("调查情况"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )


class EvidenceForm(forms.Form):
    description = forms.CharField(label=_("证据说明"), max_length=200)
    upload = forms.FileField(
        label=_("证据文件"),
        help_text=_("PDF、Word 文档不超过 20 MB，照片不超过 10 MB（按文件内容识别）。"),
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(EVIDENCE_LIMITS)}),
        error_messages={"required": _("请选择证据文件。"), "empty": _("所选文件是空文件。")},
    )


class SharesForm(forms.Form):
    """One percent and one reason a share (the reason only when the percent is changed)."""

    def __init__(self, *args, shares, **kwargs):
        super().__init__(*args, **kwargs)
        self.shares = list(shares)
        for share in self.shares:
            who = f"{share.get_stage_display()} {share.person}"
            label = _("%(who)s：责任比例（%%）") % {"who": who}
            self.fields[f"percent_{share.pk}"] = forms.IntegerField(
                label=label,
                widget=forms.NumberInput(attrs={"aria-label": label, "min": 0, "max": 100}),
                min_value=0,
                max_value=100,
                initial=share.percent if share.percent is not None else share.proposed_percent,
                error_messages={
                    "required": _("请填写责任比例。"),
                    "invalid": _("责任比例应为 0 到 100 的整数。"),
                    "min_value": _("责任比例应为 0 到 100 的整数。"),
                    "max_value": _("责任比例应为 0 到 100 的整数。"),
                },
            )
            label = _("%(who)s：调整理由") % {"who": who}
            self.fields[f"reason_{share.pk}"] = forms.CharField(
                label=label,
                max_length=2000,
                required=False,
                initial=share.reason,
                widget=forms.Textarea(attrs={"rows": 2, "aria-label": label}),
            )

    def rows(self):
        return [(s, self[f"percent_{s.pk}"], self[f"reason_{s.pk}"]) for s in self.shares]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "percents": {s.pk: data[f"percent_{s.pk}"] for s in self.shares},
            "reasons": {s.pk: data[f"reason_{s.pk}"] for s in self.shares},
        }


def _kinds(accused) -> list:
    scale = UNIT_SCALE if accused.is_unit else OFFICER_SCALE
    return [("", _("（不负有责任时不选）"))] + [(k.value, k.label) for k in scale]


class ReportForm(forms.Form):
    facts = forms.CharField(
        label=_("查明的事实"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    fault = forms.ChoiceField(
        label=_("主观过错"),
        choices=[("", _("请选择"))] + Fault.choices,
        error_messages={"required": _("请选择主观过错。")},
    )
    conduct = forms.CharField(
        label=_("行为情节"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    consequence = forms.ChoiceField(
        label=_("危害后果"),
        choices=[("", _("请选择"))] + Consequence.choices,
        error_messages={"required": _("请选择危害后果。")},
    )
    impact = forms.ChoiceField(
        label=_("社会影响"),
        choices=[("", _("请选择"))] + Impact.choices,
        error_messages={"required": _("请选择社会影响。")},
    )
    mitigating = forms.CharField(
        label=_("从轻、减轻情节"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("填写后，建议档次降低一档。"),
    )
    aggravating = forms.CharField(
        label=_("从重、加重情节"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("填写后（或社会影响恶劣），建议档次提高一档。"),
    )
    good_faith = forms.BooleanField(
        label=_("属于依法履职、担当作为中出现的失误（R29，从轻）"), required=False
    )

    def __init__(self, *args, accused, **kwargs):
        super().__init__(*args, **kwargs)
        self.accused = list(accused)
        for one in self.accused:
            self.fields[f"responsible_{one.pk}"] = forms.ChoiceField(
                label=_("%(who)s：是否负有责任") % {"who": one}, choices=RESPONSIBLE
            )
            self.fields[f"kind_{one.pk}"] = forms.ChoiceField(
                label=_("%(who)s：建议处理") % {"who": one}, choices=_kinds(one), required=False
            )
            self.fields[f"justification_{one.pk}"] = forms.CharField(
                label=_("%(who)s：超出建议档次的书面理由") % {"who": one},
                max_length=5000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def main_fields(self):
        return [self[name] for name in self.base_fields]

    def rows(self):
        return [
            (
                one,
                self[f"responsible_{one.pk}"],
                self[f"kind_{one.pk}"],
                self[f"justification_{one.pk}"],
            )
            for one in self.accused
        ]

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        proposals = {
            one.pk: (
                data.pop(f"responsible_{one.pk}") == "yes",
                data.pop(f"kind_{one.pk}"),
                data.pop(f"justification_{one.pk}"),
            )
            for one in self.accused
        }
        return data | {"proposals": proposals}


class CaseFilterForm(forms.Form):
    step = forms.ChoiceField(
        label=_("环节"), choices=[("", _("全部"))] + Proceeding.Step.choices, required=False
    )
    agency = forms.ModelChoiceField(
        label=_("被追究单位"), queryset=None, required=False, widget=LongSelect
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
