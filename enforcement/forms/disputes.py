"""Forms of the jurisdiction dispute pages (R8, R10): the list's filter, raising a dispute, the
other agency's answer, the establishment office's opinion and the supervisor's decision.

Forms only parse; the rules are the services' (`enforcement.services.disputes`) and their
refusals become form errors.
"""

from django import forms
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from ..models import Agency, Dispute


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name}（{obj.region.name}）"


class DisputeFilterForm(forms.Form):
    """The list's filter; an unknown value is ignored rather than refused."""

    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + Dispute.Status.choices
    )

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {"status": self.cleaned_data.get("status") or ""}


class DisputeRaiseForm(forms.Form):
    """R8, R10: the raising agency (one the user acts for), the other agency, kind and matter."""

    raised_by = forms.ModelChoiceField(
        label=_("提出单位"), queryset=None, error_messages={"required": _("请选择提出单位。")}
    )
    other = AgencyChoiceField(
        label=_("对方单位"), queryset=None, error_messages={"required": _("请选择对方单位。")}
    )
    kind = forms.ChoiceField(
        label=_("争议类型"),
        choices=[("", "---------")] + Dispute.Kind.choices,
        error_messages={"required": _("请选择争议类型。")},
    )
    matter = forms.CharField(
        label=_("争议事项"), max_length=300, error_messages={"required": _("请填写争议事项。")}
    )
    statement = forms.CharField(
        label=_("本单位的意见和依据"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写本单位的意见和依据。")},
    )

    def __init__(self, *args, agencies: QuerySet[Agency], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised_by"].queryset = agencies
        if len(agencies) == 1:
            self.fields["raised_by"].initial = agencies[0].pk
        self.fields["other"].queryset = Agency.objects.select_related("region").order_by(
            "region__path", "name"
        )

    def clean(self):
        data = super().clean()
        if data.get("raised_by") and data.get("other") and data["raised_by"] == data["other"]:
            self.add_error("other", _("管辖争议须在两个不同的单位之间提出。"))
        return data


class DisputeAnswerForm(forms.Form):
    """The other agency's view and its grounds, stated once."""

    answer = forms.CharField(
        label=_("本单位的意见和依据"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写本单位的意见和依据。")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "answer")
        super().__init__(*args, **kwargs)


class DisputeOpinionForm(forms.Form):
    """R8: the establishment office's opinion on the dispute, given once before the decision."""

    opinion = forms.CharField(
        label=_("机构编制部门意见"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写机构编制部门意见。")},
        help_text=_("结合双方的法定职责和机构编制规定，提出由哪一单位管辖的意见及理由。"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "opinion")
        super().__init__(*args, **kwargs)


class DisputeDecideForm(forms.Form):
    """R10: the binding decision: the agency with jurisdiction (the parties first) and why."""

    responsible = AgencyChoiceField(
        label=_("决定的管辖单位"),
        queryset=None,
        error_messages={"required": _("请选择决定的管辖单位。")},
    )
    decision = forms.CharField(
        label=_("协调决定及理由"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写协调决定及理由。")},
    )

    def __init__(self, *args, dispute: Dispute, agencies: QuerySet[Agency], **kwargs):
        kwargs.setdefault("prefix", "decide")
        super().__init__(*args, **kwargs)
        parties = (dispute.raised_by_id, dispute.other_id)
        self.fields["responsible"].queryset = (
            agencies.select_related("region")
            .annotate(
                party=Case(
                    When(pk__in=parties, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("party", "region__path", "name")
        )
