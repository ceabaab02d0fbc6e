"""Forms of the staff side of the power list. They parse; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Agency, Delegation, LegalBasis, PowerItem
from ..services.power_items import CONTENT_FIELDS, BasisLink, Tier

Status = PowerItem.Status


class ItemFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *Status.choices]
    )
    q = forms.CharField(label=_("名称或编码"), required=False, max_length=100)


class PowerItemForm(forms.ModelForm):
    """The item's own fields; the agency is chosen only when a new item is created."""

    agency = forms.ModelChoiceField(label=_("实施主体"), queryset=Agency.objects.none())
    field_order = ["agency"]

    class Meta:
        model = PowerItem
        fields = [*CONTENT_FIELDS, "delegation"]
        widgets = {
            "responsibilities": forms.Textarea(attrs={"rows": 3}),
            "accountability": forms.Textarea(attrs={"rows": 3}),
            "process": forms.Textarea(attrs={"rows": 3}),
            "remarks": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["agency"]
            owner = self.instance.agency_id
        else:
            self.fields["agency"].queryset = agencies
            first_two = list(agencies[:2])
            if len(first_two) == 1:  # most staff keep one agency's list: preselect it
                self.fields["agency"].initial = first_two[0].pk
            owner = None
        # R4: an item can only be delegated under a delegation its own agency gave.
        delegations = Delegation.objects.filter(status=Delegation.Status.ACTIVE).select_related(
            "delegating_agency", "delegated_organisation"
        )
        if owner is not None:
            delegations = delegations.filter(delegating_agency_id=owner)
        else:
            delegations = delegations.filter(delegating_agency__in=agencies)
        self.fields["delegation"].queryset = delegations

    def _post_clean(self):
        # The service validates the item as a whole (code unique in the agency with a clear
        # message); the ModelForm must not write onto the locked instance meanwhile.
        pass

    def item_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in [*CONTENT_FIELDS, "delegation"]}


class BasisForm(forms.Form):
    basis = forms.ModelChoiceField(
        label=_("执法依据"), queryset=LegalBasis.objects.order_by("title"), required=False
    )
    articles = forms.CharField(label=_("条款"), max_length=200, required=False)


class TierForm(forms.Form):
    order = forms.IntegerField(label=_("序号"), min_value=1, max_value=999, required=False)
    circumstances = forms.CharField(
        label=_("违法情节"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    penalty = forms.CharField(label=_("处罚幅度"), max_length=300, required=False)
    fine_min = forms.DecimalField(
        label=_("罚款下限（元）"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    fine_max = forms.DecimalField(
        label=_("罚款上限（元）"), max_digits=14, decimal_places=2, min_value=0, required=False
    )

    def clean(self):
        data = super().clean()
        filled = any(data.get(f) not in (None, "") for f in ("circumstances", "penalty"))
        if filled and not (data.get("circumstances") and data.get("penalty")):
            raise forms.ValidationError(_("每一档裁量基准都要写明违法情节和处罚幅度。"))
        low, high = data.get("fine_min"), data.get("fine_max")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(_("罚款下限不能高于上限。"))
        return data


BasisFormSet = forms.formset_factory(BasisForm, extra=2, can_delete=True, max_num=50)
TierFormSet = forms.formset_factory(TierForm, extra=2, can_delete=True, max_num=30)


def basis_links(formset) -> list[BasisLink]:
    return [
        BasisLink(basis=f.cleaned_data["basis"], articles=f.cleaned_data.get("articles", ""))
        for f in formset.forms
        if f.cleaned_data.get("basis") and not f.cleaned_data.get("DELETE")
    ]


def tiers(formset) -> list[Tier]:
    rows = [
        f.cleaned_data
        for f in formset.forms
        if f.cleaned_data.get("circumstances") and not f.cleaned_data.get("DELETE")
    ]
    rows.sort(key=lambda d: d.get("order") or 999)
    return [Tier.from_dict(d) for d in rows]


class ReasonForm(forms.Form):
    """Returning and withdrawing need a reason (the services refuse an empty one too)."""

    reason = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CompareForm(forms.Form):
    a = forms.IntegerField(label=_("旧版本"))
    b = forms.IntegerField(label=_("新版本"))
