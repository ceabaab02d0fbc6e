from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "workdays"
    verbose_name = _("工作日历")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .deadlines import calendar_changed
        from .models import CalendarYear, SpecialDay

        # Every process's copy of the calendar (workdays.deadlines) is emptied by a change.
        for model in (CalendarYear, SpecialDay):
            uid = f"calendar-changed:{model.__name__}"
            post_save.connect(calendar_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(calendar_changed, sender=model, dispatch_uid=uid)
