"""Public pages are served to anonymous readers from the shared cache, and a publication or a
withdrawal is visible at once (R3: the public sees exactly what is published)."""

from django.urls import reverse

from enforcement.services import power_items
from tests.conftest import client_for
from tests.enforcement.staff_factories import make_published

SEARCH = "/powers/?q=冰雕"
API = "/api/v1/power-items/?q=冰雕"


def _publish(who, code, name):
    inspector_a, legal_office_a, city_supervisor, agency_a = who
    return make_published(
        agency_a, inspector_a, legal_office_a, city_supervisor, code=code, name=name
    )


def test_a_second_anonymous_reader_costs_no_database_query(
    public_client, django_assert_num_queries, inspector_a, legal_office_a, city_supervisor, agency_a
):
    _publish((inspector_a, legal_office_a, city_supervisor, agency_a), "BD-1", "冰雕展览许可")
    for url in (SEARCH, API):
        first = public_client.get(url)
        with django_assert_num_queries(0):
            second = public_client.get(url)
        assert second.status_code == 200
        assert second.content == first.content
        assert "冰雕展览许可" in second.content.decode()


def test_a_publication_reaches_cached_pages_at_once(
    public_client,
    django_capture_on_commit_callbacks,
    inspector_a,
    legal_office_a,
    city_supervisor,
    agency_a,
):
    who = (inspector_a, legal_office_a, city_supervisor, agency_a)
    _publish(who, "BD-1", "冰雕展览许可")
    assert "冰雕运输检查" not in public_client.get(SEARCH).content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        _publish(who, "BD-2", "冰雕运输检查")
    assert "冰雕运输检查" in public_client.get(SEARCH).content.decode()
    assert "冰雕运输检查" in public_client.get(API).content.decode()


def test_a_withdrawn_item_leaves_cached_pages_at_once(
    public_client,
    django_capture_on_commit_callbacks,
    inspector_a,
    legal_office_a,
    city_supervisor,
    agency_a,
):
    item = _publish(
        (inspector_a, legal_office_a, city_supervisor, agency_a), "BD-1", "冰雕展览许可"
    )
    item_url = reverse("enforcement:public-item", args=[item.published.pk])
    assert public_client.get(item_url).status_code == 200
    assert "冰雕展览许可" in public_client.get(SEARCH).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # R2: a request is no withdrawal
        power_items.power_item_withdraw(item=item, actor=inspector_a, reason="职能划转")
        power_items.power_item_withdraw_pass(item=item, actor=legal_office_a)
    assert public_client.get(item_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        power_items.power_item_withdraw_approve(item=item, actor=city_supervisor)
    assert "冰雕展览许可" not in public_client.get(SEARCH).content.decode()
    assert public_client.get(item_url).status_code == 404


def test_signed_in_staff_always_get_a_fresh_page(
    django_assert_max_num_queries, inspector_a, legal_office_a, city_supervisor, agency_a
):
    _publish((inspector_a, legal_office_a, city_supervisor, agency_a), "BD-1", "冰雕展览许可")
    client = client_for(inspector_a)
    client.get(SEARCH)
    with django_assert_max_num_queries(20) as queries:
        client.get(SEARCH)
    assert len(queries) > 0


def test_each_language_is_cached_on_its_own(
    public_client, inspector_a, legal_office_a, city_supervisor, agency_a
):
    _publish((inspector_a, legal_office_a, city_supervisor, agency_a), "BD-1", "冰雕展览许可")
    assert '<html lang="zh-hans">' in public_client.get(SEARCH).content.decode()
    english = public_client.get(SEARCH, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english


def test_the_cache_can_be_switched_off(
    settings,
    public_client,
    django_assert_max_num_queries,
    inspector_a,
    legal_office_a,
    city_supervisor,
    agency_a,
):
    settings.PUBLIC_CACHE_ENABLED = False
    _publish((inspector_a, legal_office_a, city_supervisor, agency_a), "BD-1", "冰雕展览许可")
    public_client.get(SEARCH)
    with django_assert_max_num_queries(20) as queries:
        public_client.get(SEARCH)
    assert len(queries) > 0
