"""The system administrator's own to-do: active accounts that have no role yet (they can sign in
but see nothing until one is given)."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from .base import Entry, Panel, url

# The admin's user list filtered the same way (Django admin takes these lookups in the query).
WITHOUT_ROLE = {"is_active__exact": "1", "is_superuser__exact": "0", "groups__isnull": "True"}


def accounts_without_role():
    return get_user_model().objects.filter(is_active=True, is_superuser=False, groups__isnull=True)


def system_panel(user) -> Panel:
    return Panel(
        key="system",
        title=_("系统管理"),
        empty=_("没有待分配角色的账号。"),
        entries=(
            Entry(
                "accounts-without-role",
                _("尚未分配角色的账号"),
                accounts_without_role().count(),
                url("admin:portal_user_changelist", **WITHOUT_ROLE),
                "warning",
            ),
        ),
    )
