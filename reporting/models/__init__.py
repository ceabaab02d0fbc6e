from .plans import Plan, PlanEvent, PlanItem, PlanProblem
from .reports import AnnualReport, Narrative, ReportEvent, Section
from .tallies import AgencyTally, MonthTally

__all__ = [
    "AgencyTally",
    "AnnualReport",
    "MonthTally",
    "Narrative",
    "Plan",
    "PlanEvent",
    "PlanItem",
    "PlanProblem",
    "ReportEvent",
    "Section",
]
