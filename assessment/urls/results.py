"""results: scoring by evaluators (R20), the departments' results, disclosure, award quotas,
rectification (R23), exports and print; their API."""

from django.urls import path

from ..api import results as api
from ..views import exports, rectification, results, scoring

urlpatterns = [
    path("scoring/", scoring.assignments, name="scoring"),
    path("scoring/<int:pk>/", scoring.sheet, name="scoring-sheet"),
    path("cycles/<int:pk>/results/", results.cycle_results, name="cycle-results"),
    path("cycles/<int:pk>/results/compute/", results.compute, name="results-compute"),
    path("cycles/<int:pk>/results/disclose/", results.disclose, name="results-disclose"),
    path("cycles/<int:pk>/results/awards/", results.awards, name="results-awards"),
    path("cycles/<int:pk>/results/export/", exports.results_workbook, name="results-export"),
    path("agency-results/<int:pk>/print/", results.result_print, name="result-print"),
    path("agency-results/<int:pk>/rectification/", rectification.order, name="rectification-order"),
    path("rectifications/<int:pk>/", rectification.detail, name="rectification"),
    path("rectifications/<int:pk>/close/", rectification.close, name="rectification-close"),
    path("rectifications/<int:pk>/evidence/", rectification.evidence, name="rectification-file"),
    path("results/", results.public_index, name="public-results"),
    path("results/<int:pk>/", results.public_cycle, name="public-cycle-results"),
]

api_urlpatterns = [
    path("cycles/<int:pk>/results/", api.CycleResults.as_view(), name="assessment-cycle-results"),
    path("cycles/<int:pk>/scores/", api.CycleScores.as_view(), name="assessment-cycle-scores"),
    path("public/results/", api.PublicResults.as_view(), name="assessment-public-results"),
]
