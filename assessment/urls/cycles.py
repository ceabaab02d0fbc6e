"""cycles: pages and API routes."""

urlpatterns = []
api_urlpatterns = []
