"""Enforcement cases under /cases/ (namespace "cases"): the full-process record (R6)."""

app_name = "cases"

urlpatterns = []
