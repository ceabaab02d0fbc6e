from django.urls import include, path

urlpatterns = [
    path("", include("enforcement.api.public_urls")),
    path("staff/", include("enforcement.api.staff_urls")),
]
