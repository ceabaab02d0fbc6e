"""R11: the filters of the platform's registers (django-filter). A value that names nothing in
the user's scope is refused with a Chinese message, not ignored: the list shown must be the one
asked for."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enforcement.models import Agency, Case, Officer, Stage
from portal import scoping
from portal.widgets import LongSelect

from .selectors import platform_regions

CHOICE_ERRORS = {"invalid_choice": _("所选的值不在可选范围内，请重新选择。")}
MAX_TEXT = 100


class AgencyField(forms.ModelChoiceField):
    widget = LongSelect
    default_error_messages = {"invalid_choice": _("没有这个执法主体，或不在您的监督范围内。")}

    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class RegionField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("没有这个行政区划，或不在您的监督范围内。")}

    def label_from_instance(self, obj) -> str:
        return obj.name


class AgencyChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = AgencyField


class RegionChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = RegionField


class ScopedFilterSet(django_filters.FilterSet):
    """The region filter (with every region below it); `region_path` names the row's region."""

    region_path = "region__path"

    region = RegionChoiceFilter(
        label=_("行政区划"), queryset=None, method="filter_region", empty_label=_("全部")
    )
    q = django_filters.CharFilter(label=_("关键词"), method="filter_q", max_length=MAX_TEXT)
    text_fields: tuple[str, ...] = ()

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Before the form is built: its choices are the user's scope.
        self.filters["region"].queryset = platform_regions(user)
        if "agency" in self.filters:
            agencies = scoping.visible_agencies(user).only("pk", "name").order_by("name")
            self.filters["agency"].queryset = agencies

    def filter_region(self, queryset, name, value):
        return queryset.filter(**{f"{self.region_path}__startswith": value.path})

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        found = Q()
        for field in self.text_fields:
            found |= Q(**{f"{field}__contains": value})
        return queryset.filter(found)


class AgencyFilter(ScopedFilterSet):
    text_fields = ("name", "credit_code")

    kind = django_filters.ChoiceFilter(
        label=_("主体类型"),
        choices=Agency.Kind.choices,
        error_messages=CHOICE_ERRORS,
        empty_label=_("全部"),
    )
    management = django_filters.ChoiceFilter(
        label=_("管理体制"),
        choices=Agency.Management.choices,
        error_messages=CHOICE_ERRORS,
        empty_label=_("全部"),
    )
    list_status = django_filters.ChoiceFilter(
        label=_("权责清单"),
        choices=[("published", _("已公布")), ("none", _("未公布"))],
        method="filter_list_status",
        error_messages=CHOICE_ERRORS,
        empty_label=_("全部"),
    )

    class Meta:
        model = Agency
        fields = ["q", "region", "kind", "management", "list_status"]

    def filter_list_status(self, queryset, name, value):
        return queryset.filter(has_list=value == "published")


class OfficerFilter(ScopedFilterSet):
    region_path = "agency__region__path"
    text_fields = ("name", "certificate_number")

    agency = AgencyChoiceFilter(label=_("所在单位"), queryset=None, empty_label=_("全部"))
    certificate_status = django_filters.ChoiceFilter(
        label=_("证件状态"),
        choices=Officer.CertificateStatus.choices,
        error_messages=CHOICE_ERRORS,
        empty_label=_("全部"),
    )

    class Meta:
        model = Officer
        fields = ["q", "region", "agency", "certificate_status"]


class CaseFilter(ScopedFilterSet):
    region_path = "agency__region__path"
    text_fields = ("number", "item_name")

    agency = AgencyChoiceFilter(label=_("办案单位"), queryset=None, empty_label=_("全部"))
    stage = django_filters.ChoiceFilter(
        label=_("办理阶段"),
        choices=Stage.choices,
        error_messages=CHOICE_ERRORS,
        empty_label=_("全部"),
    )
    status = django_filters.ChoiceFilter(
        label=_("办结情况"),
        choices=[("open", _("办理中")), ("closed", _("已结案"))],
        method="filter_status",
        error_messages=CHOICE_ERRORS,
        empty_label=_("全部"),
    )
    year = django_filters.NumberFilter(
        label=_("立案年度"),
        field_name="opened_at",
        lookup_expr="year",
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("立案年度应为四位数字。"),
            "min_value": _("立案年度应在 2000 至 2100 之间。"),
            "max_value": _("立案年度应在 2000 至 2100 之间。"),
        },
    )

    class Meta:
        model = Case
        fields = ["q", "region", "agency", "stage", "status", "year"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(closed_at__isnull=value == "open")
