"""R15–R17: the steps of a complaint, from registration to closing, and the actions each state
allows. The state rules live here once: the decision and handling services refuse an action
whose rule does not hold (`complaint_check_state`), and the staff page and the API offer only
what `complaint_actions` returns (the state rule and who may act, `complaint_may`).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Complaint, Result
from .permissions import complaint_may

FOUND = (Result.SUBSTANTIATED, Result.PARTLY)
NOT_ACCEPTED = (Complaint.Status.REFUSED, Complaint.Status.TRANSFERRED)


def _registered(complaint: Complaint) -> bool:
    return complaint.status == Complaint.Status.REGISTERED


def _in_handling(complaint: Complaint) -> bool:
    return complaint.status in Complaint.IN_HANDLING


STATE_RULES = {
    # R16: the decision on acceptance, once, while registered
    "accept": _registered,
    "refuse": _registered,
    "transfer": _registered,
    # R17: handling, while accepted or in handling
    "assign": _in_handling,
    "ask": _in_handling,
    "step": _in_handling,
    "material": lambda c: _in_handling(c) and not c.material_requested,
    "extend": lambda c: _in_handling(c) and not c.extended,
    "close": _in_handling,
    # R26, R27: a substantiated complaint goes on to accountability, once
    "refer": lambda c: c.result in FOUND and c.referred_at is None,
}
ACTIONS = tuple(STATE_RULES)


def state_allows(complaint: Complaint, action: str) -> bool:
    return STATE_RULES[action](complaint)


def _state_refusal(complaint: Complaint, action: str) -> str:
    if action in ("accept", "refuse", "transfer"):
        at = timezone.localtime(complaint.decided_at) if complaint.decided_at else None
        return _("该投诉已于 %(at)s 作出决定（%(status)s），不能再次决定。") % {
            "at": f"{at:%Y-%m-%d}" if at else "",
            "status": complaint.get_status_display(),
        }
    if action == "refer":
        if complaint.result not in FOUND:
            return _("只有核查属实或部分属实的投诉可以移送责任追究。")
        return _("该投诉已经移送责任追究。")
    if not _in_handling(complaint):
        return _("该投诉当前状态为“%(status)s”，不能办理。") % {
            "status": complaint.get_status_display()
        }
    if action == "material":
        return _("已请投诉人补充材料，尚未收到，不能重复要求。")
    return _("办理期限只能延长一次。")


CODES = {"material": "requested", "extend": "extended"}


def complaint_check_state(complaint: Complaint, action: str) -> None:
    """ValidationError, saying why, unless the complaint's state allows `action`."""
    if not state_allows(complaint, action):
        if action in ("accept", "refuse", "transfer"):
            code = "decided"
        elif action == "refer":
            code = "not_found" if complaint.result not in FOUND else "referred"
        else:
            code = CODES.get(action) if _in_handling(complaint) else "not_in_handling"
        raise ValidationError(_state_refusal(complaint, action), code=code)


def complaint_actions(*, actor, complaint: Complaint) -> list[str]:
    """The actions `actor` may take on `complaint` now, in the order of the steps."""
    return [
        action
        for action in ACTIONS
        if state_allows(complaint, action)
        and complaint_may(actor=actor, complaint=complaint, action=action)
    ]


# --- the steps, as the complaint's page shows them --------------------------------------------


@dataclass
class Step:
    key: str
    title: str
    state: str  # "done", "current", "upcoming" or "skipped"
    when: date | datetime | None = None
    actions: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.state == "done"

    @property
    def current(self) -> bool:
        return self.state == "current"


TITLES = {
    "registered": gettext_lazy("登记"),
    "acknowledged": gettext_lazy("受理告知"),
    "decided": gettext_lazy("受理决定"),
    "handling": gettext_lazy("办理（含要求被投诉单位说明）"),
    "result": gettext_lazy("核查结论"),
    "feedback": gettext_lazy("反馈"),
    "closed": gettext_lazy("办结"),
}
# Which step each action moves forward (the page shows an action's form under its step).
STEP_OF = {
    "accept": "decided",
    "refuse": "decided",
    "transfer": "decided",
    "assign": "handling",
    "ask": "handling",
    "step": "handling",
    "material": "handling",
    "extend": "handling",
    "close": "result",
    "refer": "closed",
}


def _states(complaint: Complaint) -> dict[str, tuple[str, date | datetime | None]]:
    decided_at, closed_at = complaint.decided_at, complaint.closed_at
    # Refused or transferred: the complaint leaves this register after the decision.
    later = "skipped" if complaint.status in NOT_ACCEPTED else "upcoming"
    if complaint.status == Complaint.Status.CLOSED:
        handling = ("done", complaint.handling_started_on)
        result = feedback = closed = ("done", closed_at)
    elif _in_handling(complaint):
        handling = ("current", complaint.handling_started_on)
        result = ("current", None)  # the closing form (finding and feedback) is open now
        feedback = closed = ("upcoming", None)
    else:
        handling = result = feedback = closed = (later, None)
    # R16: the complainant is told whether it is accepted by the decision's own notice.
    decision = ("done", decided_at) if decided_at else ("current", None)
    return {
        "registered": ("done", complaint.registered_at),
        "acknowledged": decision,
        "decided": decision,
        "handling": handling,
        "result": result,
        "feedback": feedback,
        "closed": closed,
    }


def complaint_steps(*, actor, complaint: Complaint) -> list[Step]:
    """The seven steps of R15–R17 with their state for `complaint`, each carrying the actions
    `actor` may take on it now (`complaint_actions`, nothing re-decided here)."""
    steps = {
        key: Step(key=key, title=str(TITLES[key]), state=state, when=when)
        for key, (state, when) in _states(complaint).items()
    }
    for action in complaint_actions(actor=actor, complaint=complaint):
        steps[STEP_OF[action]].actions.append(action)
    return list(steps.values())
