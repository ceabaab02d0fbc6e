"""units: pages and API routes."""

urlpatterns = []
api_urlpatterns = []
