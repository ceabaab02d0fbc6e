"""Security headers: a content security policy without inline scripts (django-csp), no framing, a
referrer and an opener policy on every response; staff sessions end when idle and at logout."""

import re
import time
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from enforcement.models import ImportJob
from portal.sessions import REFRESH_SECONDS, REFRESHED
from tests.conftest import PASSWORD, client_for

ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_protected(response) -> None:
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no host
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["worker-src"] == ["'self'"]  # the ALTCHA widget's worker, a static file
    assert policy["img-src"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_public_page_carries_the_policy_and_the_other_headers(public_client):
    response = public_client.get("/")
    assert response.status_code == 200
    assert_protected(response)


def test_the_admin_carries_the_policy(sysadmin):
    response = client_for(sysadmin).get("/admin/")
    assert response.status_code == 200
    assert_protected(response)


@pytest.mark.django_db
def test_an_api_answer_carries_the_policy(public_client, bundled_calendar):
    response = public_client.get(
        "/api/v1/workdays/deadline/", {"start": "2026-09-28", "working_days": "5"}
    )
    assert response.status_code == 200
    assert_protected(response)


@pytest.mark.django_db
def test_the_policy_built_once_is_django_csps_own_and_follows_the_settings(public_client, settings):
    """portal/csp.py builds an ordinary response's policy once: the same header django-csp
    builds, a view's own policy (the API docs' csp_update) still applied, and a change of the
    settings taken at once."""
    from csp.middleware import CSPMiddleware
    from django.http import HttpRequest, HttpResponse

    response = public_client.get("/")
    request, plain = HttpRequest(), HttpResponse()
    CSPMiddleware(lambda r: plain).process_response(request, plain)
    assert response["Content-Security-Policy"] == plain["Content-Security-Policy"]
    docs = public_client.get(reverse("api:docs"))
    assert directives(docs)["img-src"] == ["'self'", "data:"]
    assert directives(public_client.get("/"))["img-src"] == ["'self'"]
    policy = {**settings.CONTENT_SECURITY_POLICY}
    policy["DIRECTIVES"] = {**policy["DIRECTIVES"], "img-src": ["'self'", "https://tiles.example"]}
    settings.CONTENT_SECURITY_POLICY = policy
    assert directives(public_client.get("/"))["img-src"] == ["'self'", "https://tiles.example"]


def test_a_refusal_carries_the_policy_too(inspector_a):
    response = client_for(inspector_a).get("/admin/")
    assert response.status_code in (302, 403)
    assert_protected(response)


class InlineCode(HTMLParser):
    """What the policy would block: a script without src, an on… handler, a javascript: URL, a
    style attribute or element. A JSON data block (`json_script`) is data, never run."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.found.append(f"<script> without src at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> element at line {self.getpos()[0]}")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            if name == "style":
                self.found.append(f"style= on <{tag}>")
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL in {name}= on <{tag}>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_checker_finds_what_the_policy_blocks():
    """The parser below is what the page test relies on: it must see each kind."""
    found = inline_code(
        '<script>alert(1)</script><script src="/s.js"></script>'
        '<script type="application/json" id="d">{"a": 1}</script>'
        '<a href="javascript:go()" onclick="go()">x</a><p style="color:red">y</p><style>p{}</style>'
    )
    assert len(found) == 5, found


@pytest.fixture
def running_import(inspector_a, agency_a):
    return ImportJob.objects.create(
        agency=agency_a,
        created_by=inspector_a,
        original_name="清单.xlsx",
        upload="imports/none.xlsx",
        status=ImportJob.Status.IMPORTING,
        total_rows=10,
        processed_rows=4,
    )


def test_no_page_of_a_representative_set_holds_inline_code(
    public_client, city_supervisor, inspector_a, sysadmin, agency_a, running_import
):
    """The home, the filing and tracking forms, staff pages, the import progress (its polling
    script is a static file), the admin's index and a change form with the two-column picker,
    and the API docs: every script from a file, no handler or style in the markup."""
    supervisor = Group.objects.get(name="supervisor")
    pages = [
        (public_client, "/"),
        (public_client, f"/complaints/file/?region={agency_a.region.code}"),
        (public_client, "/complaints/track/"),
        (public_client, "/accounts/login/"),
        (public_client, "/api/v1/docs/"),
        (client_for(city_supervisor), "/workspace/"),
        (client_for(city_supervisor), "/complaints/staff/"),
        (client_for(inspector_a), reverse("enforcement:import_detail", args=[running_import.pk])),
        (client_for(sysadmin), "/admin/"),
        (client_for(sysadmin), f"/admin/auth/group/{supervisor.pk}/change/"),
        (client_for(city_supervisor), "/admin/enforcement/officer/add/"),
    ]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url
    progress = client_for(inspector_a).get(
        reverse("enforcement:import_detail", args=[running_import.pk])
    )
    assert b"enforcement/import_progress.js" in progress.content


def test_the_api_docs_start_from_a_script_url(public_client, db):
    page = public_client.get("/api/v1/docs/")
    assert directives(page)["img-src"] == ["'self'", "data:"]  # Swagger UI's icons, here only
    assert directives(page)["script-src"] == ["'self'"]
    (script_url,) = re.findall(r'<script src="(/api/v1/docs/\?[^"]*script[^"]*)"', page.text)
    script = public_client.get(script_url.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


INLINE_IN_TEMPLATE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:|\sstyle\s*=|<style\b", re.I
)


def test_no_template_holds_inline_code():
    """Every template of the portal, including pages the test above does not render. A PDF's
    template (`…pdf….html`) is drawn by WeasyPrint on the server, never served to a browser."""
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if "pdf" not in path.stem
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INLINE_IN_TEMPLATE.search(line) and "application/json" not in line
    ]
    assert found == []


# --- Sessions


def test_a_session_lasts_a_working_day_of_idleness_by_default(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST  # no write per request (portal.sessions)


def _session_of(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def _last_moved(client, seconds_ago: int) -> None:
    session = client.session
    session[REFRESHED] = int(time.time()) - seconds_ago
    session.save()


def test_use_moves_the_expiry_on(inspector_a, client):
    client.post("/accounts/login/", {"username": "inspector_a", "password": PASSWORD})
    _last_moved(client, REFRESH_SECONDS + 1)
    Session.objects.filter(pk=_session_of(client).pk).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    response = client.get("/workspace/")
    assert response.status_code == 200
    assert _session_of(client).expire_date > timezone.now() + timedelta(hours=7, minutes=59)
    assert response.cookies["sessionid"]["max-age"] == 8 * 60 * 60


def test_a_request_soon_after_the_last_move_writes_nothing(inspector_a, client):
    """The expiry moves at most every few minutes: most requests do not write the session."""
    client.post("/accounts/login/", {"username": "inspector_a", "password": PASSWORD})
    expiry = timezone.now() + timedelta(hours=3)
    Session.objects.filter(pk=_session_of(client).pk).update(expire_date=expiry)
    response = client.get("/workspace/")
    assert response.status_code == 200
    assert _session_of(client).expire_date == expiry
    assert "sessionid" not in response.cookies


def test_an_idle_session_has_ended(inspector_a, client):
    client.post("/accounts/login/", {"username": "inspector_a", "password": PASSWORD})
    Session.objects.filter(pk=_session_of(client).pk).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/workspace/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_ends_the_session_on_the_server(inspector_a, client):
    client.post("/accounts/login/", {"username": "inspector_a", "password": PASSWORD})
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    replay = client_for(None)
    replay.cookies["sessionid"] = key  # the old cookie, kept by someone
    assert replay.get("/workspace/").status_code == 302
