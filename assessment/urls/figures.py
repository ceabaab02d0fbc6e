"""figures (R20): the computed figures of a cycle, the page and the API."""

from django.urls import path

from ..api import figures as api
from ..views import figures as views

urlpatterns = [
    path("cycles/<int:pk>/figures/", views.figures, name="cycle-figures"),
    path("cycles/<int:pk>/figures/compute/", views.figures_compute, name="cycle-figures-compute"),
]
api_urlpatterns = [
    path(
        "cycles/<int:pk>/figures/",
        api.CycleFiguresList.as_view(),
        name="assessment-cycle-figures",
    ),
]
