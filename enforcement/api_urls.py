from django.urls import include, path

urlpatterns = [
    path("", include("enforcement.api.public_urls")),
    path("", include("enforcement.api.disclosures_urls")),
    path("staff/", include("enforcement.api.staff_urls")),
    path("staff/", include("enforcement.api.cases_urls")),
]
