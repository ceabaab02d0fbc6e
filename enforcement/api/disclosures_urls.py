"""The public API of disclosed decisions (R9), under /api/v1/."""

urlpatterns: list = []
