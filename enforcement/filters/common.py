"""What the public lists' filters share: the region (with all below it) and agency filters, and
the id fields they use.

Bad values are refused with a Chinese message (the page shows it, the API answers 400) instead of
being ignored: a visitor must know that the list shown is not the one they asked for.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Agency
from ..selectors import public as selectors

MAX_QUERY_LENGTH = 100


class IdField(forms.IntegerField):
    default_error_messages = {
        "invalid": _("编号应为正整数。"),
        "min_value": _("编号应为正整数。"),
        "max_value": _("编号应为正整数。"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)


class IdFilter(django_filters.Filter):
    field_class = IdField


class RegionAgencyFilterSet(django_filters.FilterSet):
    """The region (with all below it) and agency filters of the public lists. A region or agency
    that names nothing is an error too; subclasses add their checks in `check_more`."""

    region_path = "region_path"  # the lookup of the row's region path

    region = django_filters.CharFilter(
        label=_("行政区划"),
        method="filter_region",
        max_length=12,
        help_text=_("区划代码或编号；包含其下级区划。"),
    )
    agency = IdFilter(label=_("执法主体"), method="filter_agency")

    def __init__(self, *args, known_agency: Agency | None = None, **kwargs):
        """`known_agency`: the agency whose page this is, already read (saves a query)."""
        super().__init__(*args, **kwargs)
        self.known_agency = known_agency

    def filter_region(self, queryset, name, value):
        return queryset.filter(**{f"{self.region_path}__startswith": self.region.path})

    def filter_agency(self, queryset, name, value):
        return queryset.filter(agency_id=value)

    def is_valid(self):
        if hasattr(self, "_valid"):  # the lookups below run once per request
            return self._valid
        self.region = self.agency = None
        if not super().is_valid():
            self._valid = False
            return False
        data = self.form.cleaned_data
        if data.get("region"):
            try:
                self.region = selectors.region_by_code_or_id(data["region"])
            except ValidationError as exc:
                self.form.add_error("region", exc)
        if self.known_agency is not None and data.get("agency") == self.known_agency.pk:
            self.agency = self.known_agency
        elif data.get("agency"):
            self.agency = Agency.objects.filter(pk=data["agency"]).only("name").first()
            if self.agency is None:
                self.form.add_error("agency", _("没有这个执法主体。"))
        self.check_more(data)
        self._valid = not self.form.errors
        return self._valid

    def check_more(self, data: dict) -> None:
        """Checks across fields, adding errors to the form."""
