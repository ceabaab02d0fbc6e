"""Forms of the level-jurisdiction pages (R10): a region's split of one enforcement domain.

Forms only parse; the rules are the service's (`enforcement.services.levels`) and its refusals
become form errors.
"""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ..models import EnforcementDomain, LegalBasis, LevelSplit, Region
from ..models.powers import Category, Level


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.name}（{obj.code}）"


def _scope_field(level: Level) -> forms.CharField:
    return forms.CharField(
        label=_("%(level)s管辖的事项") % {"level": level.label},
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _categories_field(level: Level) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("%(level)s行使的职权类别") % {"level": level.label},
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("用于核对事项的行使层级；不选则不按职权类别核对。"),
    )


class LevelSplitForm(forms.Form):
    """R10: the region and domain (fixed once saved), what each level handles and the
    categories it exercises, and the basis."""

    region = RegionChoiceField(
        label=_("规定地区"), queryset=None, error_messages={"required": _("请选择规定地区。")}
    )
    domain = forms.ModelChoiceField(
        label=_("执法领域"),
        queryset=EnforcementDomain.objects.order_by("name"),
        error_messages={"required": _("请选择执法领域。")},
    )
    province_scope = _scope_field(Level.PROVINCE)
    province_categories = _categories_field(Level.PROVINCE)
    city_scope = _scope_field(Level.CITY)
    city_categories = _categories_field(Level.CITY)
    county_scope = _scope_field(Level.COUNTY)
    county_categories = _categories_field(Level.COUNTY)
    legal_basis = forms.ModelChoiceField(
        label=_("划分的法律依据"),
        queryset=LegalBasis.objects.order_by("title"),
        required=False,
        help_text=_("从执法依据库中选择；依据为文件时可不选，在下一栏写明。"),
    )
    basis_document = forms.CharField(
        label=_("划分依据（条款或文件）"),
        max_length=300,
        required=False,
        help_text=_("如：第十条；或 松政办发〔2025〕12号。"),
    )

    def __init__(self, *args, regions: QuerySet[Region], split: LevelSplit | None = None, **kw):
        if split is not None:
            kw["initial"] = self.initial_of(split)
        super().__init__(*args, **kw)
        self.fields["region"].queryset = regions
        if split is not None:  # another pair of region and domain is another split
            for name in ("region", "domain"):
                self.fields[name].disabled = True
                self.fields[name].initial = getattr(split, f"{name}_id")

    @staticmethod
    def initial_of(split: LevelSplit) -> dict:
        data = {"legal_basis": split.legal_basis_id, "basis_document": split.basis_document}
        for level in Level.values:
            data[f"{level}_scope"] = split.scope_of(level)
            data[f"{level}_categories"] = split.categories_of(level)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "scopes": {level: data[f"{level}_scope"] for level in Level.values},
            "categories": {level: data[f"{level}_categories"] for level in Level.values},
            "legal_basis": data["legal_basis"],
            "basis_document": data["basis_document"],
        }
