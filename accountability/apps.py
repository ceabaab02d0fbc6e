from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = _("责任追究")

    def ready(self) -> None:
        from workdays import recompute

        from .services import evaluation
        from .services.proceeding_sweep import proceeding_deadlines_recompute

        # R24: the steps' limits counted in working days follow a year's holiday schedule.
        recompute.register("accountability.proceedings", proceeding_deadlines_recompute)
        # R32, R24, R20: training attendance and sanctions count in the officers' evaluation,
        # the units' own and their officers' sanctions in the units' figures.
        evaluation.register()
