"""The accountability API under /api/v1/accountability/ (names in the "api" namespace, prefixed
"accountability-")."""

from . import TOPICS

urlpatterns = [pattern for topic in TOPICS for pattern in topic.api_urlpatterns]
