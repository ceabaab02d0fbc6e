from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = _("行政执法主体与职权")

    def ready(self) -> None:
        from workdays import recompute

        from .services.revisions import revision_tasks_recompute

        # R2: provisional due dates of revision tasks become true ones when a year is loaded.
        recompute.register("enforcement.revision_tasks", revision_tasks_recompute)
