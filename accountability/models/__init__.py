"""Accountability (责任追究): one module a topic."""

from .clues import Clue, ClueCounter, ClueEvent
from .cooperation import (
    BodyKind,
    CooperationExport,
    CooperationNotice,
    Referral,
    ReferralEvent,
)
from .decisions import Decision, DecisionReview, Sanction
from .defences import Defence
from .proceedings import (
    Accused,
    Proceeding,
    ProceedingEvent,
    ProceedingEvidence,
    ResponsibilityShare,
)
from .reports import Proposal, Report
from .rules import (
    OFFICER_SCALE,
    UNIT_SCALE,
    AccountabilityRules,
    Consequence,
    Fault,
    Impact,
    SanctionBand,
    SanctionKind,
)
from .transfers import Transfer
from .typical import TrainingSession, TypicalCase

__all__ = [
    "Decision",
    "DecisionReview",
    "Sanction",
    "Defence",
    "Accused",
    "Proceeding",
    "ProceedingEvent",
    "ProceedingEvidence",
    "ResponsibilityShare",
    "Proposal",
    "Report",
    "OFFICER_SCALE",
    "UNIT_SCALE",
    "AccountabilityRules",
    "Consequence",
    "Fault",
    "Impact",
    "SanctionBand",
    "SanctionKind",
    "Transfer",
    "TrainingSession",
    "TypicalCase",
    "BodyKind",
    "Clue",
    "ClueCounter",
    "ClueEvent",
    "CooperationExport",
    "CooperationNotice",
    "Referral",
    "ReferralEvent",
]
