"""Pages of enforcement cases under /cases/ (namespace "cases"), added to urls_cases."""

urlpatterns: list = []
