from django.urls import include, path

urlpatterns = [
    path("", include("enforcement.api.urls.public")),
    path("", include("enforcement.api.urls.disclosures")),
    path("staff/", include("enforcement.api.urls.staff")),
    path("staff/", include("enforcement.api.urls.cases")),
]
