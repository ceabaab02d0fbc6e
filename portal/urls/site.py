from django.urls import path
from django.views.generic import TemplateView

from ..views import dashboard, platform
from ..views import site as views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("workspace/", views.workspace, name="workspace"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/export.xlsx", dashboard.dashboard_export, name="dashboard-export"),
    path("language/", views.switch_language, name="language"),
    # R11: the supervision platform's data, for supervisors and the administrator.
    path("platform/agencies/", platform.agencies, name="platform-agencies"),
    path(
        "platform/agencies/export.xlsx", platform.agencies_export, name="platform-agencies-export"
    ),
    path("platform/officers/", platform.officers, name="platform-officers"),
    path(
        "platform/officers/export.xlsx", platform.officers_export, name="platform-officers-export"
    ),
    path("platform/cases/", platform.cases, name="platform-cases"),
    path("platform/cases/export.xlsx", platform.cases_export, name="platform-cases-export"),
    path("bench/trivial/", views.trivial, name="trivial"),
    # What search engines may index: the public pages, not the staff's (templates/robots.txt).
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]
