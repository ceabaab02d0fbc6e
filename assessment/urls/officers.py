"""officers (R21, R22): pages and API routes."""

from django.urls import path

from ..api import officers as api
from ..views import officers as views

urlpatterns = [
    path("cycles/<int:pk>/officer-results/", views.results, name="officer-results"),
    path("cycles/<int:pk>/officer-results/compute/", views.compute, name="officer-results-compute"),
    path("cycles/<int:pk>/officer-results/publish/", views.publish, name="officer-results-publish"),
    path("officer-results/<int:pk>/", views.result_detail, name="officer-result"),
    path("officer-results/<int:pk>/sheet/", views.result_sheet, name="officer-result-sheet"),
    path("officer-results/<int:pk>/measures/", views.measure_create, name="measure-order"),
    path("officer-results/<int:pk>/uses/", views.use_create, name="result-use-record"),
    path("measures/<int:pk>/complete/", views.measure_done, name="measure-complete"),
    path("officers/<int:pk>/records/", views.records, name="officer-records"),
    path("my-results/", views.mine, name="my-officer-results"),
    path("my-results/<int:pk>/objection/", views.objection_create, name="objection-file"),
    path("officer-queue/", views.queue, name="officer-queue"),
    path("objections/<int:pk>/", views.objection, name="objection"),
    path("repeat-decisions/<int:pk>/", views.repeat_decision, name="repeat-decision"),
]

api_urlpatterns = [
    path(
        "cycles/<int:pk>/officer-results/",
        api.CycleOfficerResults.as_view(),
        name="assessment-cycle-officer-results",
    ),
    path("objections/", api.Objections.as_view(), name="assessment-objections"),
]
