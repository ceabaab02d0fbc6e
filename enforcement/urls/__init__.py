"""Pages of the enforcement app: the public list, staff workspaces, supervisors' pages."""

from django.urls import include, path

app_name = "enforcement"

urlpatterns = [
    path("", include("enforcement.urls.public")),
    path("staff/", include("enforcement.urls.staff")),
    path("supervision/", include("enforcement.urls.supervision")),
    path("imports/", include("enforcement.urls.imports")),
]
