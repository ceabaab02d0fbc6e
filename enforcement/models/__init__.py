"""The enforcement app's models, one module per concern."""

from .bases import BasisChange, LegalBasis
from .cases import Case, CaseEvent, CaseOfficer, CaseRecord, EvidenceType, Party, Stage
from .decisions import Decision, Ground, LegalReview, MajorDecisionCriteria, MajorDecisionType
from .delegations import Delegation
from .disclosures import DecisionDisclosure
from .discretion_trials import TRIAL_CATEGORIES, DiscretionTrial
from .disputes import Dispute, DisputeEvent
from .file_reviews import CHECKLIST, CaseFileChecklist, CaseFileReview
from .fines import CollectingBank, FinePayment
from .imports import ImportJob
from .levels import LevelSplit
from .numbering import DocumentCounter, DocumentNumbering
from .powers import (
    DiscretionTier,
    PowerItem,
    PowerItemBasis,
    PowerItemEvent,
    PublishedPowerItem,
    RevisionTask,
)
from .remedies import RemedyOutcome
from .subjects import (
    Agency,
    AgencyGroupObjectPermission,
    AgencyUserObjectPermission,
    EnforcementDomain,
    Officer,
    Region,
)

__all__ = [
    "DiscretionTrial",
    "DocumentCounter",
    "DocumentNumbering",
    "LevelSplit",
    "TRIAL_CATEGORIES",
    "RemedyOutcome",
    "FinePayment",
    "DecisionDisclosure",
    "CollectingBank",
    "CaseFileReview",
    "CaseFileChecklist",
    "Ground",
    "MajorDecisionType",
    "CHECKLIST",
    "Agency",
    "AgencyGroupObjectPermission",
    "AgencyUserObjectPermission",
    "BasisChange",
    "Case",
    "CaseEvent",
    "CaseOfficer",
    "CaseRecord",
    "Decision",
    "Delegation",
    "Dispute",
    "DisputeEvent",
    "DiscretionTier",
    "EnforcementDomain",
    "EvidenceType",
    "ImportJob",
    "LegalBasis",
    "LegalReview",
    "MajorDecisionCriteria",
    "Officer",
    "Party",
    "PowerItem",
    "PowerItemBasis",
    "PowerItemEvent",
    "PublishedPowerItem",
    "Region",
    "RevisionTask",
    "Stage",
]
