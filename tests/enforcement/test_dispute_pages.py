"""The staff pages of jurisdiction disputes (R8, R10): raising one, the other agency's answer,
the establishment office's opinion, the supervisor's binding decision, and each agency seeing
only its own disputes."""

import pytest
from django.urls import reverse

from enforcement.models import Dispute, DisputeEvent
from enforcement.services.disputes import dispute_answer
from portal.roles import Role
from portal.services import user_assign_role
from tests.conftest import client_for
from tests.enforcement.test_disputes import establishment_staff, opinion, raise_dispute
from tests.factories import AgencyFactory, UserFactory


@pytest.fixture
def province_supervisor(province):
    user = UserFactory(username="province_supervisor", name="province_supervisor")
    return user_assign_role(user=user, role=Role.SUPERVISOR, region=province, actor=None)


@pytest.fixture
def third_staff(city_b):
    agency = AgencyFactory(name="丙市交通运输局", region=city_b)
    user = UserFactory(username="third_staff", name="third_staff")
    return user_assign_role(user=user, role=Role.AGENCY_STAFF, agency=agency, actor=None)


@pytest.fixture
def dispute(agency_a, agency_b, inspector_a) -> Dispute:
    return raise_dispute(agency_a, agency_b, inspector_a)


@pytest.fixture
def province_establishment(province):
    return establishment_staff(province, "province_establishment")


@pytest.fixture
def city_establishment(city_a):
    return establishment_staff(city_a, "city_a_establishment")


def test_an_inspector_raises_a_dispute_through_the_page(inspector_a, agency_a, agency_b):
    """R8: agency A's staff raise a dispute against agency B."""
    client = client_for(inspector_a)
    assert client.get(reverse("cases:dispute-new")).status_code == 200
    response = client.post(
        reverse("cases:dispute-new"),
        {
            "raised_by": agency_a.pk,
            "other": agency_b.pk,
            "kind": Dispute.Kind.BOTH_CLAIM,
            "matter": "某化工厂排污行为的查处",
            "statement": "该行为发生在本市辖区，属于本局职责。",
        },
    )
    dispute = Dispute.objects.get()
    assert response.status_code == 302 and response.url == dispute.get_absolute_url()
    assert dispute.raised_by == agency_a and dispute.other == agency_b
    assert dispute.raised_by_user == inspector_a


def test_a_dispute_with_oneself_is_refused_on_the_page(inspector_a, agency_a):
    """R8: a dispute is between two agencies; the page says so and saves nothing."""
    response = client_for(inspector_a).post(
        reverse("cases:dispute-new"),
        {
            "raised_by": agency_a.pk,
            "other": agency_a.pk,
            "kind": Dispute.Kind.BOTH_CLAIM,
            "matter": "事项",
            "statement": "意见",
        },
    )
    assert response.status_code == 400
    assert "管辖争议须在两个不同的单位之间提出" in response.content.decode()
    assert not Dispute.objects.exists()


def test_the_raising_form_refuses_another_agencys_name(inspector_a, agency_b, agency_a):
    """R8: the raising agency can only be one the user acts for."""
    response = client_for(inspector_a).post(
        reverse("cases:dispute-new"),
        {
            "raised_by": agency_b.pk,
            "other": agency_a.pk,
            "kind": Dispute.Kind.BOTH_CLAIM,
            "matter": "事项",
            "statement": "意见",
        },
    )
    assert response.status_code == 400
    assert not Dispute.objects.exists()


def test_the_other_agency_answers_through_the_page(dispute, outsider_b, inspector_a):
    """R8: only the other agency gets the answer form, and answers once."""
    url = dispute.get_absolute_url()
    assert "action-answer" not in client_for(inspector_a).get(url).content.decode()
    client = client_for(outsider_b)
    assert "action-answer" in client.get(url).content.decode()
    response = client.post(
        reverse("cases:dispute-answer", args=[dispute.pk]), {"answer-answer": "应由甲市管辖。"}
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.ANSWERED and dispute.answer == "应由甲市管辖。"
    html = client.get(url).content.decode()
    assert "action-answer" not in html and "应由甲市管辖。" in html


def test_the_raising_agency_cannot_answer(dispute, inspector_a):
    """R8: the service's refusal is shown in Chinese and nothing changes."""
    response = client_for(inspector_a).post(
        reverse("cases:dispute-answer", args=[dispute.pk]), {"answer-answer": "我方再说"}
    )
    assert response.status_code == 403
    assert "只有对方单位可以陈述意见" in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.RAISED and dispute.answer == ""


def test_the_supervisor_decides_through_the_page(
    dispute, province_supervisor, agency_b, province_establishment
):
    """R10: a supervisor over both agencies records the binding decision with its reasons."""
    opinion(dispute, province_establishment, "建议由丙市生态环境局管辖。")
    client = client_for(province_supervisor)
    url = dispute.get_absolute_url()
    assert "action-decide" in client.get(url).content.decode()
    response = client.post(
        reverse("cases:dispute-decide", args=[dispute.pk]),
        {"decide-responsible": agency_b.pk, "decide-decision": "排污口位于丙市，由丙市管辖。"},
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.DECIDED and dispute.responsible == agency_b
    assert dispute.decided_by == province_supervisor
    html = client.get(url).content.decode()
    assert "action-decide" not in html and "排污口位于丙市，由丙市管辖。" in html
    assert dispute.timeline.filter(kind=DisputeEvent.Kind.DECIDED).exists()
    decision = html[html.index('id="decision"') :]
    assert "建议由丙市生态环境局管辖。" in decision[: decision.index("</section>")]


def test_a_decision_without_reasons_is_refused_on_the_page(
    dispute, province_supervisor, agency_b, province_establishment
):
    """R10: no decision without reasons; nothing changes."""
    opinion(dispute, province_establishment)
    response = client_for(province_supervisor).post(
        reverse("cases:dispute-decide", args=[dispute.pk]),
        {"decide-responsible": agency_b.pk, "decide-decision": ""},
    )
    assert response.status_code == 400
    assert "请填写协调决定及理由" in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.RAISED


def test_a_city_supervisor_over_one_side_only_cannot_decide(dispute, city_supervisor, agency_a):
    """R10: city A's supervisor reads the dispute but gets no decide form, and its post is
    refused in Chinese."""
    client = client_for(city_supervisor)
    html = client.get(dispute.get_absolute_url()).content.decode()
    assert "action-decide" not in html
    response = client.post(
        reverse("cases:dispute-decide", args=[dispute.pk]),
        {"decide-responsible": agency_a.pk, "decide-decision": "由甲市管辖。"},
    )
    assert response.status_code == 403
    assert "只有同时管辖双方单位的政府法制监督人员可以作出协调决定" in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.RAISED


def test_a_third_agency_sees_nothing(dispute, third_staff):
    """R8: the disputes of other agencies are invisible (404, empty list)."""
    client = client_for(third_staff)
    assert client.get(dispute.get_absolute_url()).status_code == 404
    answered = client.post(
        reverse("cases:dispute-answer", args=[dispute.pk]), {"answer-answer": "x"}
    )
    assert answered.status_code == 404
    html = client.get(reverse("cases:disputes")).content.decode()
    assert dispute.matter not in html


def test_the_public_is_sent_to_log_in(public_client, dispute):
    for url in (
        reverse("cases:disputes"),
        reverse("cases:dispute-new"),
        dispute.get_absolute_url(),
    ):
        response = public_client.get(url)
        assert response.status_code == 302 and "login" in response.url


def test_the_list_filters_by_status(dispute, agency_a, county_agency_a, inspector_a, outsider_b):
    other = raise_dispute(agency_a, county_agency_a, inspector_a, matter="另一事项")
    dispute_answer(dispute=dispute, actor=outsider_b, answer="意见")
    html = client_for(inspector_a).get(reverse("cases:disputes"), {"status": "raised"})
    assert other.matter in html.content.decode()
    assert dispute.matter not in html.content.decode()


def test_the_workspace_links_to_the_disputes(inspector_a, legal_office_a, city_supervisor):
    url = reverse("cases:disputes")
    for user in (inspector_a, legal_office_a, city_supervisor):
        client = client_for(user)
        assert f'href="{url}"' in client.get(reverse("portal:workspace")).content.decode()
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [2, 6])
def test_the_list_stays_constant_in_queries(
    count, province_supervisor, agency_a, agency_b, inspector_a, django_assert_max_num_queries
):
    for n in range(count):
        raise_dispute(agency_a, agency_b, inspector_a, matter=f"事项 {n}")
    client = client_for(province_supervisor)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("cases:disputes"))
    assert response.content.decode().count("事项 ") >= count


@pytest.mark.parametrize("who", ["outsider_b", "province_supervisor", "province_establishment"])
def test_the_detail_stays_bounded_in_queries(request, who, dispute, django_assert_max_num_queries):
    # The establishment office's staff are asked two object permissions (answer, opinion),
    # two queries each with guardian.
    client = client_for(request.getfixturevalue(who))
    with django_assert_max_num_queries(12 if who == "province_establishment" else 10):
        response = client.get(dispute.get_absolute_url())
    assert response.status_code == 200


# --- R8: the establishment office's opinion -----------------------------------------------------


def test_the_establishment_office_gives_its_opinion_through_the_page(
    dispute, province_establishment, province_supervisor
):
    """R8: the province's establishment office reads the dispute between two cities, gets the
    opinion form, and its opinion is shown with its office; then the supervisor gets the
    decision form."""
    client = client_for(province_establishment)
    url = dispute.get_absolute_url()
    html = client.get(url).content.decode()
    assert "action-opinion" in html and "action-answer" not in html
    supervisor = client_for(province_supervisor)
    waiting = supervisor.get(url).content.decode()
    assert "awaiting-opinion" in waiting and "action-decide" not in waiting
    response = client.post(
        reverse("cases:dispute-opinion", args=[dispute.pk]),
        {"opinion-opinion": "无照经营的查处属市场监督管理部门职责。"},
    )
    assert response.status_code == 302 and response.url == url
    dispute.refresh_from_db()
    assert dispute.opinion == "无照经营的查处属市场监督管理部门职责。"
    assert dispute.opinion_by == province_establishment
    html = client.get(url).content.decode()
    assert "action-opinion" not in html and "测试省机构编制委员会办公室" in html
    decided = supervisor.get(url).content.decode()
    assert "action-decide" in decided and "awaiting-opinion" not in decided


def test_the_decision_posted_before_the_opinion_is_refused_in_chinese(
    dispute, province_supervisor, agency_a
):
    """R8: the supervisor's decision is refused until the opinion is recorded; nothing
    changes."""
    response = client_for(province_supervisor).post(
        reverse("cases:dispute-decide", args=[dispute.pk]),
        {"decide-responsible": agency_a.pk, "decide-decision": "由甲市管辖。"},
    )
    assert response.status_code == 400
    assert "机构编制部门尚未就该争议提出意见" in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.RAISED and dispute.responsible is None


def test_the_page_names_the_office_whose_opinion_is_awaited(dispute, inspector_a, province):
    """R8: the parties see whose opinion the decision waits for (or that none is registered)."""
    client = client_for(inspector_a)
    assert "尚未在平台登记机构编制部门" in client.get(dispute.get_absolute_url()).content.decode()
    AgencyFactory(name="测试省委编办", region=province, is_establishment_office=True)
    assert "等待测试省委编办提出意见" in client.get(dispute.get_absolute_url()).content.decode()


def test_only_the_coordinating_office_may_post_an_opinion(
    dispute, inspector_a, outsider_b, city_establishment
):
    """R8: a party, or another region's establishment office, is refused before the body is
    read (403 with the reason, 404 for a dispute it cannot see); nothing is recorded."""
    url = reverse("cases:dispute-opinion", args=[dispute.pk])
    for user in (inspector_a, outsider_b):
        response = client_for(user).post(url, {})
        assert response.status_code == 403
        assert "机构编制部门可以提出意见" in response.content.decode()
    assert client_for(city_establishment).post(url, {"opinion-opinion": "x"}).status_code == 404
    dispute.refresh_from_db()
    assert dispute.opinion == ""


def test_an_empty_opinion_is_refused_on_the_page(dispute, province_establishment):
    """R8: bad input: a Chinese 400 and nothing recorded."""
    response = client_for(province_establishment).post(
        reverse("cases:dispute-opinion", args=[dispute.pk]), {"opinion-opinion": "  "}
    )
    assert response.status_code == 400
    assert "请填写机构编制部门意见" in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.opinion == ""


def test_the_office_sees_the_disputes_of_its_region_only(
    dispute, agency_a, county_agency_a, inspector_a, city_establishment, province_establishment
):
    """R8: an establishment office reads the disputes between agencies of its region: city A's
    not the one between two cities, the province's both."""
    inside = raise_dispute(agency_a, county_agency_a, inspector_a, matter="市内事项")
    city = client_for(city_establishment).get(reverse("cases:disputes")).content.decode()
    assert inside.matter in city and dispute.matter not in city
    province = client_for(province_establishment).get(reverse("cases:disputes")).content.decode()
    assert inside.matter in province and dispute.matter in province


@pytest.mark.parametrize("count", [2, 6])
def test_the_offices_list_stays_constant_in_queries(
    count, province_establishment, agency_a, agency_b, inspector_a, django_assert_max_num_queries
):
    """R8: the establishment office's list reads its offices once, whatever the disputes."""
    for n in range(count):
        raise_dispute(agency_a, agency_b, inspector_a, matter=f"事项 {n}")
    client = client_for(province_establishment)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("cases:disputes"))
    assert response.content.decode().count("事项 ") >= count
