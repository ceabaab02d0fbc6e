"""typical cases and training: staff pages and API routes (R18, R32). The public pages are in
`.public` (/typical-cases/), the public API in `.public_api` (/api/v1/typical-cases/)."""

from django.urls import path

from ..api import typical as api
from ..views import training
from ..views import typical as views

urlpatterns = [
    path("typical/", views.typical_list, name="typical-list"),
    path("cases/<int:pk>/typical/new/", views.typical_new, name="typical-new"),
    path("typical/<int:pk>/", views.typical_detail, name="typical-detail"),
    path("typical/<int:pk>/edit/", views.typical_edit, name="typical-edit"),
    path("typical/<int:pk>/submit/", views.typical_submit_view, name="typical-submit"),
    path("typical/<int:pk>/approve/", views.typical_approve_view, name="typical-approve"),
    path("typical/<int:pk>/return/", views.typical_return_view, name="typical-return"),
    path("typical/<int:pk>/circulate/", views.typical_circulate_view, name="typical-circulate"),
    path("training/", training.training_list, name="training-list"),
    path("training/new/", training.training_new, name="training-new"),
    path("training/<int:pk>/", training.training_detail, name="training-detail"),
]
api_urlpatterns = [
    path("typical-cases/", api.TypicalList.as_view(), name="accountability-typical-cases"),
    path(
        "typical-cases/<int:pk>/", api.TypicalDetail.as_view(), name="accountability-typical-case"
    ),
]
