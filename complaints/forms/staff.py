"""Forms of the staff pages: the register's filters, registering a complaint received by phone,
letter, e-mail or in person, and one small form per decision and handling step.

Forms only parse; the rules (R15–R17) are the services' and their refusals become form errors.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from portal.fields import DateField
from portal.roles import Role
from portal.scoping import visible_agencies
from portal.widgets import LongSelect

from .. import uploads
from ..models import Category, Complaint, ReceivedVia, RefusalReason, Result
from .fields import MultipleFileField


class DateInput(forms.DateInput):
    input_type = "date"


def _required(message) -> dict:
    return {"required": message}


class RegisterFilterForm(forms.Form):
    """The register's filters; an unknown value is ignored rather than refused."""

    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + Complaint.Status.choices
    )
    year = forms.IntegerField(label=_("登记年度"), required=False, min_value=2000, max_value=9999)
    agency = forms.ModelChoiceField(
        label=_("被投诉单位"),
        required=False,
        queryset=None,
        empty_label=_("全部"),
        widget=LongSelect,
    )
    number = forms.CharField(label=_("登记号"), required=False, max_length=32)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = visible_agencies(user).select_related("region")

    def filters(self) -> dict:
        """The valid filters, as `register_rows` takes them."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        agency = data.get("agency")
        return {
            "status": data.get("status") or "",
            "year": data.get("year"),
            "agency_id": agency.pk if agency else None,
            "number": data.get("number") or "",
        }


class ComplaintRegisterForm(forms.Form):
    """R15: a complaint that arrived by phone, letter, e-mail or in person, as received."""

    received_via = forms.ChoiceField(
        label=_("收件渠道"), choices=[c for c in ReceivedVia.choices if c[0] != ReceivedVia.WEB]
    )
    received_on = DateField(
        label=_("收到日期"),
        widget=DateInput,
        help_text=_("受理告知期限（5 个工作日）自收到之日的次日起算。"),
    )
    agency = forms.ModelChoiceField(label=_("被投诉单位"), queryset=None, widget=LongSelect)
    category = forms.ChoiceField(label=_("投诉类型"), choices=Category.choices)
    occurred_on = DateField(label=_("发生日期"), widget=DateInput)
    officer = forms.CharField(label=_("执法人员（姓名或执法证号）"), max_length=100, required=False)
    place = forms.CharField(label=_("发生地点"), max_length=200, required=False)
    case_number = forms.CharField(label=_("案件或决定书编号"), max_length=100, required=False)
    description = forms.CharField(
        label=_("投诉事项"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages=_required(_("请填写投诉事项。")),
    )
    request = forms.CharField(
        label=_("投诉请求"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    anonymous = forms.BooleanField(label=_("匿名投诉"), required=False)
    complainant_name = forms.CharField(label=_("投诉人姓名"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    email = forms.CharField(label=_("电子信箱"), max_length=254, required=False)
    attachments = MultipleFileField(label=_("附件"), help_text=_("来信、照片等材料的扫描件。"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = visible_agencies(user).select_related("region")
        self.fields["received_on"].initial = localdate()
        self.fields["attachments"].help_text = uploads.limits_text()


class AcceptForm(forms.Form):
    handler = forms.ModelChoiceField(
        label=_("承办人（可稍后指定）"), queryset=None, required=False, empty_label=_("暂不指定")
    )
    note = forms.CharField(
        label=_("告知投诉人的说明"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers_for(complaint)


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(
        label=_("承办人"), queryset=None, error_messages={"required": _("请选择承办人。")}
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers_for(complaint)
        # The handler chosen so far stays selected when the page is shown again (after a step,
        # or after another form's refusal); a refused choice stays selected by the bound form.
        self.fields["handler"].initial = complaint.handler_id


def handlers_for(complaint: Complaint):
    """The supervisors whose region is the complaint's or lies above it."""
    path = complaint.region.path
    prefixes = {path[: i + 1] for i, ch in enumerate(path) if ch == "/"}
    return (
        get_user_model()
        .objects.filter(
            groups__name=Role.SUPERVISOR.value, region__path__in=prefixes, is_active=True
        )
        .distinct()
        .order_by("name", "username")
    )


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("不予受理理由"),
        choices=[("", "---------")] + RefusalReason.choices,
        error_messages={"required": _("不予受理必须选择理由。")},
    )
    note = forms.CharField(
        label=_("具体说明（告知投诉人）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TransferForm(forms.Form):
    to = forms.CharField(
        label=_("转至有权处理的机关"),
        max_length=100,
        error_messages={"required": _("请填写有权处理的机关。")},
    )
    note = forms.CharField(
        label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AskAgencyForm(forms.Form):
    question = forms.CharField(
        label=_("需被投诉单位书面说明的事项"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required(_("请填写需说明的事项。")),
    )
    share_identity = forms.BooleanField(
        label=_("告知被投诉单位投诉人的身份（姓名和联系方式）"), required=False
    )


class StepForm(forms.Form):
    note = forms.CharField(
        label=_("办理情况"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required(_("请填写办理情况。")),
    )
    public = forms.BooleanField(label=_("作为办理进展告知投诉人"), required=False)


class MaterialForm(forms.Form):
    note = forms.CharField(
        label=_("需投诉人补充的材料"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_required(_("请填写需补充的材料。")),
    )


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label=_("延期理由（告知投诉人）"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_required(_("请填写延期理由。")),
    )


class CloseForm(forms.Form):
    result = forms.ChoiceField(
        label=_("核查结论"),
        choices=[("", "---------")] + Result.choices,
        error_messages={"required": _("请选择核查结论。")},
    )
    measures = forms.CharField(
        label=_("处理措施"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("投诉属实或部分属实的，须写明处理措施。"),
    )
    feedback = forms.CharField(
        label=_("反馈意见（告知投诉人）"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required(_("请填写反馈意见。")),
    )


class ReferForm(forms.Form):
    note = forms.CharField(
        label=_("移送说明"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_required(_("请填写移送说明。")),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("书面说明"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages=_required(_("请填写书面说明。")),
    )
