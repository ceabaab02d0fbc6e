"""The public home page: Chinese first, English on request, only built sections linked."""

import pytest
from django.urls import reverse

from portal.sections import SECTIONS


@pytest.mark.django_db
def test_the_home_page_speaks_chinese_by_default(public_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = public_client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    for title in ("权责清单", "执法公示", "投诉举报", "典型案例", "期限计算"):
        assert title in html


@pytest.mark.django_db
def test_the_language_switch_turns_the_home_page_english(public_client):
    response = public_client.get(
        reverse("portal:language"), {"language": "en", "next": "/"}, follow=True
    )
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Power and responsibility list" in html
    assert "Deadline calculator" in html
    assert "权责清单" not in html


@pytest.mark.django_db
def test_a_browser_asking_for_english_gets_english(public_client):
    html = public_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Enforcement Supervision Portal" in html


@pytest.mark.django_db
def test_only_sections_that_are_built_are_linked(public_client):
    html = public_client.get("/").content.decode()
    built = [s for s in SECTIONS if s.url]
    unbuilt = [s for s in SECTIONS if not s.url]
    assert built, "the deadline calculator is built"
    for section in built:
        assert f'href="{section.url}"' in html
    for section in unbuilt:
        assert section.url is None
    assert html.count('class="badge"') == len(unbuilt)


@pytest.mark.django_db
def test_the_health_check_answers_without_login(public_client):
    assert public_client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_the_language_switch_never_sends_anyone_to_another_site(public_client):
    response = public_client.get(
        reverse("portal:language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_an_unknown_language_changes_nothing(public_client):
    response = public_client.get(reverse("portal:language"), {"language": "fr", "next": "/"})
    assert "django_language" not in response.cookies


@pytest.mark.django_db
def test_public_pages_set_no_cookie_for_anonymous_readers(public_client):
    """No CSRF token or session on public pages, so that they can be served from the cache."""
    for url in ("/", "/powers/", "/workdays/calculator/"):
        assert not public_client.get(url).cookies, url
