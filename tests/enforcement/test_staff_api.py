"""The scoped write API for staff drafts and the workflow transitions (R3, R7, R9)."""

import pytest
from django.test import Client
from django.urls import reverse

from enforcement.models import PowerItem, PublishedPowerItem
from enforcement.services import power_items as services
from tests.conftest import client_for

from .staff_factories import LegalBasisFactory, item_data, make_draft

pytestmark = pytest.mark.django_db
LIST = reverse("api:staff-power-item-list")


def detail(item, action=""):
    if action:
        return reverse(f"api:staff-power-item-{action}", args=[item.pk])
    return reverse("api:staff-power-item-detail", args=[item.pk])


def test_staff_create_a_draft_with_bases_and_tiers(agency_a, inspector_a):
    basis = LegalBasisFactory()
    body = item_data() | {
        "agency": agency_a.pk,
        "bases": [{"basis": basis.pk, "articles": "第十条"}],
        "discretion": [{"circumstances": "轻微", "penalty": "警告", "fine_max": "500.00"}],
    }
    response = client_for(inspector_a).post(LIST, body, content_type="application/json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "draft"
    assert data["bases"] == [{"basis": basis.pk, "title": basis.title, "articles": "第十条"}]
    assert data["discretion"] == [
        {
            "order": 1,
            "circumstances": "轻微",
            "penalty": "警告",
            "fine_min": None,
            "fine_max": "500.00",
        }
    ]


def test_a_reused_code_is_a_400_with_a_chinese_message(agency_a, inspector_a):
    make_draft(agency_a, inspector_a)
    body = item_data() | {"agency": agency_a.pk}
    response = client_for(inspector_a).post(LIST, body, content_type="application/json")
    assert response.status_code == 400
    assert "本单位已有编码" in response.json()["code"][0]
    assert PowerItem.objects.count() == 1


def test_creating_in_another_agency_is_refused(agency_b, inspector_a):
    """Forged ids: an agency outside the user's scope; nothing is created."""
    body = item_data() | {"agency": agency_b.pk}
    response = client_for(inspector_a).post(LIST, body, content_type="application/json")
    assert response.status_code == 403
    assert "无权" in response.json()["detail"]
    assert not PowerItem.objects.exists()


def test_the_whole_workflow_through_the_api(agency_a, inspector_a, legal_office_a, city_supervisor):
    item = make_draft(agency_a, inspector_a)
    staff, legal, supervisor = (
        client_for(inspector_a),
        client_for(legal_office_a),
        client_for(city_supervisor),
    )
    patched = staff.patch(detail(item), {"name": "新名称"}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["name"] == "新名称"
    assert staff.post(detail(item, "submit")).json()["status"] == "submitted"
    assert legal.post(detail(item, "pass"), {"note": "同意"}).json()["status"] == "legal_passed"
    response = supervisor.post(detail(item, "publish"), {"note": "公布"})
    assert response.json()["status"] == "published"
    assert PublishedPowerItem.objects.get(item=item).name == "新名称"
    timeline = staff.get(detail(item)).json()["timeline"]
    assert [e["kind"] for e in timeline] == [
        "created",
        "edited",
        "submitted",
        "legal_passed",
        "published",
    ]
    # R2: a withdrawal is requested, passed and approved like a publication.
    response = staff.post(detail(item, "withdraw"), {"reason": "职权取消"})
    assert response.json()["status"] == "withdrawing"
    assert PublishedPowerItem.objects.exists()
    response = legal.post(detail(item, "withdrawal-pass"), {"note": "同意"})
    assert response.json()["status"] == "withdraw_passed"
    response = supervisor.post(detail(item, "withdrawal-approve"))
    assert response.json()["status"] == "withdrawn"
    assert not PublishedPowerItem.objects.exists()


def test_a_return_without_a_reason_is_a_400(agency_a, inspector_a, legal_office_a):
    item = make_draft(agency_a, inspector_a)
    services.power_item_submit(item=item, actor=inspector_a)
    response = client_for(legal_office_a).post(detail(item, "return"), {"reason": ""})
    assert response.status_code == 400
    assert "必须写明理由" in str(response.json())
    item.refresh_from_db()
    assert item.status == "submitted"


def test_publishing_a_draft_is_a_400_with_the_reason(agency_a, inspector_a, city_supervisor):
    item = make_draft(agency_a, inspector_a)
    response = client_for(city_supervisor).post(detail(item, "publish"))
    assert response.status_code == 400
    assert "只有通过部门法制机构审核的事项才能公布" in str(response.json())


def test_staff_cannot_pass_their_own_item(agency_a, inspector_a):
    item = make_draft(agency_a, inspector_a)
    services.power_item_submit(item=item, actor=inspector_a)
    assert client_for(inspector_a).post(detail(item, "pass")).status_code == 403
    item.refresh_from_db()
    assert item.status == "submitted"


def test_delete_a_draft(agency_a, inspector_a):
    item = make_draft(agency_a, inspector_a)
    assert client_for(inspector_a).delete(detail(item)).status_code == 204
    assert not PowerItem.objects.exists()


@pytest.mark.parametrize(
    ("method", "action", "body"),
    [
        ("get", "", None),
        ("patch", "", {"name": "伪造"}),
        ("put", "", item_data()),
        ("delete", "", None),
        ("post", "submit", {}),
        ("post", "pass", {}),
        ("post", "return", {"reason": "伪造"}),
        ("post", "publish", {}),
        ("post", "withdraw", {"reason": "伪造"}),
    ],
)
def test_another_agencys_item_is_a_404_and_nothing_changes(
    agency_a, inspector_a, outsider_b, method, action, body
):
    """Forged ids of another agency's items: refused as unknown, nothing changed."""
    item = make_draft(agency_a, inspector_a)
    versions = item.history.count()
    client = client_for(outsider_b)
    kwargs = {"content_type": "application/json"} if body is not None else {}
    response = getattr(client, method)(detail(item, action), body, **kwargs)
    assert response.status_code == 404
    item.refresh_from_db()
    assert (item.name, item.status, item.history.count()) == (
        "对生产经营不符合安全标准食品的处罚",
        "draft",
        versions,
    )


def test_the_public_is_refused_every_endpoint(agency_a, inspector_a, public_client):
    item = make_draft(agency_a, inspector_a)
    for url in (LIST, detail(item)):
        assert public_client.get(url).status_code == 403
    for action in ("submit", "pass", "publish"):
        assert public_client.post(detail(item, action)).status_code == 403
    assert public_client.delete(detail(item)).status_code == 403
    assert PowerItem.objects.filter(pk=item.pk).exists()


def test_a_write_without_the_csrf_token_is_refused(agency_a, inspector_a):
    """Session authentication: a cross-site request cannot submit for a logged-in user."""
    item = make_draft(agency_a, inspector_a)
    client = Client(enforce_csrf_checks=True)
    client.force_login(inspector_a)
    assert client.post(detail(item, "submit")).status_code == 403
    item.refresh_from_db()
    assert item.status == "draft"


def test_the_list_is_scoped_filtered_and_constant_in_queries(
    agency_a, agency_b, inspector_a, outsider_b, django_assert_max_num_queries
):
    make_draft(agency_a, inspector_a, code="A1", name="甲局事项")
    make_draft(agency_b, outsider_b, code="B1", name="丙局事项")
    client = client_for(inspector_a)
    client.get(LIST)  # the first request also saves the session
    with django_assert_max_num_queries(10) as few:
        data = client.get(LIST).json()
    assert [row["name"] for row in data["results"]] == ["甲局事项"]
    basis = LegalBasisFactory()
    for n in range(30):
        make_draft(agency_a, inspector_a, code=f"M{n}", basis=basis)
    with django_assert_max_num_queries(10) as many:
        data = client.get(LIST).json()
    assert data["count"] == 31
    assert len(many.captured_queries) == len(few.captured_queries)
    assert client.get(LIST, {"q": "甲局"}).json()["count"] == 1
    assert client.get(LIST, {"status": "submitted"}).json()["count"] == 0


def test_the_detail_endpoint_query_count_does_not_grow_with_the_timeline(
    agency_a, inspector_a, django_assert_max_num_queries
):
    item = make_draft(agency_a, inspector_a)
    client = client_for(inspector_a)
    client.get(detail(item))
    with django_assert_max_num_queries(12) as few:
        client.get(detail(item))
    for n in range(15):
        services.power_item_update(item=item, actor=inspector_a, data={"remarks": str(n)})
    with django_assert_max_num_queries(12) as many:
        assert len(client.get(detail(item)).json()["timeline"]) == 16
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_endpoints_are_in_the_openapi_schema(sysadmin):
    schema = client_for(sysadmin).get(reverse("api:schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/staff/power-items/" in paths
    for action in (
        "submit",
        "pass",
        "return",
        "publish",
        "withdraw",
        "withdrawal/pass",
        "withdrawal/approve",
    ):
        assert f"/api/v1/staff/power-items/{{id}}/{action}/" in paths


def _through_review(item, staff, legal):
    services.power_item_submit(item=item, actor=staff)
    services.power_item_pass(item=item, actor=legal)


@pytest.mark.parametrize("size", [1, 12])
def test_the_action_endpoints_query_count_does_not_grow_with_bases_and_tiers(
    size, agency_a, inspector_a, legal_office_a, city_supervisor, django_assert_max_num_queries
):
    """Submitting and publishing cost the same whether an item has one basis or a dozen."""
    from enforcement.services.power_items import BasisLink, Tier

    item = make_draft(agency_a, inspector_a)
    services.power_item_update(
        item=item,
        actor=inspector_a,
        data={},
        bases=[BasisLink(LegalBasisFactory(), f"第{n}条") for n in range(size)],
        tiers=[Tier(f"情节{n}", "罚款") for n in range(size)],
    )
    staff, supervisor = client_for(inspector_a), client_for(city_supervisor)
    staff.get(LIST)
    supervisor.get(LIST)  # the first requests also save the sessions
    with django_assert_max_num_queries(30):
        assert staff.post(detail(item, "submit")).status_code == 200
    services.power_item_pass(item=item, actor=legal_office_a)
    with django_assert_max_num_queries(40):
        assert supervisor.post(detail(item, "publish")).status_code == 200
    assert len(PublishedPowerItem.objects.get(item=item).bases) == size


def test_the_publication_note_names_changed_bases_and_benchmarks(
    agency_a, inspector_a, legal_office_a, city_supervisor
):
    """R3: the public change history also says when the bases or the benchmark changed."""
    from enforcement.services.power_items import BasisLink, Tier

    item = make_draft(agency_a, inspector_a)
    _through_review(item, inspector_a, legal_office_a)
    services.power_item_publish(item=item, actor=city_supervisor)
    services.power_item_update(
        item=item,
        actor=inspector_a,
        data={},
        bases=[BasisLink(LegalBasisFactory(title="新条例"), "第三条")],
        tiers=[Tier("情节严重", "吊销许可证")],
    )
    _through_review(item, inspector_a, legal_office_a)
    services.power_item_publish(item=item, actor=city_supervisor)
    published = PublishedPowerItem.objects.get(item=item)
    assert published.bases[0]["title"] == "新条例"
    assert published.discretion[0]["penalty"] == "吊销许可证"
    assert item.timeline.last().note == "修改了：执法依据、裁量基准。"
