from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ..views import site as views
from ..views.accounts import StaffLoginView

api_v1 = [
    path("workdays/", include("workdays.api.urls")),
    path("", include("enforcement.api.urls")),
    path("", include("complaints.api.urls")),
    path("assessment/", include("assessment.urls.api")),
    path("accountability/", include("accountability.urls.api")),
    path("typical-cases/", include("accountability.urls.public_api")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script from a URL: no inline script (CSP). Swagger UI's
    # stylesheet draws its icons as data: images, allowed on this page only.
    path(
        "docs/",
        csp_update({"img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
]

urlpatterns = [
    path("", include("portal.urls.site")),
    path("workdays/", include("workdays.urls")),
    path("powers/", include("enforcement.urls")),
    path("complaints/", include("complaints.urls")),
    path("cases/", include("enforcement.urls.cases")),
    path("disclosures/", include("enforcement.urls.disclosures")),
    path("assessment/", include("assessment.urls")),
    path("accountability/", include("accountability.urls")),
    path("typical-cases/", include("accountability.urls.public")),
    path("reports/", include("reporting.urls")),
    path("accounts/login/", StaffLoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("healthz", views.healthz, name="healthz"),
]

# Uploaded files (complaints' attachments, cases' records) are never served from a public URL,
# not even in development: each is downloaded through a view that checks who asks.

# Refusals in the user's language, in the portal's layout (JSON under /api/).
handler400 = "portal.errors.bad_request"
handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
