"""Pages of the complaints app under /complaints/: the public's, then the staff's."""

from django.urls import include, path

app_name = "complaints"

urlpatterns = [
    path("", include("complaints.urls.public")),
    path("staff/", include("complaints.urls.staff")),
]
