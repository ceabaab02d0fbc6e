"""The public power list, under /powers/ (namespace "enforcement")."""

from django.urls import path, re_path

from ..views import public

urlpatterns = [
    path("", public.index, name="public-index"),
    path("regions/<str:code>/", public.region, name="public-region"),
    path("agencies/<int:pk>/", public.agency, name="public-agency"),
    path("agencies/<int:pk>/withdrawn/", public.agency_withdrawn, name="public-agency-withdrawn"),
    path("items/<int:pk>/", public.item, name="public-item"),
    re_path(r"^export\.(?P<fmt>xlsx|csv)$", public.export, name="public-export"),
]
