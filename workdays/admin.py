"""The calendar in the admin: system administrators keep each year's schedule, with history.

Every write goes through `workdays.services`, so that it is validated as a whole year, recorded
with the acting user, and triggers the recompute of stored deadlines.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.admin_scoping import HistoryAdmin

from . import services
from .forms import ScheduleUploadForm
from .models import CalendarYear, SpecialDay


class SpecialDayInline(admin.TabularInline):
    model = SpecialDay
    fields = ["date", "kind", "name"]
    ordering = ["date"]
    extra = 0


@admin.register(CalendarYear)
class CalendarYearAdmin(HistoryAdmin):
    list_display = ["year", "schedule_loaded", "source", "day_count", "updated_at"]
    list_filter = ["schedule_loaded"]
    fields = ["year", "schedule_loaded", "source", "note"]
    inlines = [SpecialDayInline]
    change_list_template = "workdays/admin/calendaryear_change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(day_count=Count("special_days"))

    @admin.display(description=_("特殊日期数"), ordering="day_count")
    def day_count(self, obj) -> int:
        return obj.day_count

    def get_readonly_fields(self, request, obj=None):
        # The days hang on the year number: changing it would orphan them.
        return ["year"] if obj is not None else []

    def may_upload(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    # --- writes, through the services
    def save_model(self, request, obj, form, change):
        """Nothing yet: the year and its days are saved together in save_related."""

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        saved = services.calendar_year_save(
            year=form.instance.year,
            days=self._days_from(formsets),
            source=data["source"],
            schedule_loaded=data["schedule_loaded"],
            note=data["note"],
            actor=request.user,
        )
        form.instance.pk = saved.pk  # the admin logs and redirects with it

    @staticmethod
    def _days_from(formsets) -> list[services.DayInput]:
        days = []
        for formset in formsets:
            for day_form in formset.forms:
                cleaned = getattr(day_form, "cleaned_data", None)
                if not cleaned or cleaned.get("DELETE"):
                    continue  # an untouched blank row, or one marked for deletion
                days.append(
                    services.DayInput(
                        date=cleaned["date"], kind=cleaned["kind"], name=cleaned.get("name", "")
                    )
                )
        return days

    def construct_change_message(self, request, form, formsets, add=False):
        # The inline formsets were not saved by the admin (the service did it), so they cannot
        # describe themselves; the days' own history records what changed.
        return super().construct_change_message(request, form, None, add)

    def delete_model(self, request, obj):
        services.calendar_year_delete(calendar_year=obj, actor=request.user)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # The days' own admin is read-only (they change with their year), so the admin would
        # think nobody may delete them; the delete permission itself is what counts.
        if request.user.has_perm("workdays.delete_specialday"):
            perms_needed.discard(SpecialDay._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def delete_queryset(self, request, queryset):
        for calendar_year in queryset:
            services.calendar_year_delete(calendar_year=calendar_year, actor=request.user)

    # --- the upload of a year's schedule as a CSV file
    def get_urls(self):
        upload = path(
            "upload/",
            self.admin_site.admin_view(self.upload_view),
            name="workdays_calendaryear_upload",
        )
        return [upload, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_upload": self.may_upload(request)}
        return super().changelist_view(request, extra_context)

    def upload_view(self, request):
        if not self.may_upload(request):
            raise PermissionDenied
        form = ScheduleUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                calendar_year = services.calendar_year_load(
                    year=form.cleaned_data["year"],
                    days=form.cleaned_data["days"],
                    source=form.cleaned_data["source"],
                    note=form.cleaned_data["note"] or None,
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(
                    request,
                    gettext("已载入 %(year)s 年节假日安排，共 %(count)d 个特殊日期。")
                    % {"year": calendar_year.year, "count": len(form.cleaned_data["days"])},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:workdays_calendaryear_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("上传节假日安排"),
            "form": form,
        }
        return TemplateResponse(request, "workdays/admin/upload.html", context)


@admin.register(SpecialDay)
class SpecialDayAdmin(HistoryAdmin):
    """Read-only list across years; the days are edited with their year, as a whole."""

    list_display = ["date", "kind", "name", "calendar_year"]
    list_filter = ["kind", "calendar_year"]
    search_fields = ["name"]
    date_hierarchy = "date"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
