"""The complaints' to-do counts (R15–R17): for supervisors, the complaints to acknowledge and
the early warnings (yellow: due within two working days; red: overdue); for the agency, the
written responses supervisors asked of it."""

from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from complaints.models import Complaint
from complaints.selectors.staff import register_rows, requests_for, warning_counts, warning_rows
from portal.roles import Role, role_of

from .base import Entry, Panel, url


def complaints_panel(user) -> Panel:
    role = role_of(user)
    entries = []
    if role in (Role.SUPERVISOR, Role.SYSADMIN):
        registered = Complaint.Status.REGISTERED
        today = localdate()
        counts = warning_counts(warning_rows(user=user, today=today).order_by(), today=today)
        warnings = url("complaints:staff-warnings")
        entries += [
            Entry(
                "complaints-to-acknowledge",
                _("待受理告知的投诉"),
                register_rows(user=user, status=registered).count(),
                url("complaints:staff-register", status=registered),
            ),
            Entry(
                "complaints-due-soon",
                _("两个工作日内到期（黄色预警）"),
                counts["yellow"],
                warnings,
                "warning",
            ),
            Entry(
                "complaints-overdue",
                _("已逾期（红色预警）"),
                counts["red"],
                warnings,
                "alert",
            ),
        ]
    if role in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE):
        entries.append(
            Entry(
                "agency-requests",
                _("待答复的书面说明要求"),
                requests_for(user=user, answered=False).count(),
                url("complaints:staff-requests"),
                "warning",
            )
        )
    return Panel(
        key="complaints",
        title=_("投诉举报"),
        empty=_("没有待办的投诉事项。"),
        entries=tuple(entries),
    )
