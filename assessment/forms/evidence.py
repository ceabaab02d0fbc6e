"""R20: the inspection form. It only presents: the service checks the agency, the date and the
photos again and decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal import uploads
from portal.widgets import LongSelect

from ..models import Inspection
from ..services.evidence import check_photos, photo_limits


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotoField(forms.FileField):
    """Several photos from one input, checked by their content so that a refused file is named
    on the form."""

    def __init__(self, *args, **kwargs):
        attrs = {"accept": uploads.accept_attribute(photo_limits())}
        kwargs.setdefault("widget", MultiplePhotoInput(attrs=attrs))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        try:
            return [checked.upload for checked in check_photos(files)]
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc


class InspectionForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("被检查单位"),
        queryset=None,
        error_messages={"invalid_choice": _("请选择本考核周期的被评议单位。")},
        widget=LongSelect,
    )
    kind = forms.ChoiceField(label=_("类型"), choices=Inspection.Kind.choices)
    held_on = forms.DateField(
        label=_("检查日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请填写有效的检查日期（年-月-日）。")},
    )
    place = forms.CharField(label=_("地点"), max_length=200)
    inspectors = forms.CharField(label=_("检查人员"), max_length=200)
    findings = forms.CharField(label=_("发现的问题"), max_length=5000, widget=forms.Textarea)
    photos = PhotoField(
        label=_("照片"),
        help_text=_("最多 10 张照片（JPG、PNG、WebP、HEIC），每张不超过 10 MB，按文件内容识别。"),
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class InspectionFilterForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("被检查单位"), queryset=None, required=False, widget=LongSelect
    )
    kind = forms.ChoiceField(
        label=_("类型"), choices=[("", _("全部"))] + Inspection.Kind.choices, required=False
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
