"""Accountability (责任追究): one module a topic."""

from .clues import Clue, ClueCounter, ClueEvent
from .cooperation import (
    BodyKind,
    CooperationExport,
    CooperationNotice,
    Referral,
    ReferralEvent,
)

__all__ = [
    "BodyKind",
    "Clue",
    "ClueCounter",
    "ClueEvent",
    "CooperationExport",
    "CooperationNotice",
    "Referral",
    "ReferralEvent",
]
