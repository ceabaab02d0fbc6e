"""R33: the implementation plan's forms. They only parse: the services
(`reporting.services.plans`) check who may act and decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.fields import DateField
from portal.params import ascii_int

from ..models.plans import YEAR_MAX, YEAR_MIN


def parse_year(raw) -> int:
    """A year typed by the user ("2026"), ASCII digits within range, else a Chinese message."""
    try:
        return ascii_int(raw, label=_("年度"), minimum=YEAR_MIN, maximum=YEAR_MAX)
    except ValidationError:
        raise ValidationError(
            _("年度应为 %(min)s 至 %(max)s 之间的四位年份（半角数字），如 2026。"),
            code="bad_year",
            params={"min": YEAR_MIN, "max": YEAR_MAX},
        ) from None


class YearField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("年度"))
        kwargs.setdefault("max_length", 4)
        kwargs.setdefault("error_messages", {"required": _("请填写年度。")})
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9]{4}"})

    def clean(self, value):
        value = super().clean(value)
        return parse_year(value)


class PlanForm(forms.Form):
    year = YearField()
    title = forms.CharField(
        label=_("方案名称"),
        max_length=200,
        error_messages={"required": _("请填写方案名称。")},
    )


class ItemForm(forms.Form):
    task = forms.CharField(
        label=_("任务措施"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写任务措施。")},
    )
    responsible = forms.CharField(
        label=_("责任单位"),
        max_length=200,
        error_messages={"required": _("请填写责任单位。")},
    )
    output = forms.CharField(
        label=_("可检验成果"),
        max_length=500,
        help_text=_("完成后能够检查的成果，如印发的文件、公布的清单、培训记录。"),
        error_messages={"required": _("请填写可检验成果。")},
    )
    due = DateField(
        label=_("完成时限"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("请填写完成时限。"),
            "invalid": _("完成时限不是有效的日期。"),
        },
    )


class DoneForm(forms.Form):
    note = forms.CharField(
        label=_("完成情况说明"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(
        label=_("佐证材料"),
        required=False,
        help_text=_("PDF、Word 文档（不超过 20 MB）或照片（不超过 10 MB），按文件内容识别。"),
    )


class ProblemForm(forms.Form):
    description = forms.CharField(
        label=_("问题描述"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写问题描述。")},
    )
    item = forms.ModelChoiceField(
        label=_("相关任务"),
        queryset=None,
        required=False,
        empty_label=_("（不针对具体任务）"),
        error_messages={"invalid_choice": _("所选任务不属于该实施方案。")},
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = plan.items.order_by("due", "pk")
        self.fields["item"].label_from_instance = lambda item: str(item)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("答复意见"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写答复意见。")},
    )
