"""Forms of closing a case, of reconsideration and litigation outcomes (R13) and of case-file
review (案卷评查). Forms only parse; the rules are the services' and their refusals become form
errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.fields import DateField

from ..models import CHECKLIST, RemedyOutcome


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RemedyOutcomeForm(forms.Form):
    """R13: the outcome of a reconsideration or litigation of the case's decision."""

    kind = forms.ChoiceField(
        label=_("救济途径"),
        choices=[("", "---------")] + RemedyOutcome.Kind.choices,
        error_messages={
            "required": _("请选择救济途径（行政复议或行政诉讼）。"),
            "invalid_choice": _("请选择救济途径（行政复议或行政诉讼）。"),
        },
    )
    body = forms.CharField(
        label=_("复议机关或人民法院"),
        max_length=100,
        error_messages={"required": _("请填写复议机关或人民法院。")},
    )
    reference = forms.CharField(
        label=_("决定书或判决书文号"),
        max_length=100,
        error_messages={"required": _("请填写决定书或判决书文号。")},
    )
    decided_on = DateField(
        label=_("作出日期"),
        widget=DateInput,
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": _("请填写作出日期。"),
            "invalid": _("作出日期格式不正确，请按“年-月-日”填写，如 2024-03-01。"),
        },
    )
    outcome = forms.ChoiceField(
        label=_("结果"),
        choices=[("", "---------")] + RemedyOutcome.Outcome.choices,
        error_messages={
            "required": _("请选择复议或诉讼结果。"),
            "invalid_choice": _("请选择复议或诉讼结果。"),
        },
        help_text=_("撤销、变更、确认违法、责令履行的结果将列入问责筛查（R13）。"),
    )
    summary = forms.CharField(
        label=_("主要理由"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写主要理由。")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "remedy")
        super().__init__(*args, **kwargs)


class ScreeningForm(forms.Form):
    """R13: the supervisor's screening note on one flagged outcome."""

    note = forms.CharField(
        label=_("筛查意见（是否需要追究责任及理由）"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写筛查意见。")},
    )

    def __init__(self, *args, outcome: RemedyOutcome, **kwargs):
        kwargs.setdefault("prefix", f"screen-{outcome.pk}")
        super().__init__(*args, **kwargs)


def _score_field(label, points: int) -> forms.IntegerField:
    out_of_range = _("“%(label)s”的得分须为 0 至 %(points)s 之间的整数。") % {
        "label": label,
        "points": points,
    }
    return forms.IntegerField(
        label=_("%(label)s（满分 %(points)s 分）") % {"label": label, "points": points},
        min_value=0,
        max_value=points,
        error_messages={
            "required": _("请填写“%(label)s”的得分。") % {"label": label},
            "invalid": out_of_range,
            "min_value": out_of_range,
            "max_value": out_of_range,
        },
    )


class FileReviewForm(forms.Form):
    """案卷评查: a score for each checklist item and the findings."""

    findings = forms.CharField(
        label=_("评查意见"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写评查意见。")},
    )

    def __init__(self, *args, completeness_help: str = "", weights: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The region's weights (a local choice), else the portal's defaults.
        weights = weights or {name: points for name, _label, points in CHECKLIST}
        scores = {name: _score_field(label, weights[name]) for name, label, _p in CHECKLIST}
        scores["completeness"].help_text = completeness_help
        self.fields = {**scores, **self.fields}
