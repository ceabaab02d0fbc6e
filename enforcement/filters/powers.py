"""The public filters of the power list, shared by the pages, the exports and the API.

Bad values are refused with a Chinese message (the page shows it, the API answers 400) instead of
being ignored: a visitor must know that the list shown is not the one they asked for.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from ..models import PublishedPowerItem
from ..models.powers import Category, Level
from ..selectors import public as selectors
from .common import MAX_QUERY_LENGTH, RegionAgencyFilterSet


class PublicPowerItemFilter(RegionAgencyFilterSet):
    q = django_filters.CharFilter(
        label=_("关键词"),
        method="filter_q",
        max_length=MAX_QUERY_LENGTH,
        help_text=_("按中文词语检索事项名称、子项、依据等，如“许可”“处罚”；多个词用空格分开。"),
    )
    category = django_filters.ChoiceFilter(label=_("职权类别"), choices=Category.choices)
    level = django_filters.ChoiceFilter(label=_("行使层级"), choices=Level.choices)

    class Meta:
        model = PublishedPowerItem
        fields = ["q", "region", "agency", "category", "level"]

    def filter_q(self, queryset, name, value):
        return selectors.search(queryset, value)

    @property
    def filtered(self) -> bool:
        return any(self.form.cleaned_data.get(name) for name in self.Meta.fields)
