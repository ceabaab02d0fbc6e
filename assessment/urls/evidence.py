"""evidence: pages and API routes (R20: inspections and unannounced visits)."""

from django.urls import path

from ..api import evidence as api
from ..views import evidence as views

urlpatterns = [
    path("cycles/<int:pk>/inspections/", views.inspection_list, name="inspection-list"),
    path("cycles/<int:pk>/inspections/new/", views.inspection_new, name="inspection-new"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path(
        "inspections/<int:pk>/photos/<int:photo>/",
        views.inspection_photo,
        name="inspection-photo",
    ),
]
api_urlpatterns = [
    path(
        "cycles/<int:pk>/inspections/",
        api.CycleInspections.as_view(),
        name="assessment-cycle-inspections",
    ),
]
