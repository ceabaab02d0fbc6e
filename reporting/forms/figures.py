"""The filters of the supervisors' figures (R11, R31): region, agency, period. The choices are the
asking supervisor's region and what lies below it; a value outside them, a malformed date or a
period ending before it starts is refused with a Chinese message, never a 500."""

from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from enforcement.models import Agency, Region
from portal.widgets import LongSelect

from ..selectors.figures import Filters, filters_for, supervised_region

MONTH_ERRORS = {"invalid": _("请按“年-月”填写月份，例如 2026-01。")}
FIRST, LAST = date(2000, 1, 1), date(2100, 12, 31)


class RegionField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("没有这个行政区划，或不在您的监督范围内。")}

    def label_from_instance(self, obj: Region) -> str:
        # Indented by depth so that the select reads as the region's tree.
        depth = obj.path.count("/") - 1
        return "\u3000" * max(depth, 0) + obj.name


class AgencyField(forms.ModelChoiceField):
    widget = LongSelect
    default_error_messages = {"invalid_choice": _("没有这个执法主体，或不在您的监督范围内。")}

    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class MonthField(forms.DateField):
    """A month (“2026-03”), as the month input sends it; a whole date is read as its month, so
    that older links keep working. The figures are kept per month (`reporting.models.tallies`),
    so a period is whole months: the first day of the first, the last day of the last."""

    input_formats = ["%Y-%m", "%Y-%m-%d"]
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    default_error_messages = MONTH_ERRORS

    def validate(self, value):
        super().validate(value)
        if value is not None and not FIRST <= value <= LAST:
            raise ValidationError(
                _("月份须在 %(first)s 至 %(last)s 之间。"),
                params={"first": f"{FIRST:%Y-%m}", "last": f"{LAST:%Y-%m}"},
            )


class FiguresFilterForm(forms.Form):
    """Bound to the query string; `filters` once valid."""

    region = RegionField(label=_("行政区划"), queryset=None, required=False, empty_label=None)
    agency = AgencyField(label=_("执法主体"), queryset=None, required=False, empty_label=_("全部"))
    start = MonthField(label=_("起始月份"), required=False)
    end = MonthField(label=_("截止月份"), required=False)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        home = supervised_region(user)
        self.fields["region"].queryset = Region.objects.filter(path__startswith=home.path)
        self.fields["region"].initial = home.pk
        self.fields["agency"].queryset = (
            Agency.objects.filter(region__path__startswith=home.path)
            .only("pk", "name")
            .order_by("name", "pk")
        )
        self.filters: Filters | None = None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.filters = filters_for(
                user=self.user,
                region=data.get("region"),
                agency=data.get("agency"),
                start=data.get("start"),
                end=data.get("end"),
            )
        except PermissionDenied as refused:
            raise ValidationError(str(refused) or _("所选范围不在您的监督范围内。")) from None
        return data

    def query(self) -> str:
        """The filters as a query string (for the export link and the charts)."""
        f = self.filters
        parts = [
            f"region={f.region.pk}",
            f"start={f.start:%Y-%m}",
            f"end={f.end:%Y-%m}",
        ]
        if f.agency is not None:
            parts.append(f"agency={f.agency.pk}")
        return "&".join(parts)
