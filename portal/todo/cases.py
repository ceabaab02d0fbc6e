"""The enforcement cases' to-do counts (R5, R6, R8): open cases by stage, decisions awaiting the
legal office's review, jurisdiction disputes awaiting a statement or a decision."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from enforcement.models import Dispute
from enforcement.models.cases import WAITING_STAGES
from enforcement.selectors.cases import decisions_awaiting_review, disputes_for
from portal.roles import Role, role_of
from reporting.selectors.tallies import waiting_cases

from .base import Entry, Panel, url


def _disputes(user) -> dict[str, int]:
    rows = disputes_for(user=user).order_by()
    return rows.aggregate(
        raised=Count("pk", filter=Q(status=Dispute.Status.RAISED)),
        answered=Count("pk", filter=Q(status=Dispute.Status.ANSWERED)),
    )


def cases_panel(user) -> Panel:
    role = role_of(user)
    counts = waiting_cases(user=user)
    entries = [
        Entry(
            f"cases-{stage.value}",
            _("处于“%(stage)s”阶段的案件") % {"stage": stage.label},
            counts[stage.value],
            url("cases:list", stage=stage.value),
        )
        for stage in WAITING_STAGES
    ]
    if role == Role.LEGAL_OFFICE:
        entries.append(
            Entry(
                "decisions-legal-review",
                _("待法制审核的执法决定"),
                decisions_awaiting_review(user=user).count(),
                url("cases:reviews"),
            )
        )
    disputes = _disputes(user)
    entries.append(
        Entry(
            "disputes-raised",
            _("管辖争议 · 待对方单位陈述"),
            disputes["raised"],
            url("cases:disputes", status=Dispute.Status.RAISED),
        )
    )
    entries.append(
        Entry(
            "disputes-answered",
            _("管辖争议 · 待协调决定"),
            disputes["answered"],
            url("cases:disputes", status=Dispute.Status.ANSWERED),
            "warning" if role in (Role.SUPERVISOR, Role.SYSADMIN) else "",
        )
    )
    return Panel(
        key="cases",
        title=_("执法案件与管辖争议"),
        empty=_("没有等待办理的执法案件和管辖争议。"),
        entries=tuple(entries),
    )
