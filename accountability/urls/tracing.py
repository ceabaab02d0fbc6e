"""tracing: the reverse-tracing button on a complaint-sourced clue (R27)."""

from django.urls import path

from ..views import tracing as views

urlpatterns = [
    path("clues/<int:pk>/trace/", views.clue_trace_view, name="clue-trace"),
]
api_urlpatterns = []
