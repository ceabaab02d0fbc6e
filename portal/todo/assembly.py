"""Which panels each role's to-do list has, in the order shown: the landing page after login
(`portal.views.site.workspace`) and the admin's index both render `panels_for(user)`.

Every count is one query (or one aggregate for a group of counts), so the number of queries
depends on the role only, never on the data (tests/portal/test_todo_queries.py)."""

from django.utils.translation import gettext as _

from portal.roles import Role, role_of

from .accountability import accountability_panel
from .assessment import assessment_panel
from .base import Panel, url
from .cases import cases_panel
from .complaints import complaints_panel
from .powers import power_list_panel
from .system import system_panel

SUPERVISING = (Role.SUPERVISOR, Role.SYSADMIN)


def _platform_links() -> tuple[tuple[str, str], ...]:
    return (
        (_("执法主体"), url("portal:platform-agencies")),
        (_("执法人员"), url("portal:platform-officers")),
        (_("执法案件"), url("portal:platform-cases")),
    )


def panels_for(user) -> list[Panel]:
    role = role_of(user)
    if role in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE):
        return [
            power_list_panel(user),
            cases_panel(user),
            complaints_panel(user),
            accountability_panel(user),
            assessment_panel(user),
        ]
    if role in SUPERVISING:
        panels = [
            complaints_panel(user),
            power_list_panel(user),
            cases_panel(user),
            accountability_panel(user),
            assessment_panel(user),
            Panel(
                key="platform",
                title=_("监督平台数据"),
                empty="",
                links=_platform_links(),
            ),
        ]
        if role == Role.SYSADMIN:
            panels.append(system_panel(user))
        return panels
    return []
