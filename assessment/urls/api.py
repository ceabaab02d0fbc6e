"""The evaluation API under /api/v1/assessment/ (names in the "api" namespace, prefixed
"assessment-")."""

from . import TOPICS

urlpatterns = [pattern for topic in TOPICS for pattern in topic.api_urlpatterns]
