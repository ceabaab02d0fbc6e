"""cycles: pages and API routes (R19, R20)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from ..api import cycles as api
from ..views import cycles as views

urlpatterns = [
    path("cycles/", views.cycle_list, name="cycle-list"),
    path("cycles/new/", views.cycle_open, name="cycle-open"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle-detail"),
    path("cycles/<int:pk>/refresh/", views.cycle_refresh, name="cycle-refresh"),
    path("cycles/<int:pk>/close/", views.cycle_close, name="cycle-close"),
    path("cycles/<int:pk>/indicators/new/", views.indicator_new, name="indicator-new"),
    path(
        "cycles/<int:pk>/indicators/versions/",
        views.indicator_versions,
        name="indicator-versions",
    ),
    path("cycles/<int:pk>/indicators/<int:iid>/", views.indicator_edit, name="indicator-edit"),
    path(
        "cycles/<int:pk>/indicators/<int:iid>/remove/",
        views.indicator_remove,
        name="indicator-remove",
    ),
    path(
        "cycles/<int:pk>/assignments/<int:aid>/opinion/",
        views.assignment_opinion,
        name="assignment-opinion",
    ),
]

router = SimpleRouter()
router.register("cycles", api.CycleViewSet, basename="assessment-cycle")
api_urlpatterns = router.urls
