"""Pages of enforcement cases under /cases/ (namespace "cases"), added to urls/cases.py: fines
(R30) and the discretion report (R7)."""

from django.urls import path

from ..views import fines as views

urlpatterns: list = [
    path("<int:pk>/payments/", views.payment_add, name="payment-add"),
    path("fines/", views.fine_report, name="fine-report"),
    path("discretion/", views.discretion_report, name="discretion-report"),
]
