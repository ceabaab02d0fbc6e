"""Pages of the implementation plans and the yearly report under /reports/: one module a topic,
each with its `urlpatterns`."""

app_name = "reporting"

urlpatterns = []
