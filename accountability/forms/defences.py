"""R29: the accused's statement and defence, or waiver, and their request for a review. The
forms only present: `accountability.services.defences` and `.reviews` check and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DefenceForm(forms.Form):
    action = forms.ChoiceField(
        label=_("方式"),
        choices=[("submit", _("提交书面陈述申辩意见")), ("waive", _("书面明确放弃陈述申辩"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择提交陈述申辩意见或放弃陈述申辩。")},
    )
    statement = forms.CharField(
        label=_("陈述申辩意见"), max_length=20000, required=False, widget=forms.Textarea
    )
    waiver = forms.CharField(
        label=_("放弃声明"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("放弃陈述申辩须书面明确表示，例如“本人自愿放弃陈述申辩的权利”。"),
    )


class ReviewRequestForm(forms.Form):
    grounds = forms.CharField(label=_("复核理由"), max_length=20000, widget=forms.Textarea)
