"""Admin pages go through the same scoping helper as every other page."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from . import scoping
from .roles import Role, role_of


class ScopedAdminMixin:
    """Limit an admin's rows, and its foreign-key choices, to the agencies the user may see.

    `agency_field` is the path from the model to its Agency ("pk" for Agency itself).
    """

    agency_field = "agency"

    def get_queryset(self, request):
        return scoping.scope(
            super().get_queryset(request), request.user, agency_field=self.agency_field
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from enforcement.models import Agency

        if db_field.related_model is Agency:
            kwargs["queryset"] = scoping.visible_agencies(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _in_scope(self, request, obj) -> bool:
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)


class RegionScopedAdminMixin:
    """Settings a government keeps for its region and the regions below (catalogues, weights):
    a supervisor sees and keeps those of its region and below, an administrator all, others
    none. The model has a `region` field."""

    def _regions(self, request):
        from enforcement.models import Region

        role = role_of(request.user)
        if role == Role.SYSADMIN:
            return Region.objects.all()
        if role == Role.SUPERVISOR and request.user.region_id:
            return Region.objects.filter(path__startswith=request.user.region.path)
        return Region.objects.none()

    def get_queryset(self, request):
        return super().get_queryset(request).filter(region__in=self._regions(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region":
            kwargs["queryset"] = self._regions(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _in_scope(self, request, obj) -> bool:
        return obj is None or self._regions(request).filter(pk=obj.region_id).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin, whose history pages keep the admin's scope and never write.

    A past version is read, never restored: restoring through the admin's form would change
    the object around the services that check the rules and record who acted.
    """

    def revert_disabled(self, request, obj=None):
        return True

    def _visible_object(self, request, object_id):
        try:
            obj = self.get_queryset(request).filter(pk=unquote(object_id)).first()
        except (ValueError, ValidationError):
            obj = None
        if obj is None:
            raise Http404(_("没有这个对象，或者它不在您的管辖范围内。"))
        if not self.has_view_permission(request, obj):
            raise PermissionDenied(_("您无权查看这个对象的历史记录。"))
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._visible_object(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied(_("历史版本只能查看，不能在这里恢复或修改。"))
        self._visible_object(request, object_id)
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )


# In the user's language, like the rest of the admin.
admin.site.site_header = admin.site.site_title = gettext_lazy("行政执法监督平台 · 管理后台")
