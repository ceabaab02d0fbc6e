"""Public pages of typical cases (R18) under /typical-cases/ (namespace "typical-cases")."""

from django.urls import path

from ..views import typical as views

app_name = "typical-cases"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
]
