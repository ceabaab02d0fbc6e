"""What a citizen comes to the home page for: a search of the power list, the two complaint
actions (我要投诉, 投诉查询), the latest disclosed decisions (R9) and typical cases (R18), and a
description for search engines. The page is served to the public from the shared cache, which a
publication retires at once, and costs a fixed number of queries whatever the data size."""

import datetime

import pytest
from django.urls import reverse

from tests.accountability.conftest import supervisor
from tests.accountability.test_typical_public import publish as publish_typical
from tests.enforcement.test_disclosure_pages import disclose

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_public_cache(settings):
    """Query counts measure the page itself, not the shared cache."""
    settings.PUBLIC_CACHE_ENABLED = False


@pytest.fixture
def typical(city_supervisor, agency_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    colleague = supervisor("colleague_home", agency_a.region)
    return publish_typical(city_supervisor, colleague, agency_a, title="某执法人员违法查封案")


def test_the_home_page_searches_the_power_list(public_client):
    html = public_client.get("/").content.decode()
    action = reverse("enforcement:public-index")
    assert f'<form method="get" action="{action}" class="home-search" role="search">' in html
    assert '<label for="home-q">搜索权责清单</label>' in html
    assert 'type="search" name="q" id="home-q"' in html
    # The search lands on the list's results, as the list's own form does.
    assert public_client.get(action, {"q": "许可"}).status_code == 200


def test_filing_and_tracking_are_the_two_prominent_actions(public_client):
    html = public_client.get("/").content.decode()
    actions = html[html.index('<ul class="home-actions">') :]
    actions = actions[: actions.index("</ul>")]
    assert f'<a class="action-primary" href="{reverse("complaints:file")}">我要投诉' in actions
    assert f'<a class="action-secondary" href="{reverse("complaints:track")}">投诉查询' in actions
    # Before the sections: the first things after the search.
    assert html.index("home-actions") < html.index('class="sections"')


def test_the_latest_disclosures_and_typical_cases_are_listed_newest_first(
    public_client, agency_a, typical, no_public_cache
):
    older = disclose(agency_a, title="较早公示的决定", decided_on=datetime.date(2026, 1, 5))
    newer = disclose(agency_a, title="最新公示的决定")
    html = public_client.get("/").content.decode()
    assert html.index(newer.get_absolute_url()) < html.index(older.get_absolute_url())
    assert "较早公示的决定" in html and "2026-01-05" in html
    assert typical.get_absolute_url() in html and "某执法人员违法查封案" in html
    assert f'href="{reverse("disclosures:list")}"' in html
    assert f'href="{reverse("typical-cases:list")}"' in html


def test_an_empty_portal_says_so_instead_of_empty_lists(public_client, no_public_cache):
    html = public_client.get("/").content.decode()
    assert "暂无公示的执法决定。" in html
    assert "暂无公布的典型案例。" in html


def test_the_home_page_costs_the_same_queries_with_many_publications(
    public_client, agency_a, typical, no_public_cache, django_assert_max_num_queries
):
    for i in range(8):
        disclose(agency_a, title=f"决定{i}")
    with django_assert_max_num_queries(2):  # the latest disclosures, the latest typical cases
        html = public_client.get("/").content.decode()
    # The five latest, the link to all of them, and the section's link.
    assert html.count('href="/disclosures/') == 5 + 2


def test_the_home_page_is_served_from_the_cache_and_a_disclosure_retires_it(
    public_client, agency_a, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.PUBLIC_CACHE_ENABLED = True
    assert "暂无公示的执法决定。" in public_client.get("/").content.decode()
    with django_assert_num_queries(0):
        cached = public_client.get("/")
    assert not cached.cookies  # nothing personal: the same page for everyone
    from enforcement.services.disclosures import public_cache_invalidate

    with django_capture_on_commit_callbacks(execute=True):
        disclosure = disclose(agency_a, title="刚刚公示的决定")
        public_cache_invalidate()  # what the disclosure service does on issue
    assert disclosure.get_absolute_url() in public_client.get("/").content.decode()


def test_every_public_page_describes_itself_for_search_engines(public_client, agency_a):
    urls = [
        "/",
        reverse("enforcement:public-index"),
        reverse("disclosures:list"),
        reverse("complaints:file"),
        reverse("complaints:track"),
        reverse("typical-cases:list"),
    ]
    descriptions = set()
    for url in urls:
        html = public_client.get(url).content.decode()
        start = html.index('<meta name="description" content="') + 34
        description = html[start : html.index('"', start)]
        assert len(description) >= 20, url
        descriptions.add(description)
    assert len(descriptions) == len(urls)  # each its own


def test_the_site_icon_is_a_static_file_so_browsers_ask_for_no_missing_favicon(public_client):
    html = public_client.get("/").content.decode()
    assert '<link rel="icon" href="/static/portal/favicon' in html
