"""The scoped staff complaints API: the register (R15), acceptance (R16), handling and feedback
(R17), and the written-response requests of the agency complained about."""

import pytest
from django.urls import reverse

from complaints.models import AgencyRequest, Complaint, IdentityView
from complaints.services.decisions import complaint_accept
from complaints.services.handling import complaint_ask_agency
from tests.conftest import client_for

from .test_api_public import register

pytestmark = pytest.mark.django_db
LIST = reverse("api:staff-complaint-list")
REQUESTS = reverse("api:staff-agency-request-list")
ACTIONS = {
    "accept": {},
    "refuse": {"reason": "out_of_scope"},
    "transfer": {"to": "丙市司法局"},
    "assign": {"handler": 1},
    "ask-agency": {"question": "请说明"},
    "steps": {"note": "调查"},
    "request-material": {"note": "请补充"},
    "extend": {"reason": "情况复杂"},
    "close": {"result": "substantiated", "measures": "改正", "feedback": "属实"},
    "refer": {"note": "移送"},
}


def detail(complaint, action=""):
    if action:
        return reverse(f"api:staff-complaint-{action}", args=[complaint.pk])
    return reverse("api:staff-complaint-detail", args=[complaint.pk])


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.fixture
def complaint(agency_a):
    return register(agency_a).complaint


@pytest.fixture
def accepted(complaint, city_supervisor):
    return complaint_accept(complaint=complaint, actor=city_supervisor)


def test_the_city_supervisor_reads_the_register_with_identities_and_each_view_is_logged(
    city_supervisor, complaint
):
    """R15: the register; identity unmasked for the region's supervisor, every view logged."""
    response = client_for(city_supervisor).get(LIST)
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["number"] == complaint.number
    assert row["complainant"] == {
        "name": "张三",
        "phone": "13812345678",
        "email": "",
        "masked": False,
    }
    views = IdentityView.objects.filter(user=city_supervisor, complaint=complaint)
    assert list(views.values_list("where", flat=True)) == ["api"]


def test_the_register_filters_by_status_year_agency_and_number(
    city_supervisor, complaint, county_agency_a
):
    other = register(county_agency_a, description="另一件").complaint
    client = client_for(city_supervisor)

    def numbers(**params):
        return {r["number"] for r in client.get(LIST, params).json()["results"]}

    assert numbers() == {complaint.number, other.number}
    assert numbers(agency=county_agency_a.pk) == {other.number}
    assert numbers(number=complaint.number) == {complaint.number}
    assert numbers(status="registered", year=complaint.year) == {complaint.number, other.number}
    assert numbers(status="closed") == set()
    assert client.get(LIST, {"status": "nonsense"}).status_code == 400
    assert "数字" in client.get(LIST, {"year": "x"}).json()["year"][0]


def test_only_the_named_rows_shown_are_logged(city_supervisor, agency_a):
    named = [register(agency_a, description=f"第{n}件").complaint for n in range(3)]
    register(agency_a, description="匿名", anonymous=True, complainant_name="")
    # Page one of two rows: the anonymous complaint (newest) and the last named one.
    client_for(city_supervisor).get(LIST, {"page_size": 2})
    client_for(city_supervisor).get(LIST, {"number": named[0].number})
    logged = set(IdentityView.objects.values_list("complaint_id", flat=True))
    assert logged == {named[2].pk, named[0].pk}


def test_the_sysadmin_sees_the_register_masked_and_nothing_is_logged(sysadmin, complaint):
    """Privacy: not even a system administrator sees who complained."""
    (row,) = client_for(sysadmin).get(LIST).json()["results"]
    assert row["complainant"] == {
        "name": "张*",
        "phone": "138****5678",
        "email": "",
        "masked": True,
    }
    body = client_for(sysadmin).get(detail(complaint)).json()
    assert body["complainant"]["masked"] is True
    assert not IdentityView.objects.exists()


def test_the_register_list_query_count_does_not_grow(
    city_supervisor, agency_a, django_assert_max_num_queries
):
    client = client_for(city_supervisor)
    register(agency_a, description="一")
    client.get(LIST)
    for n in range(12):
        register(agency_a, description=f"第{n}件", phone=f"1390000{n:04d}")
    with django_assert_max_num_queries(8):
        assert len(client.get(LIST).json()["results"]) == 13


def test_the_detail_shows_internal_steps_requests_and_attachments(
    city_supervisor, accepted, django_assert_max_num_queries
):
    client = client_for(city_supervisor)
    post(client, detail(accepted, "steps"), {"note": "调取执法记录仪", "public": False})
    post(client, detail(accepted, "ask-agency"), {"question": "请说明查封依据"})
    with django_assert_max_num_queries(14):
        body = client.get(detail(accepted)).json()
    assert [s["kind"] for s in body["timeline"]] == [
        "registered",
        "accepted",
        "investigation",
        "agency_asked",
    ]
    assert body["timeline"][2]["public"] is False
    assert body["requests"][0]["question"] == "请说明查封依据"
    assert body["attachments"] == []
    assert body["complainant"]["masked"] is False


def test_the_city_supervisor_handles_a_complaint_to_the_end(city_supervisor, complaint):
    """R16 then R17: accept with a handler, record, ask for material, extend, close, refer."""
    client = client_for(city_supervisor)
    steps = [
        ("accept", {"handler": city_supervisor.pk, "note": ""}, "handling"),
        ("steps", {"note": "已约谈", "public": True}, "handling"),
        ("request-material", {"note": "请补充现场照片"}, "handling"),
        ("extend", {"reason": "需现场核查"}, "handling"),
        ("close", ACTIONS["close"], "closed"),
        ("refer", {"note": "移送问责"}, "closed"),
    ]
    for action, data, status in steps:
        response = post(client, detail(complaint, action), data)
        assert response.status_code == 200, (action, response.json())
        assert response.json()["status"] == status
    complaint.refresh_from_db()
    assert complaint.handler == city_supervisor and complaint.referred_at is not None
    assert complaint.extension_reason == "需现场核查"


def test_refusing_records_the_reason(city_supervisor, complaint):
    """R17: not accepted: the reason is told and recorded in the register."""
    response = post(client_for(city_supervisor), detail(complaint, "refuse"), ACTIONS["refuse"])
    assert response.status_code == 200
    assert response.json()["refusal_reason_display"] == "不属于受理范围"


def test_transferring_names_the_office(city_supervisor, complaint):
    response = post(
        client_for(city_supervisor), detail(complaint, "transfer"), {"to": "丙市司法局"}
    )
    assert response.json()["transferred_to"] == "丙市司法局"


@pytest.mark.parametrize(
    ("action", "data", "field", "words"),
    [
        ("refuse", {}, "reason", "必须选择理由"),
        ("refuse", {"reason": "other"}, "note", "请写明具体理由"),
        ("transfer", {"to": ""}, "to", "有权处理的机关"),
        ("accept", {"handler": 987654}, "handler", "没有这个用户"),
    ],
)
def test_bad_decisions_are_400s_in_chinese_and_change_nothing(
    city_supervisor, complaint, action, data, field, words
):
    response = post(client_for(city_supervisor), detail(complaint, action), data)
    assert response.status_code == 400
    assert words in response.json()[field][0]
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.REGISTERED


def test_a_second_decision_and_a_second_extension_are_refused(city_supervisor, accepted):
    client = client_for(city_supervisor)
    again = post(client, detail(accepted, "accept"))
    assert again.status_code == 400 and "不能再次决定" in again.json()["detail"][0]
    assert post(client, detail(accepted, "extend"), {"reason": "一"}).status_code == 200
    twice = post(client, detail(accepted, "extend"), {"reason": "二"})
    assert twice.status_code == 400 and "只能延长一次" in twice.json()["detail"][0]


def test_assigning_a_handler_outside_the_region_is_refused(city_supervisor, outsider_b, accepted):
    response = post(
        client_for(city_supervisor), detail(accepted, "assign"), {"handler": outsider_b.pk}
    )
    assert response.status_code == 400
    assert "承办人须为本辖区" in response.json()["handler"][0]


def test_the_sysadmin_sees_but_may_not_decide(sysadmin, complaint):
    response = post(client_for(sysadmin), detail(complaint, "accept"))
    assert response.status_code == 403
    assert "法制监督人员" in response.json()["detail"]


@pytest.mark.parametrize("action", list(ACTIONS))
def test_the_outsider_gets_a_404_on_every_action(outsider_b, accepted, action):
    response = post(client_for(outsider_b), detail(accepted, action), ACTIONS[action])
    assert response.status_code == 404


def test_the_outsider_is_refused_the_register_and_the_detail(outsider_b, complaint):
    client = client_for(outsider_b)
    assert client.get(LIST).status_code == 403
    assert client.get(detail(complaint)).status_code == 404
    assert not IdentityView.objects.exists()


def test_agency_staff_are_refused_the_register(inspector_a, complaint):
    assert client_for(inspector_a).get(LIST).status_code == 403
    assert client_for(inspector_a).get(detail(complaint)).status_code == 404


def test_the_public_is_refused_every_staff_endpoint(public_client, complaint):
    assert public_client.get(LIST).status_code == 403
    assert public_client.get(detail(complaint)).status_code == 403
    assert public_client.get(REQUESTS).status_code == 403
    assert post(public_client, detail(complaint, "accept")).status_code == 403


# --- The agency's written responses ----------------------------------------------------------


def _ask(complaint, supervisor, *, share_identity=False) -> AgencyRequest:
    return complaint_ask_agency(
        complaint=complaint,
        actor=supervisor,
        question="请说明查封依据",
        share_identity=share_identity,
    )


def test_agency_staff_see_the_question_without_the_identity(inspector_a, city_supervisor, accepted):
    request = _ask(accepted, city_supervisor)
    response = client_for(inspector_a).get(REQUESTS)
    (row,) = response.json()["results"]
    assert row["id"] == request.pk and row["question"] == "请说明查封依据"
    assert row["complainant"] is None
    assert "张三" not in response.content.decode()
    assert "查封店铺" not in response.content.decode()  # the complaint itself is not shown
    assert not IdentityView.objects.exists()


def test_a_shared_identity_is_shown_to_the_agency_and_logged(
    inspector_a, city_supervisor, accepted
):
    _ask(accepted, city_supervisor, share_identity=True)
    (row,) = client_for(inspector_a).get(REQUESTS).json()["results"]
    assert row["complainant"]["name"] == "张三" and row["complainant"]["masked"] is False
    assert IdentityView.objects.filter(user=inspector_a, where="api").count() == 1


def test_agency_staff_answer_once(inspector_a, city_supervisor, accepted):
    request = _ask(accepted, city_supervisor)
    url = reverse("api:staff-agency-request-answer", args=[request.pk])
    client = client_for(inspector_a)
    empty = post(client, url, {"answer": ""})
    assert empty.status_code == 400 and "请填写书面说明" in empty.json()["detail"][0]
    response = post(client, url, {"answer": "依据某条例第十条。"})
    assert response.status_code == 200
    assert response.json()["answer"] == "依据某条例第十条。"
    again = post(client, url, {"answer": "再答"})
    assert again.status_code == 400 and "不能重复答复" in again.json()["detail"][0]
    assert client.get(REQUESTS, {"answered": "false"}).json()["results"] == []


def test_a_supervisor_may_read_but_not_answer_for_the_agency(city_supervisor, accepted):
    request = _ask(accepted, city_supervisor)
    url = reverse("api:staff-agency-request-answer", args=[request.pk])
    assert post(client_for(city_supervisor), url, {"answer": "代答"}).status_code == 403


def test_the_outsider_sees_no_request_of_another_agency(outsider_b, city_supervisor, accepted):
    request = _ask(accepted, city_supervisor, share_identity=True)
    client = client_for(outsider_b)
    assert client.get(REQUESTS).json()["results"] == []
    url = reverse("api:staff-agency-request-answer", args=[request.pk])
    assert post(client, url, {"answer": "x"}).status_code == 404
    assert not AgencyRequest.objects.filter(answered_at__isnull=False).exists()


def test_the_requests_list_query_count_does_not_grow(
    inspector_a, city_supervisor, agency_a, django_assert_max_num_queries
):
    client = client_for(inspector_a)
    _ask(
        complaint_accept(complaint=register(agency_a).complaint, actor=city_supervisor),
        city_supervisor,
    )
    client.get(REQUESTS)
    for n in range(8):
        c = register(agency_a, description=f"第{n}件", phone=f"1390000{n:04d}").complaint
        _ask(
            complaint_accept(complaint=c, actor=city_supervisor),
            city_supervisor,
            share_identity=True,
        )
    with django_assert_max_num_queries(10):
        assert len(client.get(REQUESTS).json()["results"]) == 9


def test_the_staff_endpoints_are_in_the_openapi_schema(sysadmin):
    paths = client_for(sysadmin).get(reverse("api:schema"), {"format": "json"}).json()["paths"]
    assert "/api/v1/staff/complaints/" in paths
    assert "/api/v1/staff/complaints/{id}/" in paths
    for action in ACTIONS:
        assert f"/api/v1/staff/complaints/{{id}}/{action}/" in paths
    assert "/api/v1/staff/agency-requests/" in paths
    assert "/api/v1/staff/agency-requests/{id}/answer/" in paths
