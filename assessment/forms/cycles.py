"""Forms of the cycle pages: opening a cycle, an indicator, the local government's opinion.

Forms only parse; the rules (R19, R20) are the services' and their refusals become form errors.
"""

from django import forms
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from enforcement.models import Region

from ..models import Indicator


def _required(message) -> dict:
    return {"required": message}


class CycleOpenForm(forms.Form):
    """The region and year; the local choices start from the defaults and may be changed."""

    region = forms.ModelChoiceField(
        label=_("区划"), queryset=None, error_messages=_required(_("请选择区划。"))
    )
    year = forms.CharField(
        label=_("考核年度"), max_length=8, error_messages=_required(_("请填写考核年度。"))
    )
    merged_with_rule_of_law = forms.BooleanField(label=_("与依法行政考核合并开展"), required=False)
    excellent_from = forms.DecimalField(
        label=_("优秀分数线（本地选择）"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=1,
        max_value=100,
    )
    qualified_from = forms.DecimalField(
        label=_("合格分数线（本地选择）"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=1,
        max_value=100,
    )
    objection_working_days = forms.IntegerField(
        label=_("异议期限（工作日，本地选择）"), required=False, min_value=1, max_value=30
    )
    dual_vertical_weight = forms.IntegerField(
        label=_("双重管理部门上级评议权重（%，本地选择）"), required=False, min_value=0,
        max_value=100,
        help_text=_("留空则采用本地默认值。"),
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.none()
        if user.region_id:
            regions = Region.objects.filter(path__startswith=user.region.path)
        self.fields["region"].queryset = regions
        self.fields["region"].initial = user.region_id
        self.fields["year"].initial = localdate().year


class IndicatorForm(forms.Form):
    code = forms.CharField(
        label=_("编号"), max_length=20, error_messages=_required(_("请填写编号。"))
    )
    name = forms.CharField(
        label=_("指标名称"), max_length=100, error_messages=_required(_("请填写指标名称。"))
    )
    category = forms.ChoiceField(
        label=_("类别"), choices=Indicator.Category.choices,
        error_messages=_required(_("请选择指标类别。")),
    )  # fmt: skip
    max_points = forms.CharField(
        label=_("分值"), max_length=12, error_messages=_required(_("请填写分值。")),
        help_text=_("大于 0 且不超过 100；整个指标体系合计应为 100 分。"),
    )  # fmt: skip
    figure = forms.ChoiceField(
        label=_("关联统计指标"), choices=Indicator.Figure.choices, required=False
    )
    guidance = forms.CharField(label=_("评分标准"), widget=forms.Textarea, required=False)
    order = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, required=False)

    @classmethod
    def initial_from(cls, indicator: Indicator) -> dict:
        return {name: getattr(indicator, name) for name in cls.base_fields}


class LocalOpinionForm(forms.Form):
    opinion = forms.CharField(
        label=_("属地政府意见"), widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required(_("请填写属地政府意见。")),
    )  # fmt: skip
