"""Pages of evaluation under /assessment/: one module a topic, each with its `urlpatterns` (pages)
and `api_urlpatterns` (under /api/v1/assessment/, see `assessment.urls.api`)."""

from . import cycles, evidence, figures, officers, opinions, results, units

app_name = "assessment"

TOPICS = (cycles, evidence, figures, opinions, results, officers, units)

urlpatterns = [pattern for topic in TOPICS for pattern in topic.urlpatterns]
