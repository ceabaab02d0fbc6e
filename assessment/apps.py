from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("评议考核")

    def ready(self) -> None:
        from django.core import checks

        from workdays import recompute

        from .services.officers import check_officer_formula, objection_dues_recompute

        checks.register(check_officer_formula)

        # R21: an officer's objection period follows the year's holiday schedule when loaded.
        recompute.register("assessment.objection_dues", objection_dues_recompute)
