from .plans import Plan, PlanEvent, PlanItem, PlanProblem
from .reports import AnnualReport, Narrative, ReportEvent, Section

__all__ = [
    "AnnualReport",
    "Narrative",
    "Plan",
    "PlanEvent",
    "PlanItem",
    "PlanProblem",
    "ReportEvent",
    "Section",
]
