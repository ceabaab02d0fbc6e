from django.contrib import admin

from enforcement.models import Agency, Region
from portal.admin_scoping import HistoryAdmin
from portal.roles import Role, role_of

from .models import ComplaintChannel
from .services.channels import complaint_channel_save


@admin.register(ComplaintChannel)
class ComplaintChannelAdmin(HistoryAdmin):
    """Supervisors keep the channels of their region and the regions below it."""

    list_display = ("region", "agency", "office", "hotline", "email", "published")
    list_filter = ("published", "region__level")
    list_select_related = ("region", "agency")
    search_fields = ("region__name", "agency__name", "office")

    def _regions(self, request):
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
        if db_field.name == "agency":
            kwargs["queryset"] = Agency.objects.filter(region__in=self._regions(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _in_scope(self, request, obj) -> bool:
        return obj is None or self._regions(request).filter(pk=obj.region_id).exists()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def save_model(self, request, obj, form, change):
        complaint_channel_save(channel=obj, actor=request.user)
