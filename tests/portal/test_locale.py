"""The request's language (portal.locale.LocaleMiddleware): Chinese unless the browser asks for
English or the language cookie says so; the answer names its language and varies on the
browser's; with language prefixes in the URLs it does what Django's own middleware does."""

import pytest
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_page_is_chinese_unless_english_is_asked_for(client):
    chinese = client.get(reverse("portal:home"))
    english = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert chinese["Content-Language"] == "zh-hans" and 'lang="zh-hans"' in chinese.text
    assert english["Content-Language"] == "en" and 'lang="en"' in english.text
    for response in (chinese, english):
        assert "Accept-Language" in response["Vary"]


def test_the_language_cookie_wins_over_the_browser(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response["Content-Language"] == "en"


def test_the_portal_has_no_language_prefixes_in_its_urls():
    """The fast path's premise: were prefixes added, Django's own handling would take over."""
    assert is_language_prefix_patterns_used(settings.ROOT_URLCONF) == (False, False)
