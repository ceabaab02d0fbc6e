"""Forms of the portal's own pages (staff login)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .throttle import USERNAME_MAX


class StaffLoginForm(AuthenticationForm):
    """Django's login form, with its limits checked and said in Chinese. (Django sets the user
    name's max_length after building the field, so it never checks it.)"""

    error_messages = {
        "invalid_login": _("用户名或密码不正确。请注意区分大小写。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = _("请填写用户名。")
        self.fields["password"].error_messages["required"] = _("请填写密码。")

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if len(username) > USERNAME_MAX:
            raise forms.ValidationError(
                _("用户名不能超过 %(max)s 个字符。"),
                code="max_length",
                params={"max": USERNAME_MAX},
            )
        return username
