"""Pages of the enforcement app: the public list, staff workspaces, supervisors' pages."""

from django.urls import include, path

app_name = "enforcement"

urlpatterns = [
    path("", include("enforcement.urls_public")),
    path("staff/", include("enforcement.urls_staff")),
    path("supervision/", include("enforcement.urls_supervision")),
    path("imports/", include("enforcement.urls_imports")),
]
