"""decisions: the notices and defences (R29), the decision and its review (R24, R28, R29), and
the transfers with their receipts (R24): pages and API routes."""

from django.urls import path

from ..api import decisions as api_decisions
from ..api import defences as api_defences
from ..api import transfers as api_transfers
from ..views import decisions, defences, reviews, transfers

urlpatterns = [
    path("defences/", defences.defence_list, name="defence-list"),
    path("defences/<int:pk>/", defences.defence_detail, name="defence-detail"),
    path("sanctions/<int:pk>/review/", defences.review_request_view, name="review-request"),
    path("cases/<int:pk>/notice/", decisions.notice_send_view, name="notice-send"),
    path("cases/<int:pk>/decision/", decisions.decision_page, name="decision"),
    path("reviews/<int:pk>/decide/", reviews.review_decide_view, name="review-decide"),
    path("cases/<int:pk>/transfers/", transfers.transfers_page, name="transfers"),
    path("cases/<int:pk>/transfers/close/", transfers.transfer_close_view, name="transfer-close"),
    path("transfers/<int:pk>/receipt/", transfers.transfer_receipt_view, name="transfer-receipt"),
]
api_urlpatterns = [
    path("defences/", api_defences.DefenceList.as_view(), name="accountability-defences"),
    path("defences/<int:pk>/", api_defences.DefenceDetail.as_view(), name="accountability-defence"),
    path("decisions/", api_decisions.DecisionList.as_view(), name="accountability-decisions"),
    path(
        "decisions/<int:pk>/",
        api_decisions.DecisionDetail.as_view(),
        name="accountability-decision",
    ),
    path("transfers/", api_transfers.TransferList.as_view(), name="accountability-transfers"),
    path(
        "transfers/<int:pk>/",
        api_transfers.TransferDetail.as_view(),
        name="accountability-transfer",
    ),
]
