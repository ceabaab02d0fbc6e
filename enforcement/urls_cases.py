"""Enforcement cases under /cases/ (namespace "cases"): the full-process record (R6)."""

from django.urls import path

from .views import cases as views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/records/", views.record_add, name="record-add"),
    path("<int:pk>/records/<int:rid>/correct/", views.record_correct, name="record-correct"),
    path("<int:pk>/records/<int:rid>/file/", views.record_file, name="record-file"),
    path("<int:pk>/advance/", views.advance, name="advance"),
]
