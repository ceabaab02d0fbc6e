"""proceedings: the accountability case's first half (R24 handling and report, R25 the shares of
responsibility, R28 the band): pages and API routes."""

from django.urls import path

from ..api import proceedings as api
from ..views import proceedings as views

urlpatterns = [
    path("cases/", views.case_list, name="case-list"),
    path("cases/mine/", views.case_queue, name="case-queue"),
    path("clues/<int:pk>/open-case/", views.case_open, name="case-open"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/investigate/", views.case_investigate, name="case-investigate"),
    path("cases/<int:pk>/evidence/", views.case_evidence, name="case-evidence"),
    path(
        "cases/<int:pk>/evidence/<int:eid>/",
        views.case_evidence_download,
        name="case-evidence-download",
    ),
    path("cases/<int:pk>/shares/", views.case_shares, name="case-shares"),
    path("cases/<int:pk>/report/", views.case_report, name="case-report"),
]
api_urlpatterns = [
    path("cases/", api.ProceedingList.as_view(), name="accountability-cases"),
    path("cases/<int:pk>/", api.ProceedingDetail.as_view(), name="accountability-case"),
    path(
        "cases/<int:pk>/report/",
        api.ProceedingReport.as_view(),
        name="accountability-case-report",
    ),
]
