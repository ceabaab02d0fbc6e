"""The region's accountability rules in the admin (R24 time limits, R29 periods, R28 sanction
bands), kept by the supervisors of that region and above; every figure is a local choice."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin_scoping import RegionScopedAdminMixin

from .models import OFFICER_SCALE, UNIT_SCALE, AccountabilityRules, SanctionBand


class SanctionBandForm(forms.ModelForm):
    class Meta:
        model = SanctionBand
        fields = ("fault", "consequence", "officer_low", "officer_high", "unit_low", "unit_high")

    def clean(self):
        data = super().clean()
        for low, high, scale in (
            ("officer_low", "officer_high", OFFICER_SCALE),
            ("unit_low", "unit_high", UNIT_SCALE),
        ):
            if (
                data.get(low)
                and data.get(high)
                and scale.index(data[low]) > scale.index(data[high])
            ):
                self.add_error(high, _("最重的处理不能轻于最轻的处理。"))
        return data


class SanctionBandInline(admin.TabularInline):
    model = SanctionBand
    form = SanctionBandForm
    extra = 0
    verbose_name = _("处理档次（R28，本地区设定）")
    verbose_name_plural = _("处理档次（R28，本地区设定；未设定的适用本系统默认档次）")


@admin.register(AccountabilityRules)
class AccountabilityRulesAdmin(RegionScopedAdminMixin, admin.ModelAdmin):
    list_display = ("region", "handling_days", "notice_days", "defence_days", "decision_days",
                    "transfer_days", "review_days")  # fmt: skip
    list_select_related = ("region",)
    search_fields = ("region__name", "region__code")
    inlines = [SanctionBandInline]
    fieldsets = (
        (None, {"fields": ("region",)}),
        (
            _("各环节期限（工作日，本地区设定的默认值，非政策规定）"),
            {
                "fields": (
                    "handling_days",
                    "notice_days",
                    "defence_days",
                    "decision_days",
                    "transfer_days",
                )
            },
        ),
        (_("复核（R29）"), {"fields": ("review_days", "review_decision_days")}),
    )
