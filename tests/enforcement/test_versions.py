"""Every version of an item is kept (django-simple-history) and two versions can be compared."""

import pytest
from django.urls import reverse

from enforcement.services import power_items as services
from tests.conftest import client_for

from .staff_factories import make_draft

pytestmark = pytest.mark.django_db


def _compare(client, item, a, b):
    url = reverse("enforcement:staff_item_compare", args=[item.pk])
    return client.get(url, {"a": a.history_id, "b": b.history_id})


def test_every_edit_is_kept_as_a_version_with_its_author(agency_a, inspector_a, legal_office_a):
    item = make_draft(agency_a, inspector_a)
    services.power_item_update(item=item, actor=legal_office_a, data={"name": "第二版"})
    services.power_item_update(item=item, actor=inspector_a, data={"name": "第三版"})
    names = list(item.history.order_by("history_id").values_list("name", "history_user__username"))
    assert names == [
        ("对生产经营不符合安全标准食品的处罚", "inspector_a"),
        ("第二版", "legal_office_a"),
        ("第三版", "inspector_a"),
    ]


def test_the_comparison_shows_the_changed_fields_side_by_side(agency_a, inspector_a):
    item = make_draft(agency_a, inspector_a)
    services.power_item_update(
        item=item, actor=inspector_a, data={"name": "新名称", "category": "licensing"}
    )
    old, new = item.history.order_by("history_id")
    html = _compare(client_for(inspector_a), item, new, old).content.decode()
    # Whatever order the two are picked in, the older one is on the left.
    assert html.index("<del>对生产经营不符合安全标准食品的处罚</del>") < html.index(
        "<ins>新名称</ins>"
    )
    assert "<del>行政处罚</del>" in html and "<ins>行政许可</ins>" in html
    assert "承办机构" not in html.split('id="changes"')[1].split("</table>")[0]


def test_identical_versions_say_so(agency_a, inspector_a):
    item = make_draft(agency_a, inspector_a)
    services.power_item_update(item=item, actor=inspector_a, data={})
    old, new = item.history.order_by("history_id")
    assert (
        "两个版本的内容相同" in _compare(client_for(inspector_a), item, old, new).content.decode()
    )


def test_a_version_of_another_item_cannot_be_compared(agency_a, inspector_a):
    """Forged ids: a version of another item is refused, not shown."""
    item = make_draft(agency_a, inspector_a)
    other = make_draft(agency_a, inspector_a, code="OTHER", name="别的事项")
    mine = item.history.get()
    theirs = other.history.get()
    response = _compare(client_for(inspector_a), item, mine, theirs)
    html = response.content.decode()
    assert response.status_code == 200
    assert "请选择该事项的两个历史版本" in html
    assert "别的事项" not in html


def test_the_compare_page_of_another_agencys_item_is_a_404(
    agency_b, outsider_b, inspector_a, agency_a
):
    item = make_draft(agency_a, inspector_a)
    version = item.history.get()
    response = _compare(client_for(outsider_b), item, version, version)
    assert response.status_code == 404


def test_the_detail_page_lists_versions_and_the_timeline(
    agency_a, inspector_a, django_assert_max_num_queries
):
    item = make_draft(agency_a, inspector_a)
    client = client_for(inspector_a)
    url = reverse("enforcement:staff_item_detail", args=[item.pk])
    client.get(url)  # the first request also saves the session
    with django_assert_max_num_queries(16) as few:
        html = client.get(url).content.decode()
    assert 'id="timeline"' in html and "创建" in html
    assert html.count('name="a"') == 1
    for n in range(20):
        services.power_item_update(item=item, actor=inspector_a, data={"remarks": f"第{n}次"})
    with django_assert_max_num_queries(16) as many:
        html = client.get(url).content.decode()
    assert html.count('name="a"') == 21
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_compare_page_query_count_stays_constant(
    agency_a, inspector_a, django_assert_max_num_queries
):
    item = make_draft(agency_a, inspector_a)
    services.power_item_update(item=item, actor=inspector_a, data={"name": "二"})
    client = client_for(inspector_a)
    first, second = item.history.order_by("history_id")
    _compare(client, item, first, second)
    with django_assert_max_num_queries(12) as few:
        _compare(client, item, first, second)
    for n in range(20):
        services.power_item_update(item=item, actor=inspector_a, data={"remarks": f"第{n}次"})
    with django_assert_max_num_queries(12) as many:
        _compare(client, item, first, second)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_changes_of_bases_and_tiers_are_written_in_the_timeline(agency_a, inspector_a):
    """Bases and tiers are kept in their own tables; the timeline records how they changed."""
    from enforcement.services.power_items import BasisLink, Tier

    from .staff_factories import LegalBasisFactory

    item = make_draft(agency_a, inspector_a)
    services.power_item_update(
        item=item,
        actor=inspector_a,
        data={},
        bases=[BasisLink(LegalBasisFactory(title="新条例"), "第三条")],
        tiers=[Tier("情节严重", "吊销许可证")],
    )
    note = item.timeline.last().note
    assert "执法依据调整为：《新条例》第三条" in note
    assert "裁量基准调整为：1. 情节严重：吊销许可证" in note
    services.power_item_update(item=item, actor=inspector_a, data={"name": "只改名称"})
    assert item.timeline.last().note == ""
