"""Jurisdiction disputes between agencies (R8, R10): an agency raises one against another, the
other states its view once, the establishment office (机构编制部门) of the government over both
gives its opinion, and a supervisor over both records a binding decision with reasons."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from enforcement.models import Agency, Dispute, DisputeEvent
from enforcement.services.disputes import (
    dispute_answer,
    dispute_decide,
    dispute_give_opinion,
    dispute_raise,
    establishment_office_for,
)
from portal.roles import Role
from portal.services import user_assign_role
from tests.factories import AgencyFactory, UserFactory


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


def establishment_staff(region, username: str):
    """The staff of `region`'s establishment office (机构编制部门), made on first use."""
    office = Agency.objects.filter(region=region, is_establishment_office=True).first()
    office = office or AgencyFactory(
        name=f"{region.name}机构编制委员会办公室", region=region, is_establishment_office=True
    )
    user = UserFactory(username=username, name=username)
    return user_assign_role(user=user, role=Role.AGENCY_STAFF, agency=office, actor=None)


@pytest.fixture
def province_establishment(province):
    return establishment_staff(province, "province_establishment")


@pytest.fixture
def city_establishment(city_a):
    return establishment_staff(city_a, "city_a_establishment")


def opinion(dispute: Dispute, actor, text="建议由属地单位管辖。") -> Dispute:
    """R8: the establishment office's opinion, which the decision waits for."""
    return dispute_give_opinion(dispute=dispute, actor=actor, opinion=text)


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
    dispute, province_supervisor, agency_b, outsider_b, province_establishment
):
    """R10: the province over both cities records the binding decision with its reasons."""
    dispute_answer(dispute=dispute, actor=outsider_b, answer="应由甲市管辖。")
    opinion(dispute, province_establishment)
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
    agency_a, county_agency_a, inspector_a, city_supervisor, city_establishment
):
    """R10: city A's government covers agency A and the county agency under it."""
    dispute = opinion(raise_dispute(agency_a, county_agency_a, inspector_a), city_establishment)
    decided = dispute_decide(
        dispute=dispute, actor=city_supervisor, responsible=county_agency_a, decision="属地管辖。"
    )
    assert decided.responsible == county_agency_a


def test_the_decision_needs_reasons_and_an_agency_in_the_region(
    agency_a, county_agency_a, agency_b, inspector_a, city_supervisor, city_establishment
):
    """R10: no decision without reasons, nor naming an agency outside the supervisor's region."""
    dispute = opinion(raise_dispute(agency_a, county_agency_a, inspector_a), city_establishment)
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
    agency_a, county_agency_a, inspector_a, city_supervisor, city_establishment
):
    """R10: the decision is binding and final."""
    dispute = opinion(raise_dispute(agency_a, county_agency_a, inspector_a), city_establishment)
    dispute_decide(dispute=dispute, actor=city_supervisor, responsible=agency_a, decision="一")
    with pytest.raises(ValidationError):
        dispute_decide(
            dispute=dispute, actor=city_supervisor, responsible=county_agency_a, decision="二"
        )
    dispute.refresh_from_db()
    assert dispute.responsible == agency_a and dispute.decision == "一"


def test_the_timeline_keeps_each_step_with_its_actor(
    dispute, inspector_a, outsider_b, province_supervisor, agency_a, province_establishment
):
    """R8, R10: raised, answered, the establishment office's opinion and decided are kept with
    who did them."""
    dispute_answer(dispute=dispute, actor=outsider_b, answer="应由甲市管辖。")
    opinion(dispute, province_establishment)
    dispute_decide(
        dispute=dispute, actor=province_supervisor, responsible=agency_a, decision="由甲市管辖。"
    )
    steps = [(e.kind, e.actor) for e in dispute.timeline.order_by("at", "pk")]
    assert steps == [
        (DisputeEvent.Kind.RAISED, inspector_a),
        (DisputeEvent.Kind.ANSWERED, outsider_b),
        (DisputeEvent.Kind.OPINION, province_establishment),
        (DisputeEvent.Kind.DECIDED, province_supervisor),
    ]


def test_the_database_refuses_a_decision_without_reasons(dispute, agency_a):
    """R10: the check constraint refuses status decided without reasons."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Dispute.objects.filter(pk=dispute.pk).update(
            status=Dispute.Status.DECIDED,
            responsible=agency_a,
            decided_at=timezone.now(),
            opinion="意见",
        )


# --- R8: the establishment office's opinion comes before the decision -----------------------------


def test_the_decision_is_refused_until_the_establishment_office_gives_its_opinion(
    dispute, province_supervisor, agency_a, outsider_b, province_establishment
):
    """R8: disputes are coordinated by the establishment and the legal offices: the legal
    office's decision is refused, in Chinese, until the establishment office's opinion is in."""
    dispute_answer(dispute=dispute, actor=outsider_b, answer="应由甲市管辖。")
    with pytest.raises(ValidationError, match="机构编制部门尚未就该争议提出意见") as refused:
        dispute_decide(
            dispute=dispute,
            actor=province_supervisor,
            responsible=agency_a,
            decision="由甲市管辖。",
        )
    assert refused.value.code == "opinion_required"
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.ANSWERED and dispute.responsible is None
    opinion(dispute, province_establishment, "按机构职能规定，由甲市市场监督管理局查处。")
    decided = dispute_decide(
        dispute=dispute, actor=province_supervisor, responsible=agency_a, decision="由甲市管辖。"
    )
    assert decided.status == Dispute.Status.DECIDED
    assert decided.opinion == "按机构职能规定，由甲市市场监督管理局查处。"
    assert decided.opinion_office.name == "测试省机构编制委员会办公室"
    note = decided.timeline.get(kind=DisputeEvent.Kind.DECIDED).note
    assert "已听取测试省机构编制委员会办公室的意见" in note


def test_the_database_refuses_a_decision_without_the_opinion(dispute, agency_a):
    """R8: the check constraint refuses status decided without the establishment office's
    opinion."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Dispute.objects.filter(pk=dispute.pk).update(
            status=Dispute.Status.DECIDED,
            responsible=agency_a,
            decided_at=timezone.now(),
            decision="由甲市管辖。",
        )


def test_the_office_of_the_coordinating_government_gives_the_opinion(
    agency_a, county_agency_a, agency_b, inspector_a, city_establishment, province_establishment
):
    """R8: the opinion belongs to the establishment office of the nearest government over both
    agencies: city A's for a dispute inside city A, the province's between two cities."""
    inside = raise_dispute(agency_a, county_agency_a, inspector_a)
    across = raise_dispute(agency_a, agency_b, inspector_a, matter="跨市事项")
    assert establishment_office_for(inside).name == "甲市机构编制委员会办公室"
    assert establishment_office_for(across).name == "测试省机构编制委员会办公室"
    with pytest.raises(PermissionDenied, match="机构编制部门可以提出意见"):
        opinion(across, city_establishment)
    with pytest.raises(PermissionDenied):
        opinion(inside, province_establishment)
    assert opinion(inside, city_establishment).opinion_office.region.name == "甲市"


def test_without_an_office_in_its_region_the_one_above_gives_the_opinion(
    agency_a, county_agency_a, inspector_a, province_establishment
):
    """R8: city A has no establishment office on the platform: the province's gives it."""
    dispute = raise_dispute(agency_a, county_agency_a, inspector_a)
    assert opinion(dispute, province_establishment).opinion_office.region.level == "province"


def test_nobody_else_gives_the_opinion_and_it_is_given_once(
    dispute, inspector_a, outsider_b, province_supervisor, province_establishment
):
    """R8: neither party, nor a supervisor, speaks for the establishment office; its opinion is
    given once and then stands."""
    for actor in (inspector_a, outsider_b, province_supervisor):
        with pytest.raises(PermissionDenied):
            opinion(dispute, actor)
    opinion(dispute, province_establishment, "第一次意见")
    with pytest.raises(ValidationError, match="已经提出过意见"):
        opinion(dispute, province_establishment, "第二次意见")
    dispute.refresh_from_db()
    assert dispute.opinion == "第一次意见"
    assert dispute.opinion_by == province_establishment


def test_an_empty_or_scripted_opinion_is_refused(dispute, province_establishment):
    """R8: the opinion is text with its reasons; nothing is recorded otherwise."""
    for text in ("  ", "<script>alert(1)</script>"):
        with pytest.raises(ValidationError):
            opinion(dispute, province_establishment, text)
    dispute.refresh_from_db()
    assert dispute.opinion == "" and dispute.opinion_office is None
    assert not dispute.timeline.filter(kind=DisputeEvent.Kind.OPINION).exists()


def test_an_agency_cannot_be_both_establishment_and_legal_office(city_a):
    """R8: the two offices that coordinate are two bodies, one of each per region."""
    AgencyFactory(name="甲市编办", region=city_a, is_establishment_office=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyFactory(name="甲市编办二", region=city_a, is_establishment_office=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyFactory(
            name="测试省司法厅",
            region=city_a.parent,
            is_establishment_office=True,
            is_legal_office=True,
        )
