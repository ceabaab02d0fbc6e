"""The public filters of disclosed decisions (R9), shared by the pages and the API.

As with the power list, a bad value is refused with a Chinese message rather than ignored.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .filters import MAX_QUERY_LENGTH, IdFilter
from .models import Agency, Decision, DecisionDisclosure
from .selectors import public as public_selectors

FIRST_YEAR, LAST_YEAR = 2000, 2100


class YearField(forms.IntegerField):
    default_error_messages = {
        "invalid": _("年份应为四位数字。"),
        "min_value": _("年份不能早于 %(limit_value)s 年。"),
        "max_value": _("年份不能晚于 %(limit_value)s 年。"),
    }


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.Filter):
    field_class = YearField


class ChineseDateField(forms.DateField):
    default_error_messages = {"invalid": _("日期应写作 年-月-日，如 2025-03-01。")}


class DateFilter(django_filters.Filter):
    field_class = ChineseDateField


class DisclosureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("关键词"),
        method="filter_q",
        max_length=MAX_QUERY_LENGTH,
        help_text=_("按标题或事项名称查找；多个词用空格分开，全部包含才匹配。"),
    )
    region = django_filters.CharFilter(
        label=_("行政区划"),
        method="filter_region",
        max_length=12,
        help_text=_("区划代码或编号；包含其下级区划。"),
    )
    agency = IdFilter(label=_("执法主体"), method="filter_agency")
    kind = django_filters.ChoiceFilter(label=_("决定种类"), choices=Decision.Kind.choices)
    year = YearFilter(
        label=_("决定年份"), method="filter_year", min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    decided_from = DateFilter(label=_("决定日期自"), field_name="decided_on", lookup_expr="gte")
    decided_to = DateFilter(label=_("决定日期至"), field_name="decided_on", lookup_expr="lte")

    class Meta:
        model = DecisionDisclosure
        fields = ["q", "region", "agency", "kind", "year", "decided_from", "decided_to"]

    def __init__(self, *args, known_agency: Agency | None = None, **kwargs):
        """`known_agency`: the agency already read by the caller (saves a query)."""
        super().__init__(*args, **kwargs)
        self.known_agency = known_agency

    def filter_q(self, queryset, name, value):
        for term in value.split():
            queryset = queryset.filter(Q(title__contains=term) | Q(item_name__contains=term))
        return queryset

    def filter_region(self, queryset, name, value):
        return queryset.filter(agency__region__path__startswith=self.region.path)

    def filter_agency(self, queryset, name, value):
        return queryset.filter(agency_id=value)

    def filter_year(self, queryset, name, value):
        # A range, not __year, so that a database index on the date could serve it.
        start = datetime.date(value, 1, 1)
        return queryset.filter(decided_on__gte=start, decided_on__lt=start.replace(year=value + 1))

    def is_valid(self):
        """Valid values that name nothing (an unknown region or agency) are errors too."""
        if hasattr(self, "_valid"):
            return self._valid
        self.region = self.agency = None
        if not super().is_valid():
            self._valid = False
            return False
        data = self.form.cleaned_data
        self._check_region(data.get("region"))
        self._check_agency(data.get("agency"))
        start, end = data.get("decided_from"), data.get("decided_to")
        if start and end and start > end:
            self.form.add_error("decided_to", _("截止日期不能早于起始日期。"))
        self._valid = not self.form.errors
        return self._valid

    def _check_region(self, value) -> None:
        if not value:
            return
        try:
            self.region = public_selectors.region_by_code_or_id(value)
        except forms.ValidationError as exc:
            self.form.add_error("region", exc)

    def _check_agency(self, value) -> None:
        if self.known_agency is not None and value == self.known_agency.pk:
            self.agency = self.known_agency
        elif value:
            self.agency = Agency.objects.filter(pk=value).only("name").first()
            if self.agency is None:
                self.form.add_error("agency", _("没有这个执法主体。"))
