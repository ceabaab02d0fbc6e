"""Pages of the implementation plans and the yearly report under /reports/: one module a topic,
each with its `urlpatterns`."""

from . import plans, reports

app_name = "reporting"

TOPICS = (plans, reports)

urlpatterns = [pattern for topic in TOPICS for pattern in topic.urlpatterns]
