"""R18, R32: the typical case and training forms. They only present: the services
(`accountability.services.typical`, `.training`) check, anonymise and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.fields import DateField

from ..models import TrainingSession, TypicalCase


class TypicalForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    facts = forms.CharField(
        label=_("基本案情"),
        max_length=20000,
        widget=forms.Textarea,
        help_text=_("保存时自动隐去当事人和被追究人员的姓名、身份证号码、手机号码和住址。"),
    )
    analysis = forms.CharField(label=_("案例剖析"), max_length=20000, widget=forms.Textarea)
    lesson = forms.CharField(label=_("警示教育意义"), max_length=5000, widget=forms.Textarea)


class CirculateForm(forms.Form):
    notice_number = forms.CharField(
        label=_("通报文号"),
        max_length=60,
        help_text=_("通报发送给发布地区各执法部门的工作人员。"),
    )


class ActionForm(forms.Form):
    """No fields: a bound, validated form that carries a refused action's message."""

    def __init__(self):
        super().__init__({})
        self.is_valid()


class TypicalFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[("", _("全部"))] + TypicalCase.Status.choices,
        required=False,
    )


class CaseChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class OfficerChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.agency.name} {obj.name}（{obj.certificate_number}）"


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label=_("形式"), choices=TrainingSession.Kind.choices)
    title = forms.CharField(label=_("主题"), max_length=200)
    held_on = DateField(
        label=_("日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请填写有效的培训日期（年-月-日）。")},
    )
    cases = CaseChoices(
        label=_("使用的典型案例"),
        queryset=None,
        error_messages={
            "required": _("请选择培训使用的典型案例。"),
            "invalid_choice": _("请选择已发布的典型案例。"),
            "invalid_pk_value": _("请选择已发布的典型案例。"),
        },
    )
    attendees = OfficerChoices(
        label=_("参训人员"),
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        error_messages={
            "required": _("请选择参训的执法人员。"),
            "invalid_choice": _("参训人员须是本地区执法部门的执法人员。"),
            "invalid_pk_value": _("参训人员须是本地区执法部门的执法人员。"),
        },
    )

    def __init__(self, *args, cases, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        self.fields["attendees"].queryset = officers
