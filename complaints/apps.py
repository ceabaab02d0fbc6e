from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("投诉举报")

    def ready(self) -> None:
        from workdays import recompute

        from . import checks  # noqa: F401 - registers the system checks
        from .services.deadlines import complaint_deadlines_recompute

        # R16, R17: every open deadline of a complaint follows a year's holiday schedule when
        # it is loaded, amended or removed; a moved date is told in the complaint's timeline.
        recompute.register("complaints.deadlines", complaint_deadlines_recompute)
