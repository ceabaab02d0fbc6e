from .plans import Plan, PlanEvent, PlanItem, PlanProblem
from .reports import AnnualReport, Narrative, ReportEvent, Section
from .tallies import MonthTally

__all__ = [
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
