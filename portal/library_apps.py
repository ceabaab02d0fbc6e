"""Libraries whose app name the admin would show as their label ("Axes", "Guardian"): the same
apps under a name in the user's language. INSTALLED_APPS names these classes; they live apart
from portal.apps so that PortalConfig stays the portal's one default app configuration."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from guardian.apps import GuardianConfig as GuardianAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("登录防护")


class GuardianConfig(GuardianAppConfig):
    verbose_name = _("对象权限")
