"""Public disclosure pages (R9) under /disclosures/ (namespace "disclosures")."""

app_name = "disclosures"

urlpatterns: list = []
