"""R20: the evaluation card, the staff entry of opinions and the moderation decision. They only
present; `assessment.services.opinions` checks everything again and decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.widgets import LongSelect

from ..models import PublicOpinion
from ..services.opinions import COMMENT_MAX, STAFF_SOURCES

SCORES = [
    ("5", _("5 分（很好）")),
    ("4", _("4 分（较好）")),
    ("3", _("3 分（一般）")),
    ("2", _("2 分（较差）")),
    ("1", _("1 分（很差）")),
]


def _rating(label):
    return forms.TypedChoiceField(
        label=label,
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请为每一项打分（1 至 5 分）。"),
            "invalid_choice": _("评分应为 1 至 5 分。"),
        },
    )


class RatingsMixin(forms.Form):
    lawful = _rating(_("依法执法"))
    civil = _rating(_("文明执法"))
    efficient = _rating(_("办事效率"))
    comment = forms.CharField(
        label=_("意见建议（选填）"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX}),
        help_text=_("最多 500 字。留言经审核后公开，请勿填写个人信息。"),
        error_messages={"max_length": _("意见建议不能超过 500 个字。")},
    )


class CardForm(RatingsMixin):
    token = forms.CharField(widget=forms.HiddenInput, required=False)


class OpinionEntryForm(RatingsMixin):
    agency = forms.ModelChoiceField(
        label=_("被评议单位"),
        queryset=None,
        error_messages={"invalid_choice": _("请选择本人监督范围内的单位。")},
        widget=LongSelect,
    )
    period = forms.IntegerField(
        label=_("评议年度"),
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": _("评议年度应为四位数字的年份。")},
    )
    source = forms.ChoiceField(
        label=_("来源"),
        choices=[(s.value, s.label) for s in STAFF_SOURCES],
        error_messages={"invalid_choice": _("请选择来源：热线电话、座谈会或问卷调查。")},
    )
    source_note = forms.CharField(
        label=_("来源说明"),
        max_length=200,
        help_text=PublicOpinion._meta.get_field("source_note").help_text,
    )
    field_order = ["agency", "period", "source", "source_note"]

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("通过")), ("reject", _("不通过"))],
        error_messages={
            "required": _("请选择通过或不通过。"),
            "invalid_choice": _("请选择通过或不通过。"),
        },
    )
