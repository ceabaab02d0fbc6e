"""Jurisdiction disputes between agencies (R8, R10): an agency raises one against another, the
other states its view once, and a supervisor over both records a binding decision with reasons."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from enforcement.models import Dispute, DisputeEvent
from enforcement.services.disputes import dispute_answer, dispute_decide, dispute_raise
from portal.roles import Role
from portal.services import user_assign_role
from tests.factories import UserFactory


def raise_dispute(raised_by, other, actor, *, matter="某路段占道经营的查处") -> Dispute:
    return dispute_raise(
        raised_by=raised_by,
        other=other,
        kind=Dispute.Kind.BOTH_DISCLAIM,
        matter=matter,
        statement="该事项属于对方的法定职责。",
        actor=actor,
    )


@pytest.fixture
def province_supervisor(province):
    user = UserFactory(username="province_supervisor", name="province_supervisor")
    return user_assign_role(user=user, role=Role.SUPERVISOR, region=province, actor=None)


@pytest.fixture
def dispute(agency_a, agency_b, inspector_a) -> Dispute:
    return raise_dispute(agency_a, agency_b, inspector_a)


def test_agency_staff_raise_a_dispute_against_another_agency(dispute, agency_a, agency_b):
    """R8: agency A's staff raise a dispute with agency B; it awaits B's statement."""
    assert dispute.raised_by == agency_a and dispute.other == agency_b
    assert dispute.status == Dispute.Status.RAISED


def test_an_outsider_cannot_raise_in_another_agencys_name(agency_a, agency_b, outsider_b):
    """R8: only an agency's own staff raise a dispute in its name."""
    with pytest.raises(PermissionDenied):
        raise_dispute(agency_a, agency_b, outsider_b)
    assert not Dispute.objects.exists()


def test_a_dispute_with_oneself_is_refused(agency_a, inspector_a):
    """R8: a dispute is between two different agencies, in the service and in the database."""
    with pytest.raises(ValidationError):
        raise_dispute(agency_a, agency_a, inspector_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dispute.objects.create(
            raised_by=agency_a,
            other=agency_a,
            kind=Dispute.Kind.BOTH_CLAIM,
            matter="x",
            statement="y",
            raised_by_user=inspector_a,
        )


def test_only_the_other_agency_answers_and_only_once(dispute, inspector_a, outsider_b):
    """R8: the other agency states its view, once; the raising agency cannot answer."""
    with pytest.raises(PermissionDenied):
        dispute_answer(dispute=dispute, actor=inspector_a, answer="我方意见")
    answered = dispute_answer(dispute=dispute, actor=outsider_b, answer="应由甲市管辖。")
    assert answered.status == Dispute.Status.ANSWERED
    with pytest.raises(ValidationError):
        dispute_answer(dispute=dispute, actor=outsider_b, answer="再次陈述")
    dispute.refresh_from_db()
    assert dispute.answer == "应由甲市管辖。"


def test_a_city_supervisor_cannot_decide_between_two_cities(dispute, city_supervisor, agency_a):
    """R10: the decision belongs to a government over both agencies; city A's is not over B."""
    with pytest.raises(PermissionDenied):
        dispute_decide(
            dispute=dispute, actor=city_supervisor, responsible=agency_a, decision="由甲市管辖。"
        )
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.RAISED


def test_a_province_supervisor_decides_between_two_cities(
    dispute, province_supervisor, agency_b, outsider_b
):
    """R10: the province over both cities records the binding decision with its reasons."""
    dispute_answer(dispute=dispute, actor=outsider_b, answer="应由甲市管辖。")
    decided = dispute_decide(
        dispute=dispute,
        actor=province_supervisor,
        responsible=agency_b,
        decision="依照法定职责，由丙市生态环境局管辖。",
    )
    assert decided.status == Dispute.Status.DECIDED
    assert decided.responsible == agency_b and decided.decided_by == province_supervisor
    assert decided.decided_at is not None


def test_a_city_supervisor_decides_between_the_city_and_its_county(
    agency_a, county_agency_a, inspector_a, city_supervisor
):
    """R10: city A's government covers agency A and the county agency under it."""
    dispute = raise_dispute(agency_a, county_agency_a, inspector_a)
    decided = dispute_decide(
        dispute=dispute, actor=city_supervisor, responsible=county_agency_a, decision="属地管辖。"
    )
    assert decided.responsible == county_agency_a


def test_the_decision_needs_reasons_and_an_agency_in_the_region(
    agency_a, county_agency_a, agency_b, inspector_a, city_supervisor
):
    """R10: no decision without reasons, nor naming an agency outside the supervisor's region."""
    dispute = raise_dispute(agency_a, county_agency_a, inspector_a)
    with pytest.raises(ValidationError) as reasons:
        dispute_decide(dispute=dispute, actor=city_supervisor, responsible=agency_a, decision=" ")
    assert "decision" in reasons.value.error_dict
    with pytest.raises(ValidationError) as outside:
        dispute_decide(
            dispute=dispute, actor=city_supervisor, responsible=agency_b, decision="由丙市管辖。"
        )
    assert "responsible" in outside.value.error_dict
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.RAISED and dispute.responsible is None


def test_a_decided_dispute_cannot_be_decided_again(
    agency_a, county_agency_a, inspector_a, city_supervisor
):
    """R10: the decision is binding and final."""
    dispute = raise_dispute(agency_a, county_agency_a, inspector_a)
    dispute_decide(dispute=dispute, actor=city_supervisor, responsible=agency_a, decision="一")
    with pytest.raises(ValidationError):
        dispute_decide(
            dispute=dispute, actor=city_supervisor, responsible=county_agency_a, decision="二"
        )
    dispute.refresh_from_db()
    assert dispute.responsible == agency_a and dispute.decision == "一"


def test_the_timeline_keeps_each_step_with_its_actor(
    dispute, inspector_a, outsider_b, province_supervisor, agency_a
):
    """R8, R10: raised, answered and decided are kept with who did them."""
    dispute_answer(dispute=dispute, actor=outsider_b, answer="应由甲市管辖。")
    dispute_decide(
        dispute=dispute, actor=province_supervisor, responsible=agency_a, decision="由甲市管辖。"
    )
    steps = [(e.kind, e.actor) for e in dispute.timeline.order_by("at", "pk")]
    assert steps == [
        (DisputeEvent.Kind.RAISED, inspector_a),
        (DisputeEvent.Kind.ANSWERED, outsider_b),
        (DisputeEvent.Kind.DECIDED, province_supervisor),
    ]


def test_the_database_refuses_a_decision_without_reasons(dispute, agency_a):
    """R10: the check constraint refuses status decided without reasons."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Dispute.objects.filter(pk=dispute.pk).update(
            status=Dispute.Status.DECIDED, responsible=agency_a, decided_at=timezone.now()
        )
