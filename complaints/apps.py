from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("投诉举报")

    def ready(self) -> None:
        from workdays import recompute

        from . import checks  # noqa: F401 - registers the system checks
        from .services.deadlines import complaint_deadlines_recompute

        # R16: provisional acknowledgement and handling deadlines become true ones when a
        # year's holiday schedule is loaded.
        recompute.register("complaints.deadlines", complaint_deadlines_recompute)
