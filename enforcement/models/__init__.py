"""The enforcement app's models, one module per concern."""

from .bases import BasisChange, LegalBasis
from .delegations import Delegation
from .imports import ImportJob
from .powers import (
    DiscretionTier,
    PowerItem,
    PowerItemBasis,
    PowerItemEvent,
    PublishedPowerItem,
    RevisionTask,
)
from .subjects import (
    Agency,
    AgencyGroupObjectPermission,
    AgencyUserObjectPermission,
    EnforcementDomain,
    Officer,
    Region,
)

__all__ = [
    "Agency",
    "AgencyGroupObjectPermission",
    "AgencyUserObjectPermission",
    "BasisChange",
    "Delegation",
    "DiscretionTier",
    "EnforcementDomain",
    "ImportJob",
    "LegalBasis",
    "Officer",
    "PowerItem",
    "PowerItemBasis",
    "PowerItemEvent",
    "PublishedPowerItem",
    "Region",
    "RevisionTask",
]
