"""Admin pages go through the same scoping helper as every other page."""

from django.contrib import admin

from . import scoping


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


admin.site.site_header = admin.site.site_title = "行政执法监督平台 · 管理后台"
