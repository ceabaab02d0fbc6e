"""Pages of accountability under /accountability/: one module a topic, each with its
`urlpatterns` (pages) and `api_urlpatterns` (under /api/v1/accountability/, see `.api`)."""

from . import clues, cooperation, decisions, proceedings, tracing, typical

app_name = "accountability"

TOPICS = (clues, tracing, cooperation, proceedings, decisions, typical)

urlpatterns = [pattern for topic in TOPICS for pattern in topic.urlpatterns]
