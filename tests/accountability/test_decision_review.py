"""R29: the sanctioned officer (or unit) asks for a review of the decision within the period,
once; a supervisor over the unit other than the decider decides it with reasons: upheld, the
sanction changed (its history kept) or revoked."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accountability.models import Decision, DecisionReview, ProceedingEvent, Sanction, SanctionKind
from accountability.services.reviews import review_decide, review_request
from enforcement.models import Officer
from tests.conftest import client_for

from . import test_decision, test_defence
from .test_decision import decide

case, defences = test_defence.case, test_defence.defences  # fixtures
ready = test_decision.ready

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(ready, colleague):
    """Decided by `colleague`: the officer's certificate suspended (outside the band)."""
    decide(
        ready,
        colleague,
        officer={"kind": SanctionKind.SUSPENSION, "justification": "后果较重。"},
    )
    return Sanction.objects.get(accused__officer__isnull=False)


def test_the_officer_asks_for_a_review_once_within_the_period(decided, inspector_a):
    """R29: the officer's own account asks, in writing, once."""
    review = review_request(sanction=decided, grounds="处理过重，请求复核。", actor=inspector_a)
    assert review.requested_by == inspector_a and review.due_on > timezone.localdate()
    with pytest.raises(ValidationError, match="不能重复申请"):
        review_request(sanction=decided, grounds="再次申请。", actor=inspector_a)
    assert DecisionReview.objects.count() == 1
    proceeding = decided.decision.proceeding
    assert proceeding.timeline.filter(kind=ProceedingEvent.Kind.REVIEW_REQUESTED).count() == 1


def test_a_review_asked_after_the_period_is_refused(decided, inspector_a):
    """R29: the review period (review_days working days) counts from the decision."""
    Decision.objects.update(decided_on=timezone.localdate() - timedelta(days=60))
    with pytest.raises(ValidationError, match="申请复核的期限已于"):
        review_request(sanction=decided, grounds="处理过重。", actor=inspector_a)
    assert not DecisionReview.objects.exists()


def test_nobody_else_asks_for_the_officers_review(decided, legal_office_a, outsider_b, colleague):
    """R29: only the sanctioned officer's own account."""
    for actor in (legal_office_a, outsider_b, colleague):
        with pytest.raises(PermissionDenied):
            review_request(sanction=decided, grounds="代为申请。", actor=actor)
    assert not DecisionReview.objects.exists()


def test_the_decider_cannot_review_their_own_decision(decided, inspector_a, colleague):
    """R29: the review is another supervisor's."""
    review = review_request(sanction=decided, grounds="处理过重。", actor=inspector_a)
    with pytest.raises(PermissionDenied, match="原决定人"):
        review_decide(review=review, outcome="revoked", reasons="撤销。", actor=colleague)
    review.refresh_from_db()
    assert review.outcome == ""


def test_a_review_without_reasons_is_refused(decided, inspector_a, city_supervisor):
    """R29: decided with reasons."""
    review = review_request(sanction=decided, grounds="处理过重。", actor=inspector_a)
    with pytest.raises(ValidationError, match="复核理由说明"):
        review_decide(review=review, outcome="upheld", reasons="", actor=city_supervisor)
    review.refresh_from_db()
    assert review.outcome == ""


def test_a_revoked_sanction_no_longer_counts_and_gives_the_certificate_back(
    decided, inspector_a, city_supervisor
):
    """R29: revoked, the sanction is marked so (it drops out of the evaluation) and the
    certificate it suspended is given back through the officers' service, with the reason."""
    review = review_request(sanction=decided, grounds="处理过重。", actor=inspector_a)
    review_decide(
        review=review, outcome="revoked", reasons="情节轻微，撤销。", actor=city_supervisor
    )
    decided.refresh_from_db()
    assert decided.revoked
    event = decided.decision.proceeding.timeline.get(kind=ProceedingEvent.Kind.REVIEWED)
    assert "已恢复" in event.note
    officer = Officer.objects.get()
    assert officer.certificate_status == Officer.CertificateStatus.VALID
    assert "经复核撤销处理" in officer.status_reason
    assert officer.history.first().history_user == city_supervisor


def test_a_certificate_taken_since_for_another_reason_stays_taken(
    decided, inspector_a, city_supervisor
):
    """R29: only the sanction's own measure is undone: a certificate withdrawn since for
    another reason (two unqualified years, R22) is not given back by the review."""
    Officer.objects.update(
        certificate_status=Officer.CertificateStatus.WITHDRAWN, status_reason="连续两年不合格"
    )
    review = review_request(sanction=decided, grounds="处理过重。", actor=inspector_a)
    review_decide(
        review=review, outcome="revoked", reasons="情节轻微，撤销。", actor=city_supervisor
    )
    officer = Officer.objects.get()
    assert officer.certificate_status == Officer.CertificateStatus.WITHDRAWN
    assert officer.status_reason == "连续两年不合格"
    event = decided.decision.proceeding.timeline.get(kind=ProceedingEvent.Kind.REVIEWED)
    assert "未予恢复" in event.note


def test_a_changed_sanction_keeps_its_history(decided, inspector_a, city_supervisor):
    """R29: changed to another kind on the same scale; the earlier kind stays in the history."""
    review = review_request(sanction=decided, grounds="处理过重。", actor=inspector_a)
    with pytest.raises(ValidationError, match="变更后处理"):
        review_decide(
            review=review,
            outcome="changed",
            reasons="改为通报。",
            new_kind=SanctionKind.CIRCULATED,
            actor=city_supervisor,
        )
    review_decide(
        review=review,
        outcome="changed",
        reasons="改为批评教育。",
        new_kind=SanctionKind.CRITICISM,
        actor=city_supervisor,
    )
    decided.refresh_from_db()
    assert decided.kind == SanctionKind.CRITICISM
    kinds = list(decided.history.order_by("history_date").values_list("kind", flat=True))
    assert kinds == [SanctionKind.SUSPENSION, SanctionKind.CRITICISM]


def test_the_review_is_asked_and_decided_on_the_pages(
    decided, inspector_a, city_supervisor, django_assert_max_num_queries
):
    """R29: the officer asks on the notice page; the reviewer sees the justification and the
    grounds on the decision page and decides there."""
    defence = decided.accused.defence
    officer = client_for(inspector_a)
    page = officer.get(reverse("accountability:defence-detail", args=[defence.pk]))
    assert "申请复核" in page.content.decode()
    url = reverse("accountability:review-request", args=[decided.pk])
    assert officer.post(url, {"grounds": ""}).status_code == 400
    assert officer.post(url, {"grounds": "处理过重。"}).status_code == 302
    review = DecisionReview.objects.get()
    reviewer = client_for(city_supervisor)
    decision_url = reverse("accountability:decision", args=[decided.decision.proceeding_id])
    with django_assert_max_num_queries(25):
        page = reviewer.get(decision_url)
    text = page.content.decode()
    assert "后果较重。" in text and "处理过重。" in text
    done = reviewer.post(
        reverse("accountability:review-decide", args=[review.pk]),
        {"outcome": "upheld", "reasons": "处理适当，维持。"},
    )
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.outcome == "upheld" and review.decided_by == city_supervisor
