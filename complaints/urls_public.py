"""Public pages: channels (R14), filing, tracking (R16, R17)."""

from django.urls import path

from .views import public

urlpatterns = [
    path("channels/", public.channels, name="channels"),
]
