"""/powers/imports/: agency staff import their power list from an Excel workbook."""

from django.urls import path

from ..views import imports as views

urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("template/", views.import_template, name="import_template"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/start/", views.import_start, name="import_start"),
    path("<int:pk>/status/", views.import_status, name="import_status"),
    path("<int:pk>/report/", views.import_report, name="import_report"),
]
