from axes import admin as axes_admin
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .admin_scoping import HistoryAdmin
from .models import User
from .roles import Role, group_display, role_of
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


# --- Groups and permissions, read in the user's language (Django names permissions "Can add …"
# in English when it creates them; the stored names stay, the admin shows these labels).
PERMISSION_ACTIONS = {
    "add": _("可以添加%(model)s"),
    "change": _("可以修改%(model)s"),
    "delete": _("可以删除%(model)s"),
    "view": _("可以查看%(model)s"),
}


# Internal tables whose models carry no verbose name (Django would show "document counter"):
# named here for the permission picker only. A model that gets a verbose name of its own in its
# Meta no longer needs its line; tests/portal/test_admin_language.py finds any new unnamed one.
UNNAMED_MODELS = {
    "guardian.userobjectpermission": _("用户对象权限"),
    "guardian.groupobjectpermission": _("组对象权限"),
    "enforcement.documentcounter": _("文书编号计数器"),
    "enforcement.agencyuserobjectpermission": _("用户的执法主体权限"),
    "enforcement.agencygroupobjectpermission": _("组的执法主体权限"),
    "complaints.registercounter": _("投诉登记编号计数器"),
    "complaints.notification": _("投诉人通知"),
    "accountability.cluecounter": _("问责线索编号计数器"),
}


def _model_name(model) -> str:
    """A model's name; simple-history's copies ("historical …", "HistoricalAgency") by the name
    of the model they keep the history of."""
    kept = getattr(model, "instance_type", None)  # set by simple-history on its history models
    if kept is None:
        if "verbose_name" not in model._meta.original_attrs:
            return str(UNNAMED_MODELS.get(model._meta.label_lower, model._meta.verbose_name))
        return str(model._meta.verbose_name)
    if kept._meta.auto_created:  # the history of a many-to-many field
        left, right = (f.related_model._meta.verbose_name for f in kept._meta.fields[1:3])
        kept_name = gettext("%(left)s与%(right)s的关联") % {"left": left, "right": right}
    else:
        kept_name = kept._meta.verbose_name
    return gettext("%(model)s（历史记录）") % {"model": kept_name}


def permission_label(permission) -> str:
    """'app | model | action' like Django's, each part in the user's language."""
    model = permission.content_type.model_class()
    if model is None:  # a model removed since
        return permission.name
    name = _model_name(model)
    action, _sep, model_name = permission.codename.partition("_")
    if action in PERMISSION_ACTIONS and model_name == model._meta.model_name:
        what = PERMISSION_ACTIONS[action] % {"model": name}
    else:  # the portal's own permissions, named in Chinese in the code
        what = gettext(permission.name)
    return f"{model._meta.app_config.verbose_name} | {name} | {what}"


class PermissionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """A role group is shown as its role; its name is the code the portal finds it by, so it is
    neither shown nor renamed nor deleted here (that would take the role from every member)."""

    list_display = ("__str__",)

    @admin.display(description=_("角色"))
    def role(self, obj):
        return group_display(obj)

    def _is_role_group(self, obj) -> bool:
        return obj is not None and obj.name in Role.values

    def get_fields(self, request, obj=None):
        return ("role", "permissions") if self._is_role_group(obj) else ("name", "permissions")

    def get_readonly_fields(self, request, obj=None):
        return ("role",) if self._is_role_group(obj) else ()

    def has_delete_permission(self, request, obj=None):
        return not self._is_role_group(obj) and super().has_delete_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "permissions":
            kwargs["form_class"] = PermissionChoices
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)


# --- The lockout records of django-axes: its columns named by methods ("Status") and its
# messages built with f-strings cannot go through a catalogue; these are said here instead.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    @admin.display(description=_("过期时间"))
    def expiration(self, obj):
        return super().expiration(obj)

    @admin.display(description=_("状态"))
    def status(self, obj):
        left = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if left > 0:
            return gettext("还可尝试 %(count)d 次") % {"count": left}
        return gettext("已锁定")

    @admin.action(description=_("清除已过期的登录尝试"))
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        done = gettext("已清除 %(count)d 条过期的登录尝试。") % {"count": count}
        self.message_user(request, done)
