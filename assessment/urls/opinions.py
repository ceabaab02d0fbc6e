"""opinions: pages and API routes (R20: public opinion)."""

from django.urls import path

from ..api import opinions as api
from ..views import opinions as views

urlpatterns = [
    # The public's: no login.
    path("card/<int:agency_id>/", views.card, name="opinion-card"),
    path("card/<int:agency_id>/print/", views.card_print, name="opinion-card-print"),
    path("card/<int:agency_id>/results/", views.public_results, name="opinion-public-results"),
    # The supervisors'.
    path("opinions/new/", views.opinion_new, name="opinion-new"),
    path("opinions/moderation/", views.moderation_queue, name="opinion-queue"),
    path("opinions/<int:pk>/moderate/", views.moderate, name="opinion-moderate"),
    path("cycles/<int:pk>/opinions/", views.cycle_results, name="opinion-cycle-results"),
    path(
        "cycles/<int:pk>/opinions/<int:agency_id>/",
        views.cycle_agency_results,
        name="opinion-cycle-agency",
    ),
]
api_urlpatterns = [
    path("opinions/summary/", api.OpinionSummary.as_view(), name="assessment-opinion-summary"),
]
