from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("实施情况报告")

    def ready(self):
        from .services import discretion, tallies

        tallies.connect()
        discretion.connect()
