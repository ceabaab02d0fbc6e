"""R26, R13: records elsewhere in the portal become clues in one action.

- a substantiated complaint's referral to accountability (complaints' `complaint_refer`) and the
  clue it becomes, in one transaction: either both happen or neither;
- R13: screening a flagged reconsideration or litigation outcome (enforcement's `remedy_screen`)
  and opening a clue from it, likewise.

Accountability calls complaints and enforcement, never the reverse.
"""

from django.db import transaction
from django.utils.timezone import localdate

from complaints.models import Complaint
from complaints.services.handling import complaint_refer
from enforcement.models import RemedyOutcome
from enforcement.services.remedies import remedy_screen

from ..models import Clue
from .clues import clue_register
from .tracing import complaint_trace


@transaction.atomic
def clue_from_complaint(*, complaint: Complaint, note: str, actor) -> Clue:
    """R26: refer a substantiated complaint and register it as a clue against its agency; R27: the
    complaint's history is traced in the same transaction (`Clue.traces` lists what it opened)."""
    complaint = complaint_refer(complaint=complaint, actor=actor, note=note)
    complaint = Complaint.objects.select_related("agency__region").get(pk=complaint.pk)
    clue = clue_register(
        region=actor.region,
        agency=complaint.agency,
        source=Clue.Source.COMPLAINT,
        summary=note,
        received_on=localdate(),
        actor=actor,
        complaint=complaint,
    )
    complaint_trace(complaint=complaint, actor=actor)
    return clue


@transaction.atomic
def clue_from_remedy(*, outcome: RemedyOutcome, note: str, actor) -> Clue:
    """R13: screen a flagged outcome and open a clue from it, in one action."""
    outcome = remedy_screen(outcome=outcome, actor=actor, note=note)
    outcome = RemedyOutcome.objects.select_related("case__agency__region").get(pk=outcome.pk)
    return clue_register(
        region=actor.region,
        agency=outcome.case.agency,
        source=Clue.Source.REMEDY,
        summary=note,
        received_on=localdate(),
        actor=actor,
        remedy_outcome=outcome,
    )
