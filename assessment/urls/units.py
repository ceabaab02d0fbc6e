"""units: pages and API routes (R19: a department's evaluation of its internal units)."""

from django.urls import path

from ..views import units as views

urlpatterns = [
    path("cycles/<int:pk>/units/<int:agency>/", views.unit_list, name="unit-list"),
    path(
        "cycles/<int:pk>/units/evaluations/<int:uid>/",
        views.unit_evaluate_view,
        name="unit-evaluate",
    ),
]
api_urlpatterns = []
