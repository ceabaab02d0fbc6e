"""The public power-list API, included at /api/v1/ (url names under the "api" namespace)."""

from django.urls import path

from . import public

urlpatterns = [
    path("power-items/", public.PowerItemList.as_view(), name="power-item-list"),
    path("power-items/<int:pk>/", public.PowerItemDetail.as_view(), name="power-item-detail"),
]
