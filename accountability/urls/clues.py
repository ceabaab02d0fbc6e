"""clues: pages and API routes (R26 clues; R13 a remedy outcome screened into a clue)."""

from django.urls import path

from ..api import clues as api
from ..views import clues as views
from ..views import intake

urlpatterns = [
    path("clues/", views.clue_list, name="clue-list"),
    path("clues/mine/", views.clue_queue, name="clue-queue"),
    path("clues/new/", views.clue_new, name="clue-new"),
    path("clues/<int:pk>/", views.clue_detail, name="clue-detail"),
    path("clues/<int:pk>/assign/", views.clue_assign_view, name="clue-assign"),
    path("clues/<int:pk>/close/", views.clue_close_view, name="clue-close"),
    path("complaints/<int:pk>/clue/", intake.complaint_clue, name="complaint-clue"),
    path("remedies/<int:pk>/clue/", intake.remedy_clue, name="remedy-clue"),
]
api_urlpatterns = [
    path("clues/", api.ClueList.as_view(), name="accountability-clues"),
    path("clues/<int:pk>/", api.ClueDetail.as_view(), name="accountability-clue"),
]
