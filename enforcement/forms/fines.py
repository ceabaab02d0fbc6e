"""Forms of fines (R30) and of the reports on fines and discretion (R7). They only parse: the
rules are `enforcement.services.fines`', whose refusals become form errors."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.fields import DateField
from portal.scoping import visible_agencies
from portal.widgets import LongSelect

FIRST_YEAR = 2000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PaymentForm(forms.Form):
    """R30: a payment as the collecting bank's receipt shows it."""

    receipt_number = forms.CharField(
        label=_("银行回执编号"),
        max_length=50,
        error_messages={
            "required": _("请填写银行回执编号。"),
            "max_length": _("银行回执编号不能超过 50 个字符。"),
        },
    )
    amount = forms.DecimalField(
        label=_("缴款金额（元）"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={
            "required": _("请填写缴款金额。"),
            "invalid": _("缴款金额格式不正确。"),
            "min_value": _("缴款金额须大于零。"),
            "max_digits": _("缴款金额过大。"),
            "max_decimal_places": _("缴款金额最多保留两位小数。"),
            "max_whole_digits": _("缴款金额过大。"),
        },
    )
    paid_on = DateField(
        label=_("缴款日期"),
        widget=DateInput,
        error_messages={
            "required": _("请填写缴款日期。"),
            "invalid": _("缴款日期格式不正确，请按“年-月-日”填写。"),
        },
    )
    note = forms.CharField(
        label=_("备注（可选）"),
        max_length=500,
        required=False,
        error_messages={"max_length": _("备注不能超过 500 个字。")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "payment")
        super().__init__(*args, **kwargs)


class ReportFilterForm(forms.Form):
    """The reports' filters: the year of issue (this year by default) and one agency. A value
    refused is shown as an error and the default is used in its place."""

    agency = forms.ModelChoiceField(
        label=_("执法部门"),
        required=False,
        queryset=None,
        empty_label=_("全部"),
        error_messages={"invalid_choice": _("请选择您监督范围内的执法部门。")},
        widget=LongSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields = {
            "year": forms.IntegerField(
                label=_("决定年度"),
                required=False,
                initial=this_year,
                min_value=FIRST_YEAR,
                max_value=this_year,
                error_messages={
                    "invalid": _("请填写四位数的年度。"),
                    "min_value": _("年度不能早于 %(limit_value)s 年。"),
                    "max_value": _("年度不能晚于 %(limit_value)s 年。"),
                },
            ),
            **self.fields,
        }
        self.fields["agency"].queryset = visible_agencies(user).only("name").order_by("name")

    def filters(self) -> dict:
        """The year and agency to report on: the defaults for what is missing or refused."""
        if self.is_bound:
            self.is_valid()
        data = getattr(self, "cleaned_data", {})
        agency = data.get("agency")
        return {
            "year": data.get("year") or timezone.localdate().year,
            "agency_id": agency.pk if agency is not None else None,
        }
