"""The scoped staff API of enforcement cases, under /api/v1/staff/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from ..cases import CaseDecisionViewSet, CaseRecordViewSet, CaseViewSet, LegalReviewQueueViewSet

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="staff-case")
router.register("legal-reviews", LegalReviewQueueViewSet, basename="staff-legal-review")

records = CaseRecordViewSet.as_view({"get": "list", "post": "create"})
record_correct = CaseRecordViewSet.as_view({"post": "correct"})
record_file = CaseRecordViewSet.as_view({"get": "download"})
decision = CaseDecisionViewSet.as_view({"get": "retrieve", "put": "update"})
decision_submit = CaseDecisionViewSet.as_view({"post": "submit"})
decision_issue = CaseDecisionViewSet.as_view({"post": "issue"})
reviews = CaseDecisionViewSet.as_view({"get": "reviews", "post": "review"})
decision_mark = CaseDecisionViewSet.as_view({"post": "mark"})
decision_unmark = CaseDecisionViewSet.as_view({"post": "unmark"})

urlpatterns = [
    path("cases/<int:pk>/records/", records, name="staff-case-records"),
    path(
        "cases/<int:pk>/records/<int:rid>/correct/",
        record_correct,
        name="staff-case-record-correct",
    ),
    path("cases/<int:pk>/records/<int:rid>/file/", record_file, name="staff-case-record-file"),
    path("cases/<int:pk>/decision/", decision, name="staff-case-decision"),
    path("cases/<int:pk>/decision/submit/", decision_submit, name="staff-case-decision-submit"),
    path("cases/<int:pk>/decision/issue/", decision_issue, name="staff-case-decision-issue"),
    path("cases/<int:pk>/decision/reviews/", reviews, name="staff-case-decision-reviews"),
    path("cases/<int:pk>/decision/mark/", decision_mark, name="staff-case-decision-mark"),
    path("cases/<int:pk>/decision/unmark/", decision_unmark, name="staff-case-decision-unmark"),
    *router.urls,
]
