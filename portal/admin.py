from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .admin_scoping import HistoryAdmin
from .models import User
from .roles import Role, role_of
from .services import user_assign_role


class RoleForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("角色"), choices=[("", "—")] + Role.choices, required=False)

    class Meta:
        model = User
        fields = ("username", "name", "email", "agency", "region", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["role"].initial = role_of(self.instance) or ""

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE) and not data.get("agency"):
            raise ValidationError({"agency": _("执法部门工作人员和法制机构人员必须指定所在单位。")})
        if role == Role.SUPERVISOR and not data.get("region"):
            raise ValidationError({"region": _("监督人员必须指定监督区域。")})
        return data


@admin.register(User)
class UserAdmin(HistoryAdmin, DjangoUserAdmin):
    """Only system administrators manage accounts; the role is set through the service."""

    form = RoleForm
    list_display = ("username", "name", "email", "agency", "region", "is_active")
    list_select_related = ("agency", "region")
    search_fields = ("username", "name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("name", "email")}),
        (_("角色与范围"), {"fields": ("role", "agency", "region", "is_active")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
    )

    def has_module_permission(self, request):
        return role_of(request.user) == Role.SYSADMIN

    has_view_permission = has_change_permission = has_add_permission = (
        lambda self, request, obj=None: role_of(request.user) == Role.SYSADMIN
    )

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
        role = form.cleaned_data.get("role")
        if role:
            user_assign_role(
                user=obj,
                role=Role(role),
                actor=request.user,
                agency=form.cleaned_data.get("agency"),
                region=form.cleaned_data.get("region"),
            )


def _with_todo_panels(index):
    """The admin's index shows the signed-in user's to-do panels (portal/todo) above the app
    list (templates/admin/index.html): the admin dashboard and the workspace are one list."""
    from .todo import panels_for

    def wrapped(request, extra_context=None):
        return index(request, {"todo_panels": panels_for(request.user), **(extra_context or {})})

    return wrapped


admin.site.index = _with_todo_panels(admin.site.index)
