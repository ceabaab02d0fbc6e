"""Staff keep their agency's items as drafts: create, edit, bases, discretion tiers, delete (R7,
R9, R11)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from enforcement.models import DiscretionTier, PowerItem, PowerItemEvent
from enforcement.models.powers import Category
from enforcement.services import power_items as services
from enforcement.services.power_items import BasisLink, Tier
from tests.conftest import client_for

from .staff_factories import LegalBasisFactory, item_data, make_draft, make_published

pytestmark = pytest.mark.django_db


def _form_post(basis=None, **overrides) -> dict:
    post = item_data(**overrides)
    post |= {
        "bases-TOTAL_FORMS": "2",
        "bases-INITIAL_FORMS": "0",
        "bases-0-basis": str(basis.pk) if basis else "",
        "bases-0-articles": "第一百二十四条" if basis else "",
        "bases-1-basis": "",
        "bases-1-articles": "",
        "tiers-TOTAL_FORMS": "2",
        "tiers-INITIAL_FORMS": "0",
        "tiers-0-order": "1",
        "tiers-0-circumstances": "初次违法且危害后果轻微",
        "tiers-0-penalty": "警告",
        "tiers-0-fine_min": "",
        "tiers-0-fine_max": "",
        "tiers-1-order": "2",
        "tiers-1-circumstances": "货值金额不足一万元",
        "tiers-1-penalty": "处五万元以上十万元以下罚款",
        "tiers-1-fine_min": "50000",
        "tiers-1-fine_max": "100000",
    }
    return post


def test_staff_create_a_draft_with_bases_and_discretion_tiers_on_the_page(agency_a, inspector_a):
    """R7, R9: a penalty item is drafted with its basis, articles and the tiers of its benchmark."""
    basis = LegalBasisFactory(title="中华人民共和国食品安全法")
    post = _form_post(basis) | {"agency": str(agency_a.pk)}
    response = client_for(inspector_a).post(reverse("enforcement:staff_item_create"), post)
    item = PowerItem.objects.get(agency=agency_a)
    assert response.status_code == 302
    assert response["Location"] == reverse("enforcement:staff_item_detail", args=[item.pk])
    assert item.status == PowerItem.Status.DRAFT
    assert [(b.basis.title, b.articles) for b in item.bases.all()] == [
        ("中华人民共和国食品安全法", "第一百二十四条")
    ]
    tiers = list(item.discretion_tiers.values_list("order", "penalty", "fine_min", "fine_max"))
    assert tiers == [
        (1, "警告", None, None),
        (2, "处五万元以上十万元以下罚款", Decimal("50000.00"), Decimal("100000.00")),
    ]
    assert item.timeline.get().kind == PowerItemEvent.Kind.CREATED
    assert item.history.first().history_user == inspector_a


def test_a_code_reused_within_the_agency_gets_a_chinese_message_and_nothing_changes(
    agency_a, inspector_a
):
    """Bad input: an item code is unique within its agency; the form says so in Chinese."""
    make_draft(agency_a, inspector_a)
    post = _form_post(LegalBasisFactory()) | {"agency": str(agency_a.pk), "name": "另一个事项"}
    response = client_for(inspector_a).post(reverse("enforcement:staff_item_create"), post)
    assert response.status_code == 400
    assert "本单位已有编码为“330217001000”的事项" in response.content.decode()
    assert PowerItem.objects.count() == 1


def test_the_same_code_is_allowed_in_another_agency(agency_a, agency_b, inspector_a, outsider_b):
    """The code is unique per agency, not across the province."""
    make_draft(agency_a, inspector_a)
    make_draft(agency_b, outsider_b)
    assert PowerItem.objects.filter(code="330217001000").count() == 2


def test_a_fine_range_upside_down_is_refused(agency_a, inspector_a):
    """R7: a tier's minimum fine cannot exceed its maximum."""
    post = _form_post(LegalBasisFactory()) | {
        "agency": str(agency_a.pk),
        "tiers-1-fine_min": "200000",
    }
    response = client_for(inspector_a).post(reverse("enforcement:staff_item_create"), post)
    assert response.status_code == 400
    assert "罚款下限不能高于上限" in response.content.decode()
    assert not PowerItem.objects.exists()
    with pytest.raises(ValidationError, match="下限高于上限"):
        services.power_item_create(
            agency=agency_a,
            actor=inspector_a,
            data=item_data(),
            tiers=[Tier("情节一", "罚款", Decimal("10"), Decimal("1"))],
        )
    assert not PowerItem.objects.exists()


def test_discretion_tiers_belong_only_to_penalty_items(agency_a, inspector_a):
    """R7: benchmarks are for penalties; a licensing item with tiers is refused."""
    with pytest.raises(ValidationError, match="只有行政处罚事项"):
        services.power_item_create(
            agency=agency_a,
            actor=inspector_a,
            data=item_data(category=Category.LICENSING),
            tiers=[Tier("情节", "警告")],
        )
    assert not PowerItem.objects.exists()


def test_a_basis_listed_twice_is_refused(agency_a, inspector_a):
    """Bad input: one basis once per item, with all its articles."""
    basis = LegalBasisFactory()
    with pytest.raises(ValidationError, match="重复列出"):
        services.power_item_create(
            agency=agency_a,
            actor=inspector_a,
            data=item_data(),
            bases=[BasisLink(basis, "第一条"), BasisLink(basis, "第二条")],
        )
    assert not PowerItem.objects.exists()


def test_staff_edit_a_draft_and_replace_its_bases(agency_a, inspector_a):
    item = make_draft(agency_a, inspector_a)
    new_basis = LegalBasisFactory(title="食品生产经营监督检查管理办法")
    services.power_item_update(
        item=item,
        actor=inspector_a,
        data={"name": "对食品生产经营者的处罚"},
        bases=[BasisLink(new_basis, "第五十条")],
    )
    item.refresh_from_db()
    assert item.name == "对食品生产经营者的处罚"
    assert [b.basis for b in item.bases.all()] == [new_basis]
    assert item.timeline.last().kind == PowerItemEvent.Kind.EDITED


def test_editing_a_published_item_starts_a_revision_and_the_public_copy_stays(
    agency_a, inspector_a, legal_office_a, city_supervisor
):
    """R3: a draft being revised does not hide (or change) the published version."""
    item = make_published(agency_a, inspector_a, legal_office_a, city_supervisor)
    services.power_item_update(item=item, actor=inspector_a, data={"name": "修订后的名称"})
    item.refresh_from_db()
    assert item.status == PowerItem.Status.DRAFT
    assert item.has_unpublished_changes
    assert item.published.name == "对生产经营不符合安全标准食品的处罚"


def test_an_item_under_review_cannot_be_edited(agency_a, inspector_a):
    item = make_draft(agency_a, inspector_a)
    services.power_item_submit(item=item, actor=inspector_a)
    with pytest.raises(ValidationError, match="审核期间不能修改"):
        services.power_item_update(item=item, actor=inspector_a, data={"name": "改名"})
    item.refresh_from_db()
    assert item.name == "对生产经营不符合安全标准食品的处罚"
    response = client_for(inspector_a).get(reverse("enforcement:staff_item_edit", args=[item.pk]))
    assert response.status_code == 302


def test_staff_delete_a_never_published_draft(agency_a, inspector_a):
    item = make_draft(agency_a, inspector_a)
    response = client_for(inspector_a).post(
        reverse("enforcement:staff_item_delete", args=[item.pk])
    )
    assert response.status_code == 302
    assert not PowerItem.objects.exists()
    # The deletion is itself a kept version, with who deleted it.
    assert PowerItem.history.filter(history_type="-").get().history_user == inspector_a


def test_a_once_published_item_cannot_be_deleted_only_withdrawn(
    agency_a, inspector_a, legal_office_a, city_supervisor
):
    """R3: what the public once saw is withdrawn with a reason, never silently deleted."""
    item = make_published(agency_a, inspector_a, legal_office_a, city_supervisor)
    services.power_item_update(item=item, actor=inspector_a, data={"name": "修订"})
    with pytest.raises(ValidationError, match="只能删除从未公布过的草稿"):
        services.power_item_delete(item=item, actor=inspector_a)
    assert PowerItem.objects.filter(pk=item.pk).exists()


def test_a_supervisor_can_read_a_draft_but_not_edit_it(agency_a, inspector_a, city_supervisor):
    """Drafts are kept by the agency; the supervisor reviews, it does not write them."""
    item = make_draft(agency_a, inspector_a)
    client = client_for(city_supervisor)
    assert client.get(reverse("enforcement:staff_item_detail", args=[item.pk])).status_code == 200
    assert client.get(reverse("enforcement:staff_item_edit", args=[item.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.power_item_update(item=item, actor=city_supervisor, data={"name": "改名"})


def test_script_in_text_fields_is_escaped_on_every_staff_page(
    agency_a, inspector_a, legal_office_a
):
    """Script that reached an item around the services (which refuse it: see below) is shown
    as text on every page, never run."""
    script = "<script>alert(1)</script>"
    item = make_draft(agency_a, inspector_a)
    services.power_item_submit(item=item, actor=inspector_a)
    item.refresh_from_db()
    item.name = item.responsibilities = item.remarks = script
    item.save()  # a new version, as an old row or a bulk load would leave it
    PowerItemEvent.objects.create(
        item=item, kind=PowerItemEvent.Kind.SUBMITTED, actor=inspector_a, note=script
    )
    versions = list(item.history.order_by("history_id").values_list("history_id", flat=True))
    pages = [
        (inspector_a, reverse("enforcement:staff_item_list")),
        (inspector_a, reverse("enforcement:staff_item_detail", args=[item.pk])),
        (
            inspector_a,
            reverse("enforcement:staff_item_compare", args=[item.pk])
            + f"?a={versions[0]}&b={versions[-1]}",
        ),
        (legal_office_a, reverse("enforcement:staff_legal_queue")),
    ]
    for user, url in pages:
        html = client_for(user).get(url).content.decode()
        assert script not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


@pytest.mark.parametrize(
    ("field", "text", "reason"),
    [
        ("name", "<script>alert(1)</script>", "不能包含网页代码"),
        ("responsibilities", '<img src=x onerror="alert(1)">', "不能包含网页代码"),
        ("remarks", '=HYPERLINK("http://x.example","y")', "不能以公式开头"),
    ],
)
def test_script_and_formulas_in_an_item_are_refused_with_the_field_named(
    agency_a, inspector_a, field, text, reason
):
    with pytest.raises(ValidationError) as refused:
        make_draft(agency_a, inspector_a, **{field: text})
    assert reason in " ".join(refused.value.message_dict[field])
    assert not PowerItem.objects.exists()


def test_the_list_filters_by_status_and_finds_by_name_or_code(agency_a, inspector_a):
    make_draft(agency_a, inspector_a, code="A-001", name="对无照经营的处罚")
    submitted = make_draft(agency_a, inspector_a, code="A-002", name="食品经营许可")
    services.power_item_submit(item=submitted, actor=inspector_a)
    client = client_for(inspector_a)
    url = reverse("enforcement:staff_item_list")
    assert "食品经营许可" not in client.get(url, {"status": "draft"}).content.decode()
    html = client.get(url, {"q": "许可"}).content.decode()
    assert "食品经营许可" in html and "对无照经营的处罚" not in html
    html = client.get(url, {"q": "A-001"}).content.decode()
    assert "对无照经营的处罚" in html and "食品经营许可" not in html


def test_the_list_page_query_count_stays_constant_as_items_grow(
    agency_a, inspector_a, django_assert_max_num_queries
):
    """The number of queries of a list page does not grow with the data."""
    client = client_for(inspector_a)
    url = reverse("enforcement:staff_item_list")
    make_draft(agency_a, inspector_a, code="X-0")
    client.get(url)  # the first request also saves the session
    with django_assert_max_num_queries(10) as few:
        assert client.get(url).status_code == 200
    basis = LegalBasisFactory()
    for n in range(1, 40):
        make_draft(agency_a, inspector_a, code=f"X-{n}", basis=basis)
    with django_assert_max_num_queries(10) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_edit_page_query_count_does_not_grow_with_the_basis_register(
    agency_a, inspector_a, django_assert_max_num_queries
):
    """The bases picker reads the register once, however many rows the form shows."""
    item = make_draft(agency_a, inspector_a)
    url = reverse("enforcement:staff_item_edit", args=[item.pk])
    client = client_for(inspector_a)
    client.get(url)  # the first request also saves the session
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    LegalBasisFactory.create_batch(30)
    with django_assert_max_num_queries(20) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_tiers_are_edited_on_the_edit_page(agency_a, inspector_a):
    """R7: staff change the tiers as part of the draft; removed rows disappear."""
    item = make_draft(agency_a, inspector_a)
    services.power_item_update(
        item=item, actor=inspector_a, data={}, tiers=[Tier("一般", "警告"), Tier("严重", "罚款")]
    )
    basis = item.bases.get().basis
    post = _form_post(basis) | {"tiers-1-DELETE": "on"}
    response = client_for(inspector_a).post(
        reverse("enforcement:staff_item_edit", args=[item.pk]), post
    )
    assert response.status_code == 302
    assert list(DiscretionTier.objects.filter(item=item).values_list("penalty", flat=True)) == [
        "警告"
    ]


def test_the_list_marks_a_revision_of_a_published_item(
    agency_a, inspector_a, legal_office_a, city_supervisor
):
    """R3: staff see which items have a published version that a draft is revising."""
    make_draft(agency_a, inspector_a, code="NEW", name="从未公布的草稿")
    item = make_published(agency_a, inspector_a, legal_office_a, city_supervisor)
    url = reverse("enforcement:staff_item_list")
    client = client_for(inspector_a)
    assert "修订中，尚未公布" not in client.get(url).content.decode()
    services.power_item_update(item=item, actor=inspector_a, data={"remarks": "修订"})
    assert client.get(url).content.decode().count("修订中，尚未公布") == 1
