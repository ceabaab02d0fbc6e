from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = _("行政执法主体与职权")

    def ready(self) -> None:
        from workdays import recompute

        from .services.revisions import revision_tasks_recompute

        # R2: open revision tasks' due dates follow a year's schedule when it is loaded, amended
        # or removed; a moved date is told in the item's timeline.
        recompute.register("enforcement.revision_tasks", revision_tasks_recompute)
