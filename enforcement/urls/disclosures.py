"""Public disclosure pages (R9) under /disclosures/ (namespace "disclosures")."""

from django.urls import path

from ..views import disclosures

app_name = "disclosures"

urlpatterns = [
    path("", disclosures.disclosure_list, name="list"),
    path("<int:pk>/", disclosures.disclosure_detail, name="detail"),
]
