"""Enforcement cases under /cases/ (namespace "cases"): the full-process record (R6)."""

from django.urls import path

from .views import cases as views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("reviews/", views.review_list, name="reviews"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/records/", views.record_add, name="record-add"),
    path("<int:pk>/records/<int:rid>/correct/", views.record_correct, name="record-correct"),
    path("<int:pk>/records/<int:rid>/file/", views.record_file, name="record-file"),
    path("<int:pk>/advance/", views.advance, name="advance"),
    path("<int:pk>/decision/", views.decision_save_view, name="decision-save"),
    path("<int:pk>/decision/submit/", views.decision_submit_view, name="decision-submit"),
    path("<int:pk>/decision/issue/", views.decision_issue_view, name="decision-issue"),
    path("<int:pk>/decision/review/", views.review_record, name="review"),
]
