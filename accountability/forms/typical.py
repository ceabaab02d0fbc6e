"""R18, R32: the typical case and training forms. They only present: the services
(`accountability.services.typical`, `.training`) check, anonymise and decide."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from enforcement.models import Officer
from portal.fields import DateField
from portal.widgets import LongSelect

from ..models import TrainingSession, TypicalCase
from ..selectors import typical as selectors
from ..services.training import MAX_ATTENDEES

# What separates certificate numbers typed or pasted from a sign-in sheet (after NFKC, so that
# full-width commas and spaces are among them).
_NUMBER_SEPARATORS = re.compile(r"[\s,;、]+")
SHOWN = 20


class TypicalForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    facts = forms.CharField(
        label=_("基本案情"),
        max_length=20000,
        widget=forms.Textarea,
        help_text=_("保存时自动隐去当事人和被追究人员的姓名、身份证号码、手机号码和住址。"),
    )
    analysis = forms.CharField(label=_("案例剖析"), max_length=20000, widget=forms.Textarea)
    lesson = forms.CharField(label=_("警示教育意义"), max_length=5000, widget=forms.Textarea)


class CirculateForm(forms.Form):
    notice_number = forms.CharField(
        label=_("通报文号"),
        max_length=60,
        help_text=_("通报发送给发布地区各执法部门的工作人员。"),
    )


class ReturnForm(forms.Form):
    """The reviewer's reasons. Always valid: the service checks who may return before it
    refuses empty or too long reasons (permission before the body)."""

    reasons = forms.CharField(
        label=_("退回理由"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        help_text=_("写明需要修改的地方，撰写人修改后可重新提交审核。"),
    )


class ActionForm(forms.Form):
    """No fields: a bound, validated form that carries a refused action's message."""

    def __init__(self):
        super().__init__({})
        self.is_valid()


class TypicalFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[("", _("全部"))] + TypicalCase.Status.choices,
        required=False,
    )


class CaseChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.title


def certificate_numbers(text: str) -> list[str]:
    """The certificate numbers (执法证号) in `text`, in order: one a line, or separated by
    commas, semicolons or spaces (full-width ones too: the text is NFKC-normalised first)."""
    return [n for n in _NUMBER_SEPARATORS.split(unicodedata.normalize("NFKC", text or "")) if n]


def _listed(numbers) -> str:
    """Numbers for a message: the first 20, then how many more."""
    numbers = list(numbers)
    shown = "、".join(numbers[:SHOWN])
    if len(numbers) > SHOWN:
        shown += _("等 %(n)s 个") % {"n": len(numbers)}
    return shown


class TrainingForm(forms.Form):
    """R32: a session; the attendees are typed as their certificate numbers (a province's
    supervisor has tens of thousands of officers: no list of them is ever sent). The form turns
    the numbers into officers, refusing unknown and repeated ones and, when an agency is chosen,
    those of another agency; the service decides whether they may attend (the region)."""

    kind = forms.ChoiceField(label=_("形式"), choices=TrainingSession.Kind.choices)
    title = forms.CharField(label=_("主题"), max_length=200)
    held_on = DateField(
        label=_("日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请填写有效的培训日期（年-月-日）。")},
    )
    cases = CaseChoices(
        label=_("使用的典型案例"),
        queryset=None,
        help_text=_("按住 Ctrl（Mac 为 ⌘）可多选。"),
        error_messages={
            "required": _("请选择培训使用的典型案例。"),
            "invalid_choice": _("请选择已发布的典型案例。"),
            "invalid_pk_value": _("请选择已发布的典型案例。"),
        },
    )
    agency = forms.ModelChoiceField(
        label=_("参训单位"),
        queryset=None,
        required=False,
        empty_label=_("不限（本地区各执法部门）"),
        widget=LongSelect,
        help_text=_("选择单位后，只接受该单位执法人员的执法证号，可避免填错号码。"),
        error_messages={"invalid_choice": _("请选择本地区的执法部门。")},
    )
    attendees = forms.CharField(
        label=_("参训人员执法证号"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("每行一个，或用逗号、空格分隔；按签到表填写，最多 %(max)s 人。")
        % {"max": MAX_ATTENDEES},
        error_messages={"required": _("请填写参训人员的执法证号。")},
    )

    def __init__(self, *args, cases, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        self.fields["agency"].queryset = agencies

    def clean(self):
        cleaned = super().clean()
        if "attendees" in cleaned and "agency" in cleaned:
            cleaned["attendees"] = self._officers(cleaned["attendees"], cleaned["agency"])
        return cleaned

    def _officers(self, text: str, agency) -> list[Officer]:
        numbers = certificate_numbers(text)
        if not numbers:
            raise ValidationError({"attendees": _("请填写参训人员的执法证号。")})
        if len(numbers) > MAX_ATTENDEES:
            raise ValidationError(
                {
                    "attendees": _("参训人员不能超过 %(max)s 人（填写了 %(n)s 个执法证号）。")
                    % {"max": MAX_ATTENDEES, "n": len(numbers)}
                }
            )
        seen, repeated = set(), []
        for number in numbers:
            if number in seen and number not in repeated:
                repeated.append(number)
            seen.add(number)
        found = selectors.officers_by_certificate(seen)
        errors = []
        unknown = [n for n in dict.fromkeys(numbers) if n not in found]
        if unknown:
            errors.append(
                _("以下 %(n)s 个执法证号查无此人，请核对后重新填写：%(numbers)s。")
                % {"n": len(unknown), "numbers": _listed(unknown)}
            )
        if repeated:
            errors.append(_("以下执法证号重复填写：%(numbers)s。") % {"numbers": _listed(repeated)})
        if agency is not None:
            elsewhere = [n for n in found if found[n].agency_id != agency.pk]  # in input order
            if elsewhere:
                errors.append(
                    _("以下执法证号不是%(agency)s的执法人员：%(numbers)s。")
                    % {"agency": agency.name, "numbers": _listed(elsewhere)}
                )
        if errors:
            raise ValidationError({"attendees": errors})
        return [found[n] for n in numbers]
