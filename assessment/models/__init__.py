"""Evaluation (评议考核, R19–R23): one module a concern.

cycles       the yearly cycle of a region, its local choices and its timeline
indicators   the weighted indicator scheme of a cycle (versioned by simple-history)
assignments  who evaluates whom (R19), derived from the agencies' management, never typed
evidence     special inspections and unannounced visits with photos; the computed figures
opinions     public opinion: evaluation cards, hotline, symposia, questionnaires (moderated)
scores       an evaluator's points per indicator with the evidence relied on
results      the department's result, its disclosure, award shares and rectification (R23)
officers     officers' records, yearly results, objections and consequences (R21, R22)
units        a department's evaluation of its internal units (R19)
"""

from .assignments import Assignment
from .cycles import Cycle, CycleEvent, Grade
from .evidence import AgencyFigures, Inspection, InspectionPhoto
from .indicators import Indicator
from .officers import (
    Measure,
    Objection,
    OfficerRecord,
    OfficerResult,
    RepeatDecision,
    ResultUse,
)
from .opinions import PublicOpinion
from .results import AgencyResult, RectificationOrder
from .scores import Score
from .units import UnitEvaluation

__all__ = [
    "AgencyFigures",
    "AgencyResult",
    "Assignment",
    "Cycle",
    "CycleEvent",
    "Grade",
    "Indicator",
    "Inspection",
    "InspectionPhoto",
    "Measure",
    "Objection",
    "OfficerRecord",
    "OfficerResult",
    "PublicOpinion",
    "RectificationOrder",
    "RepeatDecision",
    "ResultUse",
    "Score",
    "UnitEvaluation",
]
