"""The power list's to-do counts (R1, R2): drafts returned, open revision tasks, items awaiting
the legal office's review or the supervisor's publication."""

from django.utils.translation import gettext as _

from enforcement.models import PowerItem, RevisionTask
from enforcement.selectors.staff import legal_review_queue, staff_items, supervisor_queue
from portal import scoping
from portal.roles import Role, role_of

from .base import Entry, Panel, url


def _open_revision_tasks(user) -> int:
    # The revision task list shows open tasks unless asked for all (enforcement.views.supervision).
    return scoping.scope(RevisionTask.objects.filter(status=RevisionTask.Status.OPEN), user).count()


def power_list_panel(user) -> Panel:
    role = role_of(user)
    entries = []
    if role in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE):
        returned = PowerItem.Status.RETURNED
        entries.append(
            Entry(
                "items-returned",
                _("被退回修改的事项"),
                staff_items(user, status=returned).count(),
                url("enforcement:staff_item_list", status=returned),
                "warning",
            )
        )
    if role == Role.LEGAL_OFFICE:
        entries.append(
            Entry(
                "items-legal-review",
                _("待法制审核的清单事项"),
                legal_review_queue(user).count(),
                url("enforcement:staff_legal_queue"),
            )
        )
    if role in (Role.SUPERVISOR, Role.SYSADMIN):
        entries.append(
            Entry(
                "items-to-publish",
                _("待审核公布的清单事项"),
                supervisor_queue(user).count(),
                url("enforcement:staff_supervisor_queue"),
            )
        )
    entries.append(
        Entry(
            "revision-tasks",
            _("待完成的清单调整任务"),
            _open_revision_tasks(user),
            url("enforcement:revision_task_list"),
            "warning",
        )
    )
    return Panel(
        key="power-list",
        title=_("权责清单"),
        empty=_("权责清单没有待办事项。"),
        entries=tuple(entries),
    )
