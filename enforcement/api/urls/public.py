"""The public power-list API, included at /api/v1/ (url names under the "api" namespace)."""

from django.urls import path

from portal.public_cache import cached_for_the_public

from .. import public

urlpatterns = [
    path("agencies/", cached_for_the_public(public.AgencyList.as_view()), name="agency-list"),
    path(
        "power-items/",
        cached_for_the_public(public.PowerItemList.as_view()),
        name="power-item-list",
    ),
    path(
        "power-items/<int:pk>/",
        cached_for_the_public(public.PowerItemDetail.as_view()),
        name="power-item-detail",
    ),
]
