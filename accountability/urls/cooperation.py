"""cooperation: pages and API routes (R12 referrals to and from supervision and audit bodies,
notices, shared-information exports)."""

from django.urls import path

from ..api import cooperation as api
from ..views import cooperation as views

urlpatterns = [
    path("cooperation/referrals/", views.referral_list, name="referral-list"),
    path("cooperation/referrals/send/", views.referral_send_view, name="referral-send"),
    path("cooperation/referrals/receive/", views.referral_receive_view, name="referral-receive"),
    path("cooperation/referrals/<int:pk>/", views.referral_detail, name="referral-detail"),
    path(
        "cooperation/referrals/<int:pk>/receipt/",
        views.referral_receipt_view,
        name="referral-receipt",
    ),
    path(
        "cooperation/referrals/<int:pk>/outcome/",
        views.referral_outcome_view,
        name="referral-outcome",
    ),
    path("cooperation/notices/", views.notice_list, name="notice-list"),
    path("cooperation/exports/", views.export_list, name="export-list"),
    path(
        "cooperation/exports/<int:pk>/<str:kind>/",
        views.export_download,
        name="export-download",
    ),
]
api_urlpatterns = [
    path("referrals/", api.ReferralList.as_view(), name="accountability-referrals"),
    path("referrals/<int:pk>/", api.ReferralDetail.as_view(), name="accountability-referral"),
]
