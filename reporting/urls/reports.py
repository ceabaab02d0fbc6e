"""R31: the annual implementation report and its downloads."""

from django.urls import path

from ..views import reports

urlpatterns = [
    path("annual/", reports.report_list, name="report-list"),
    path("annual/<int:pk>/", reports.report_detail, name="report-detail"),
    path(
        "annual/<int:pk>/narrative/<slug:section>/",
        reports.narrative_edit,
        name="report-narrative",
    ),
    path("annual/<int:pk>/word/", reports.report_word, name="report-word"),
    path("annual/<int:pk>/pdf/", reports.report_pdf_view, name="report-pdf"),
    path("annual/<int:pk>/annex/", reports.report_annex, name="report-annex"),
]
