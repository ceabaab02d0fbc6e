"""Forms of the enforcement case pages (R6): the list's filters, opening a case, adding a record
to the current stage, correcting a record and advancing the stage.

The decision of a case (R5, R7) and its legal review have their forms at the end.

Forms only parse; the rules are the services' (`enforcement.services.cases`) and their refusals
become form errors.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import uploads
from portal.fields import DateTimeField
from portal.scoping import visible_agencies
from portal.widgets import LongSelect

from ..models import (
    Agency,
    Case,
    CaseRecord,
    Decision,
    DiscretionTier,
    EvidenceType,
    LegalReview,
    Officer,
    Party,
    PowerItem,
    Stage,
)
from ..selectors.fines import banks_for
from ..services.cases import PartyInput, record_limits

PARTY_ROWS = 3


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _all_limits() -> dict[str, int]:
    limits = {}
    for kind in CaseRecord.Kind.values:
        limits.update(record_limits(kind))
    return limits


def limits_help(kind: str | None = None) -> str:
    """The accepted kinds and sizes, in words, for one record type or for both."""
    kinds = [kind] if kind else CaseRecord.Kind.values
    return " ".join(
        f"{CaseRecord.Kind(k).label}：{uploads.limits_text(record_limits(k), max_count=1)}"
        for k in kinds
    )


class CaseFilter(django_filters.FilterSet):
    """The case list's search (issue 14): by stage, agency, party (name, or identifier in
    full) and number (the case's 立案编号 or its decision's 文号, in part). Applied to the cases
    the user may read (`selectors.cases_for`); a value that is not valid is left out of the
    search and the form says why."""

    stage = django_filters.ChoiceFilter(
        label=_("办理阶段"), choices=Stage.choices, empty_label=_("全部")
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("办案单位"),
        queryset=Agency.objects.none(),
        empty_label=_("全部"),
        widget=LongSelect,
    )
    party = django_filters.CharFilter(
        label=_("当事人"),
        method="filter_party",
        max_length=100,
        strip=True,
        error_messages={"max_length": _("当事人最多 100 个字，请缩短后再查询。")},
    )
    number = django_filters.CharFilter(
        label=_("案号或文号"),
        method="filter_number",
        max_length=60,
        strip=True,
        error_messages={"max_length": _("案号或文号最多 60 个字，请缩短后再查询。")},
    )

    class Meta:
        model = Case
        fields = ["stage", "agency", "party", "number"]

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["agency"].queryset = visible_agencies(user).only("name").order_by("name")
        for name in ("party", "number"):
            self.form.fields[name].widget.attrs.update({"type": "search", "autocomplete": "off"})
        self.form.fields["party"].help_text = _("名称或姓名的一部分，或完整的证件号码")

    def filter_party(self, queryset, name, value):
        # EXISTS, not a join: a case with two matching parties is listed once.
        matching = Party.objects.filter(case=OuterRef("pk")).filter(
            Q(name__icontains=value) | Q(identifier=value.upper())
        )
        return queryset.filter(Exists(matching))

    def filter_number(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(decision__number__icontains=value))


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PowerItem) -> str:
        return f"{obj.published.code} {obj.published.name}"


class OfficerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Officer) -> str:
        status = obj.get_certificate_status_display()
        return f"{obj}（{obj.agency.name}，{_('执法证')}{status}）"


class CaseOpenForm(forms.Form):
    """R6, stage 1 (立案): the case, its parties (up to three rows) and its officers."""

    agency = forms.ModelChoiceField(
        label=_("办案单位"),
        queryset=None,
        error_messages={"required": _("请选择办案单位。")},
        widget=LongSelect,
    )
    power_item = ItemChoiceField(
        label=_("职权事项（已公布）"),
        queryset=None,
        error_messages={"required": _("请选择职权事项。")},
    )
    source = forms.ChoiceField(
        label=_("案件来源"),
        choices=[("", "---------")] + Case.Source.choices,
        error_messages={"required": _("请选择案件来源。")},
    )
    summary = forms.CharField(
        label=_("案由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写案由。")},
    )
    officers = OfficerChoiceField(
        label=_("承办执法人员（至少两人，须持有效执法证）"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("执法人员不得少于两人。")},
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk
        self.fields["power_item"].queryset = (
            PowerItem.objects.filter(agency__in=agencies, published__isnull=False)
            .select_related("published")
            .order_by("published__code")
        )
        self.fields["officers"].queryset = (
            Officer.objects.filter(agency__in=agencies)
            .select_related("agency")
            .order_by("agency__name", "name")
        )
        for row in range(1, PARTY_ROWS + 1):
            self.fields[f"party{row}_kind"] = forms.ChoiceField(
                label=_("当事人类型"),
                choices=[("", "---------")] + Party.Kind.choices,
                required=False,
            )
            self.fields[f"party{row}_name"] = forms.CharField(
                label=_("名称或姓名"), max_length=100, required=False
            )
            self.fields[f"party{row}_identifier"] = forms.CharField(
                label=_("身份证号码或统一社会信用代码"), max_length=18, required=False
            )
            self.fields[f"party{row}_address"] = forms.CharField(
                label=_("住所或地址"), max_length=200, required=False
            )

    def case_fields(self):
        return [self[name] for name in ("agency", "power_item", "source", "summary")]

    def party_rows(self):
        return [
            [self[f"party{row}_{part}"] for part in ("kind", "name", "identifier", "address")]
            for row in range(1, PARTY_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        parties = []
        for row in range(1, PARTY_ROWS + 1):
            values = {
                part: (data.get(f"party{row}_{part}") or "").strip()
                for part in ("kind", "name", "identifier", "address")
            }
            if not any(values.values()):
                continue  # a blank row is ignored
            if not values["kind"]:
                self.add_error(f"party{row}_kind", _("请选择当事人类型。"))
            if not values["name"]:
                self.add_error(f"party{row}_name", _("请填写当事人名称或姓名。"))
            if not values["identifier"]:
                self.add_error(f"party{row}_identifier", _("请填写证件号码。"))
            parties.append(PartyInput(**values))
        if not parties:
            self.add_error(None, _("请至少填写一名当事人。"))
        data["parties"] = parties
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "agency": data["agency"],
            "power_item": data["power_item"],
            "source": data["source"],
            "summary": data["summary"],
            "parties": data["parties"],
            "officers": list(data["officers"]),
        }


class RecordAddForm(forms.Form):
    """R6: a document or audio-video record of the case's current stage."""

    kind = forms.ChoiceField(
        label=_("记录类型"),
        choices=CaseRecord.Kind.choices,
        error_messages={"required": _("请选择记录类型。")},
    )
    evidence_type = forms.ChoiceField(
        label=_("证据种类（可选）"),
        choices=[("", _("不作为证据"))] + EvidenceType.choices,
        required=False,
    )
    title = forms.CharField(
        label=_("名称"), max_length=200, error_messages={"required": _("请填写名称。")}
    )
    recorded_by = forms.ModelChoiceField(
        label=_("记录人"), queryset=None, error_messages={"required": _("请选择记录人。")}
    )
    recorded_at = DateTimeField(
        label=_("记录时间"),
        widget=DateTimeLocalInput,
        error_messages={"required": _("请填写记录时间。"), "invalid": _("记录时间格式不正确。")},
    )
    recorded_place = forms.CharField(
        label=_("记录地点"), max_length=200, error_messages={"required": _("请填写记录地点。")}
    )
    file = forms.FileField(
        label=_("文件"),
        error_messages={"required": _("请选择要上传的文件。")},
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recorded_by"].queryset = Officer.objects.filter(
            case_assignments__case=case
        ).order_by("name")
        self.fields["recorded_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["file"].widget.attrs["accept"] = uploads.accept_attribute(_all_limits())
        self.fields["file"].help_text = limits_help()


class RecordCorrectForm(forms.Form):
    """R6: a correction is a new version with its reason; the old one stays."""

    file = forms.FileField(
        label=_("更正后的文件"), error_messages={"required": _("请选择更正后的文件。")}
    )
    reason = forms.CharField(
        label=_("更正理由"),
        max_length=500,
        error_messages={"required": _("请填写更正理由。")},
    )
    title = forms.CharField(label=_("新名称（可选）"), max_length=200, required=False)

    def __init__(self, *args, record: CaseRecord, **kwargs):
        kwargs.setdefault("prefix", f"correct-{record.pk}")
        super().__init__(*args, **kwargs)
        limits = record_limits(record.kind)
        self.fields["file"].widget.attrs["accept"] = uploads.accept_attribute(limits)
        self.fields["file"].help_text = limits_help(record.kind)


class AdvanceForm(forms.Form):
    note = forms.CharField(
        label=_("说明（可选）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def tier_label(tier: DiscretionTier) -> str:
    """R7: a tier in words: its order, circumstances, penalty and fine range."""
    low, high = tier.fine_min, tier.fine_max
    if low is None and high is None:
        fines = _("不涉及罚款")
    else:
        fines = _("罚款 %(low)s 至 %(high)s 元") % {
            "low": low if low is not None else "—",
            "high": high if high is not None else "—",
        }
    return f"{tier.order}. {tier.circumstances}：{tier.penalty}（{fines}）"


class TierChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DiscretionTier) -> str:
        return tier_label(obj)


class DecisionForm(forms.Form):
    """R5, R7: the proposed decision, the discretion tier it applies and its draft text."""

    kind = forms.ChoiceField(
        label=_("决定种类"),
        choices=[("", "---------")] + Decision.Kind.choices,
        error_messages={"required": _("请选择决定种类。")},
    )
    fine_amount = forms.DecimalField(
        label=_("罚款金额（元）"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=0,
        error_messages={"invalid": _("罚款金额格式不正确。")},
    )
    collecting_bank = forms.ModelChoiceField(
        label=_("罚款代收银行（罚缴分离，当事人到指定银行缴纳）"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("只能选择本地区指定的罚款代收银行（R30）。")},
    )
    tier = TierChoiceField(
        label=_("适用的裁量基准"),
        queryset=None,
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    outside_tier_reason = forms.CharField(
        label=_("超出裁量基准的理由（罚款超出所选基准幅度时必填）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    hearing_held = forms.BooleanField(label=_("经过听证"), required=False)
    explanation = forms.CharField(
        label=_("拟作出决定的情况说明"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写拟作出决定的情况说明。")},
    )
    draft = forms.CharField(
        label=_("决定书草稿"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("请填写决定书草稿。")},
    )
    # R5: grounds of the region's catalogue that no rule computes; ticking one marks the
    # decision major. Grounds already marked are shown beside the form, not offered again.
    grounds = forms.MultipleChoiceField(
        label=_("重大情形（依本地区重大执法决定法制审核目录认定，勾选的须写明理由）"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("本地区的重大执法决定法制审核目录没有所选的情形。")},
    )
    grounds_reason = forms.CharField(
        label=_("认定为重大执法决定的理由"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args,
        case: Case,
        decision: Decision | None = None,
        grounds: list[tuple[str, str]] = (),
        **kwargs,
    ):
        kwargs.setdefault("prefix", "decision")
        if decision is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": decision.kind,
                "fine_amount": decision.fine_amount,
                "collecting_bank": decision.collecting_bank_id,
                "tier": decision.tier_id,
                "outside_tier_reason": decision.outside_tier_reason,
                "hearing_held": decision.hearing_held,
                "explanation": decision.explanation,
                "draft": decision.draft,
            }
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = case.power_item.discretion_tiers.order_by("order")
        self.fields["collecting_bank"].queryset = banks_for(agency=case.agency)
        marked = set(decision.major_grounds) if decision is not None else set()
        offered = [(value, label) for value, label in grounds if value not in marked]
        if offered:
            self.fields["grounds"].choices = offered
        else:
            del self.fields["grounds"], self.fields["grounds_reason"]

    def clean(self):
        data = super().clean()
        if data.get("grounds") and not (data.get("grounds_reason") or "").strip():
            self.add_error("grounds_reason", _("勾选重大情形的，须写明理由（R5）。"))
        return data


REVIEW_CHECKS = (
    "subject_lawful",
    "facts_proven",
    "basis_correct",
    "discretion_proper",
    "procedure_lawful",
)


class LegalReviewForm(forms.Form):
    """R5: the legal office's five checks, its conclusion and its reasons."""

    conclusion = forms.ChoiceField(
        label=_("审核意见"),
        choices=LegalReview.Conclusion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择审核意见。")},
    )
    reasons = forms.CharField(
        label=_("理由"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写审核理由。")},
    )

    # R5: the draft the reviewer read; a review of a draft since replaced is refused.
    draft_version = forms.IntegerField(
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("页面缺少所审核的草稿版本，请刷新页面后重新审核。"),
            "invalid": _("页面缺少所审核的草稿版本，请刷新页面后重新审核。"),
            "min_value": _("页面缺少所审核的草稿版本，请刷新页面后重新审核。"),
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "review")
        super().__init__(*args, **kwargs)
        checks = {
            name: forms.BooleanField(
                label=LegalReview._meta.get_field(name).verbose_name, required=False
            )
            for name in REVIEW_CHECKS
        }
        self.fields = {**checks, **self.fields}


class MarkMajorForm(forms.Form):
    """R5: staff or the legal office mark the decision major, with a reason."""

    grounds = forms.MultipleChoiceField(
        label=_("所认定的重大情形（可不选）"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("本地区的重大执法决定法制审核目录没有所选的情形。")},
    )
    reason = forms.CharField(
        label=_("认定为重大执法决定的理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写认定为重大执法决定的理由（R5）。")},
    )

    def __init__(self, *args, grounds: list[tuple[str, str]] = (), **kwargs):
        kwargs.setdefault("prefix", "mark")
        super().__init__(*args, **kwargs)
        if grounds:
            self.fields["grounds"].choices = grounds
        else:
            del self.fields["grounds"]


class UnmarkMajorForm(forms.Form):
    """R5: only the legal office takes the mark off, with a reason."""

    reason = forms.CharField(
        label=_("取消认定的理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写取消认定的理由（R5）。")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "unmark")
        super().__init__(*args, **kwargs)


class ActionForm(forms.Form):
    """A button without fields (submit for review, issue): only carries the service's refusal."""
