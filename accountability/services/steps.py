"""R24: the steps of an accountability case and their time limits in working days, the region's
choice (`AccountabilityRules`, nearest region up the tree, else this portal's local defaults).

Every step change goes through `step_enter`, so the due date, its provisional mark and the
once-per-step reminder and escalation stay consistent.
"""

from datetime import date

from django.utils.timezone import localdate

from enforcement.models import Region
from workdays.deadlines import Deadline, add_working_days

from ..models import AccountabilityRules, Proceeding, ProceedingEvent

Step = Proceeding.Step

# Which of the rules' limits each step runs on (the notice step runs on notice_days until the
# notices are sent, then on the defence period, see defences).
STEP_LIMIT = {
    Step.HANDLING: "handling_days",
    Step.NOTICE: "notice_days",
    Step.DECISION: "decision_days",
    Step.TRANSFER: "transfer_days",
}


def rules_for(region: Region) -> AccountabilityRules:
    """The rules of `region` or of the nearest region above it, or an unsaved row holding this
    portal's defaults (a local choice, not the policy's)."""
    return region.nearest(AccountabilityRules.objects.all()) or AccountabilityRules(region=region)


def limit_days(proceeding: Proceeding, step: str) -> int:
    return getattr(rules_for(proceeding.agency.region), STEP_LIMIT[step])


def step_deadline(proceeding: Proceeding, step: str, start: date) -> Deadline:
    return add_working_days(start=start, days=limit_days(proceeding, step))


def step_enter(
    *,
    proceeding: Proceeding,
    step: str,
    actor,
    kind: str,
    note: str = "",
    start: date | None = None,
    due: Deadline | None = None,
) -> Proceeding:
    """Move the (locked) case to `step` from `start` (today), with its limit counted in working
    days, or `due` when the step waits on another period (the defence period); record it in the
    timeline as `kind`. The caller holds the row lock and has checked the step's rule."""
    start = start or localdate()
    proceeding.step = step
    proceeding.step_started_on = start
    if step == Step.CLOSED:
        proceeding.step_due_on, proceeding.step_due_provisional = None, False
    else:
        due = due or step_deadline(proceeding, step, start)
        proceeding.step_due_on, proceeding.step_due_provisional = due.deadline, due.provisional
    proceeding.full_clean()
    proceeding._history_user = actor
    proceeding.save()
    ProceedingEvent.objects.create(proceeding=proceeding, kind=kind, actor=actor, note=note)
    return proceeding
