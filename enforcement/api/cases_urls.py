"""The scoped staff API of enforcement cases, under /api/v1/staff/."""

urlpatterns: list = []
