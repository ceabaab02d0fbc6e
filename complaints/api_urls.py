"""The complaints API under /api/v1/ (public intake and tracking, scoped staff endpoints)."""

urlpatterns = []
