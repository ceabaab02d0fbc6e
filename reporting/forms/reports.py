"""R31: the annual report's forms (parse only; `reporting.services.reports` decides)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enforcement.models import Region

from .plans import YearField


class RegionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ReportOpenForm(forms.Form):
    region = RegionChoice(
        label=_("地区"),
        queryset=Region.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("请选择地区。"),
            "invalid_choice": _("所选地区不在您的监督范围内。"),
        },
    )
    year = YearField()

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label=_("文字说明"),
        required=False,
        max_length=10000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("纯文字，按段落换行；保存后生成新版本，历次版本均保留。"),
    )
