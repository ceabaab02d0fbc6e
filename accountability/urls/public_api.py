"""The public API of typical cases (R18) under /api/v1/typical-cases/ (names in the "api"
namespace)."""

from django.urls import path

from portal.public_cache import cached_for_the_public

from ..api import typical as api

urlpatterns = [
    path("", cached_for_the_public(api.PublicTypicalList.as_view()), name="typical-case-list"),
    path(
        "<int:pk>/",
        cached_for_the_public(api.PublicTypicalDetail.as_view()),
        name="typical-case-detail",
    ),
]
