"""Enforcement cases under /cases/ (namespace "cases"): the full-process record (R6)."""

from django.urls import path

from ..views import cases as views
from ..views import disputes, documents
from .fines import urlpatterns as fines
from .remedies import urlpatterns as remedies

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("reviews/", views.review_list, name="reviews"),
    path("disputes/", disputes.dispute_list, name="disputes"),
    path("disputes/new/", disputes.dispute_new, name="dispute-new"),
    path("disputes/<int:pk>/", disputes.dispute_detail, name="dispute"),
    path("disputes/<int:pk>/answer/", disputes.dispute_answer_view, name="dispute-answer"),
    path("disputes/<int:pk>/opinion/", disputes.dispute_opinion_view, name="dispute-opinion"),
    path("disputes/<int:pk>/decide/", disputes.dispute_decide_view, name="dispute-decide"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/records/", views.record_add, name="record-add"),
    path("<int:pk>/records/<int:rid>/correct/", views.record_correct, name="record-correct"),
    path("<int:pk>/records/<int:rid>/file/", views.record_file, name="record-file"),
    path("<int:pk>/advance/", views.advance, name="advance"),
    path("<int:pk>/decision/", views.decision_save_view, name="decision-save"),
    path("<int:pk>/decision/submit/", views.decision_submit_view, name="decision-submit"),
    path("<int:pk>/decision/issue/", views.decision_issue_view, name="decision-issue"),
    path("<int:pk>/decision/review/", views.review_record, name="review"),
    path("<int:pk>/decision/mark/", views.decision_mark_view, name="decision-mark"),
    path("<int:pk>/decision/unmark/", views.decision_unmark_view, name="decision-unmark"),
    # Printable documents (issue 14): the decision in the official format, and the case file.
    path("<int:pk>/decision/print/", documents.decision_print, name="decision-print"),
    path("<int:pk>/decision/pdf/", documents.decision_pdf, name="decision-pdf"),
    path("<int:pk>/print/", documents.case_file_print, name="file-print"),
    # Fines (R30) and the discretion report (R7); closing, remedies (R13) and file reviews.
    *fines,
    *remedies,
]
