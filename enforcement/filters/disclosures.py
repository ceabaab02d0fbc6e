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

from ..models import Decision, DecisionDisclosure
from .common import MAX_QUERY_LENGTH, RegionAgencyFilterSet

FIRST_YEAR, LAST_YEAR = 2000, 2100
DATE_FILTERS = ("year", "decided_from", "decided_to")
# Narrowed by decision date, the list is in that order, newest first: the `disclosure_decided`
# index then starts at the range's end instead of walking every newer disclosure.
BY_DECISION_DATE = ("-decided_on", "-disclosed_at", "-pk")


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


class DisclosureFilter(RegionAgencyFilterSet):
    region_path = "agency__region__path"

    q = django_filters.CharFilter(
        label=_("关键词"),
        method="filter_q",
        max_length=MAX_QUERY_LENGTH,
        help_text=_("按标题或事项名称查找；多个词用空格分开，全部包含才匹配。"),
    )
    kind = django_filters.ChoiceFilter(label=_("决定种类"), choices=Decision.Kind.choices)
    year = YearFilter(
        label=_("决定年份"), method="filter_year", min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    decided_from = DateFilter(label=_("决定日期自"), field_name="decided_on", lookup_expr="gte")
    decided_to = DateFilter(label=_("决定日期至"), field_name="decided_on", lookup_expr="lte")

    class Meta:
        model = DecisionDisclosure
        fields = ["q", "region", "agency", "kind", "year", "decided_from", "decided_to"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if any(self.form.cleaned_data.get(name) for name in DATE_FILTERS):
            queryset = queryset.order_by(*BY_DECISION_DATE)
        return queryset

    def filter_q(self, queryset, name, value):
        for term in value.split():
            queryset = queryset.filter(Q(title__contains=term) | Q(item_name__contains=term))
        return queryset

    def filter_year(self, queryset, name, value):
        # A range, not __year, so that a database index on the date could serve it.
        start = datetime.date(value, 1, 1)
        return queryset.filter(decided_on__gte=start, decided_on__lt=start.replace(year=value + 1))

    def check_more(self, data: dict) -> None:
        start, end = data.get("decided_from"), data.get("decided_to")
        if start and end and start > end:
            self.form.add_error("decided_to", _("截止日期不能早于起始日期。"))
