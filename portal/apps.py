from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(**kwargs) -> None:
    from .roles import sync_role_groups

    sync_role_groups()


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("平台")

    def ready(self) -> None:
        from django.contrib.auth.models import Group
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401 - registers the deployment checks
        from .roles import group_display
        from .sessions import mark_refreshed

        # Role groups keep their codes as names and read as the role, in the user's language.
        Group.__str__ = group_display
        # The idle timeout counts from the login until the first move (portal.sessions).
        user_logged_in.connect(mark_refreshed, dispatch_uid="portal_session_refreshed")

        # The role groups need every app's permissions, which exist once migrate has run;
        # portal is the last installed app, so its post_migrate comes after all of them.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="portal_sync_roles")
