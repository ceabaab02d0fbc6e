"""Accountability's to-do counts (R13, R24–R29): for supervisors, the clues and cases by step
and the unfavourable reconsideration and litigation outcomes to screen; for the agency and its
officers, the notices awaiting their statement of defence."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accountability.models import Clue, Proceeding
from accountability.selectors.clues import clues_list
from accountability.selectors.decisions import defences_awaiting
from accountability.selectors.proceedings import proceedings_list
from enforcement.selectors.remedies import outcomes_awaiting_screening
from portal.roles import Role, role_of

from .base import Entry, Panel, url

CLUE_STEPS = (Clue.Status.REGISTERED, Clue.Status.HANDLING)
CASE_STEPS = (
    Proceeding.Step.HANDLING,
    Proceeding.Step.NOTICE,
    Proceeding.Step.DECISION,
    Proceeding.Step.TRANSFER,
)


def _count_by(rows, field: str, values) -> dict[str, int]:
    return rows.order_by().aggregate(
        **{value.value: Count("pk", filter=Q(**{field: value})) for value in values}
    )


def _supervisor_entries(user) -> list[Entry]:
    clues = _count_by(clues_list(user=user), "status", CLUE_STEPS)
    cases = _count_by(proceedings_list(user=user), "step", CASE_STEPS)
    entries = [
        Entry(
            "screening",
            _("复议诉讼不利结果 · 待问责筛查"),
            outcomes_awaiting_screening(user=user).count(),
            reverse("portal:workspace") + "#remedy-screening",
            "warning",
        )
    ]
    entries += [
        Entry(
            f"clues-{status.value}",
            _("问责线索 · %(step)s") % {"step": status.label},
            clues[status.value],
            url("accountability:clue-list", status=status.value),
        )
        for status in CLUE_STEPS
    ]
    entries += [
        Entry(
            f"proceedings-{step.value}",
            _("问责案件 · %(step)s") % {"step": step.label},
            cases[step.value],
            url("accountability:case-list", step=step.value),
        )
        for step in CASE_STEPS
    ]
    return entries


def accountability_panel(user) -> Panel:
    role = role_of(user)
    if role in (Role.SUPERVISOR, Role.SYSADMIN):
        entries = _supervisor_entries(user)
    else:
        entries = [
            Entry(
                "defences",
                _("待陈述申辩的问责告知"),
                defences_awaiting(user=user),
                url("accountability:defence-list"),
                "alert",
            )
        ]
    return Panel(
        key="accountability",
        title=_("责任追究"),
        empty=_("没有待办的责任追究事项。"),
        entries=tuple(entries),
    )
