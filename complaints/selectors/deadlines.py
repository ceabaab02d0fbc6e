"""How a complaint's running deadline is counted, for the pages that explain it.

The same functions that set the stored dates count them here, so the explanation (each rest day
skipped, each 调休上班日 counted) is the one behind the date. Two queries (the calendar window).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from workdays.deadlines import Deadline

from ..models import Complaint
from ..services.channels import handling_deadline
from ..services.register import ACKNOWLEDGE_WORKING_DAYS, acknowledge_deadline


@dataclass(frozen=True)
class Counting:
    what: str  # which deadline, e.g. "受理告知期限"
    rule: str  # from which day, how long, and the rule of counting
    result: Deadline


def deadline_counting(complaint: Complaint) -> Counting | None:
    """The deadline that applies now (acknowledgement, then handling), counted; None when
    none applies (the complaint is decided or closed)."""
    if complaint.status == Complaint.Status.REGISTERED:
        rule = _("收到之日 %(start)s 不计入，其后第 %(days)s 个工作日为期限届满日。") % {
            "start": f"{complaint.received_on:%Y-%m-%d}",
            "days": ACKNOWLEDGE_WORKING_DAYS,
        }
        return Counting(_("受理告知期限"), rule, acknowledge_deadline(complaint.received_on))
    if complaint.status in Complaint.IN_HANDLING and complaint.handling_started_on:
        rule = _(
            "受理之日 %(start)s 不计入，自次日起算 %(days)s 日；期间最后一日是法定休假日的，"
            "以休假日结束的次日为期间的最后一日。"
        ) % {"start": f"{complaint.handling_started_on:%Y-%m-%d}", "days": complaint.handling_days}
        if complaint.extension_days:
            rule += _("延长 %(days)s 日，自原期限届满之次日起算，按同样规则顺延。") % {
                "days": complaint.extension_days
            }
        return Counting(_("办理期限"), rule, handling_deadline(complaint))
    return None
