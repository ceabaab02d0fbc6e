"""Staff pages under /complaints/staff/: the register, decisions, handling, early warnings."""

from django.urls import path

from ..views import staff

urlpatterns = [
    path("", staff.register, name="staff-register"),
    path("new/", staff.register_new, name="staff-new"),
    path("export.xlsx", staff.export, {"fmt": "xlsx"}, name="staff-export-xlsx"),
    path("export.csv", staff.export, {"fmt": "csv"}, name="staff-export-csv"),
    path("warnings/", staff.warnings, name="staff-warnings"),
    path("requests/", staff.requests_list, name="staff-requests"),
    path("requests/<int:pk>/", staff.request_detail, name="staff-request"),
    path("<int:pk>/", staff.detail, name="staff-detail"),
    path("<int:pk>/attachments/<int:aid>/", staff.attachment, name="staff-attachment"),
    path("<int:pk>/<slug:name>/", staff.action, name="staff-action"),
]
