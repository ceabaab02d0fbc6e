from .plans import Plan, PlanEvent, PlanItem, PlanProblem
from .reports import AnnualReport, Narrative, ReportEvent, Section
from .tallies import AgencyTally, DiscretionTally, MonthTally

__all__ = [
    "AgencyTally",
    "AnnualReport",
    "DiscretionTally",
    "MonthTally",
    "Narrative",
    "Plan",
    "PlanEvent",
    "PlanItem",
    "PlanProblem",
    "ReportEvent",
    "Section",
]
