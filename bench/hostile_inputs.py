"""Hostile inputs against a production-like server: gunicorn, debug off, PostgreSQL, demo data.

The inputs of the guard-rails issue, sent over HTTP as an attacker would: bodies that are not
JSON objects, Unicode digits, NUL bytes, oversized and over-many fields, a 10,000-character user
name, malformed bodies, missing objects and refused pages, a staff body sent by someone who may
not act, and guessing a staff password from one address. Each answer must be a 4xx with Chinese
text and none of Django's or DRF's English defaults; no table but the sessions and the login
records may change; and after the guessing, the owner from another address still gets in.
Not a load test: it reports what it saw, case by case.
"""

import base64
import contextlib
import html
import http.client
import json
import re
import urllib.parse

import harness

NAME = "hostile_inputs"
PASSWORD = "demo-2026-Songjiang"  # the demo logins' password (load_demo_data)
U2 = "%C2%B2"  # "²": str.isdigit() says yes, int() says no
CJK = re.compile(r"[\u3400-\u9fff]")
ENGLISH = (
    "Bad Request",
    "Forbidden",
    "Not Found",
    "Server Error",
    "JSON parse error",
    "Multipart form parse error",
    "matches the given query",
    "This field",
    "Enter a valid",
    "CSRF verification failed",
)
# Tables a refused request may still write: sessions, and the login records of django-axes.
MAY_CHANGE = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}


class Browser:
    """A client with cookies, a client address and CSRF, as behind the production proxy: it
    says the request came over HTTPS (X-Forwarded-Proto) and who the client is (X-Forwarded-For),
    so the secure cookies and the CSRF referer check work as in production."""

    def __init__(self, base: str, address: str = "198.51.100.1"):
        self.base, self.address = base, address
        self.cookies: dict[str, str] = {}

    def _headers(self, method, content_type, extra) -> dict[str, str]:
        host = urllib.parse.urlsplit(self.base).netloc
        headers = {
            "Host": host,
            "X-Forwarded-For": self.address,
            "X-Forwarded-Proto": "https",
            "Accept-Language": "zh-CN,zh;q=0.9",
        }
        if content_type:
            headers["Content-Type"] = content_type
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method != "GET" and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
            headers["Referer"] = f"https://{host}/"
        return {**headers, **(extra or {})}

    def send(self, method, path, body=None, content_type=None, headers=None):
        parts = urllib.parse.urlsplit(self.base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        connection.putrequest(method, path, skip_host=True)
        for name, value in self._headers(method, content_type, headers).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders()
        if body is not None:
            # An oversized body may be answered and closed before it is all sent.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                connection.send(body)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        result = response.status, dict(response.getheaders()), response.read()
        connection.close()
        return result

    def form(self, path, fields: dict):
        self.send("GET", "/accounts/login/")  # a CSRF cookie
        token = self.cookies.get("csrftoken", "")
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        return self.send("POST", path, body, "application/x-www-form-urlencoded")

    def login(self, username, password=PASSWORD, **extra):
        return self.form("/accounts/login/", {"username": username, "password": password, **extra})


def table_counts() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (catalogue names)
            counts[table] = cursor.fetchone()[0]
    connection.close()
    return counts


def demo_ids() -> dict[str, int]:
    from enforcement.models import Agency, Case

    agency = Agency.objects.filter(name="松江市市场监督管理局").first() or Agency.objects.first()
    return {
        "agency": agency.pk,
        "case_a": Case.objects.filter(agency=agency).values_list("pk", flat=True).first(),
    }


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _messages(status, headers, body) -> tuple[bool, str]:
    """Chinese text shown and no English default: (ok, what was shown)."""
    text = body.decode("utf-8", "replace")
    english = [phrase for phrase in ENGLISH if phrase in text]
    if "json" in headers.get("Content-Type", ""):
        shown = list(_strings(json.loads(text)))
        chinese = bool(shown) and all(CJK.search(message) for message in shown)
        shown = " ".join(shown)
    else:
        found = re.findall(
            r'class="(?:reason|errors?[^"]*|errorlist[^"]*|warning)"[^>]*>(.*?)(?:</div>|</p>|</ul>)',
            text,
            re.S,
        )
        shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", part)) for part in found)
        chinese = bool(CJK.search(shown))
    excerpt = " ".join(shown.split())[:120] + (f" ENGLISH: {english}" if english else "")
    return chinese and not english, excerpt


def cases(ids: dict[str, int]):
    """(name, who, method, path, body, content type, extra headers)."""
    agency, case_a = ids["agency"], ids["case_a"]
    json_type = "application/json"
    yield from (
        (f"complaints-api-json-{label}", None, "POST", "/api/v1/complaints/", body, json_type, {})
        for label, body in (("list", b'[{"agency": 9}]'), ("string", b'"complaint"'),
                            ("null", b"null"), ("malformed", b'{"agency": '),
                            ("nul", b'{"description": "a\\u0000b"}'))
    )  # fmt: skip
    yield (
        "complaints-api-bad-boundary",
        None,
        "POST",
        "/api/v1/complaints/",
        b"--x\r\n",
        "multipart/form-data; boundary=",
        {},
    )
    for path in (
        f"/powers/?page={U2}",
        f"/powers/?region={U2}",
        f"/powers/agencies/{agency}/?page={U2}",
        f"/powers/export.csv?region={U2}",
        f"/disclosures/?page={U2}",
        f"/api/v1/power-items/?page_size={U2}",
        f"/api/v1/agencies/?region={U2}",
        f"/api/v1/agencies/?page={U2}",
        f"/api/v1/disclosures/?page={U2}",
        "/api/v1/agencies/?q=%00",
        "/powers/regions/%00/",
        "/complaints/file/?region=%00",
        "/powers/items/99999999/",
        "/api/v1/power-items/99999999/",
        "/no-such-page/",
    ):
        yield (f"GET {path}", None, "GET", path, None, None, {})
    yield ("supervisor-bases-nul", "city_supervisor", "GET", "/powers/supervision/bases/?q=%00",
           None, None, {})  # fmt: skip
    yield ("staff-items-api-nul", "inspector_a", "GET", "/api/v1/staff/power-items/?q=%00",
           None, None, {})  # fmt: skip
    yield ("page-refused", "inspector_a", "GET", "/cases/fines/", None, None, {})
    form = "application/x-www-form-urlencoded"
    yield ("oversized-form", None, "POST", "/complaints/file/",
           b"description=" + b"x" * (6 * 1024 * 1024), form, {})  # fmt: skip
    yield ("too-many-fields", None, "POST", "/complaints/file/",
           "&".join(f"f{n}=1" for n in range(1500)).encode(), form, {})  # fmt: skip
    if case_a:
        path = f"/api/v1/staff/cases/{case_a}/decision/reviews/"
        yield ("review-body-by-staff", "inspector_a", "POST", path, b"{}", json_type, {})
        yield ("review-body-by-outsider", "outsider_b", "POST", path, b"{}", json_type, {})


def signed_in(server: harness.Server) -> dict:
    """A browser per persona the cases use, logged in (a login writes the user's last_login)."""
    browsers = {None: Browser(server.url, address="192.0.2.10")}
    for n, who in enumerate(("city_supervisor", "inspector_a", "outsider_b"), start=11):
        browsers[who] = Browser(server.url, address=f"192.0.2.{n}")
        status = browsers[who].login(who)[0]
        if status != 302:
            raise RuntimeError(f"{who} could not log in ({status})")
    return browsers


def _row(name, answer) -> dict:
    status, headers, body = answer
    chinese, excerpt = _messages(status, headers, body)
    return {"case": name, "status": status, "ok": 400 <= status < 500 and chinese, "shown": excerpt}


def run_cases(server: harness.Server, browsers: dict, ids) -> list[dict]:
    rows = [
        _row(name, browsers[who].send(method, path, body, content_type, headers))
        for name, who, method, path, body, content_type, headers in cases(ids)
    ]
    for label, username in (("login-10000-character-name", "a" * 10_000), ("login-nul", "ab\x00c")):
        rows.append(_row(label, Browser(server.url, "192.0.2.99").login(username, "x")))
    return rows


def guessing(server: harness.Server) -> dict:
    """Ten wrong passwords from one address; the owner from another still gets in."""
    guesser = Browser(server.url, "203.0.113.7")
    statuses = [guesser.login("inspector_a", f"guess-{n}")[0] for n in range(10)]
    stopped = guesser.login("inspector_a")[0]
    owner = Browser(server.url, "10.0.0.5")
    first_status, _headers, page = owner.login("inspector_a")
    found = re.search(r'<altcha-widget challengejson="([^"]+)"', page.decode())
    result = {
        "guesser_statuses": statuses,
        "guesser_with_right_password": stopped,
        "owner_first_answer": first_status,
        "owner_challenged": bool(found),
        "owner_first_page": " ".join(re.sub(r"<[^>]+>", " ", page.decode()).split())[:300],
    }
    if found:
        import altcha

        challenge = json.loads(html.unescape(found.group(1)))
        solution = altcha.solve_challenge_v1(
            challenge["challenge"], challenge["salt"], challenge["algorithm"],
            challenge["maxNumber"],
        )  # fmt: skip
        payload = base64.b64encode(
            json.dumps({**{k: challenge[k] for k in ("algorithm", "challenge", "salt",
                                                     "signature")},
                        "number": solution.number}).encode()
        ).decode()  # fmt: skip
        status, headers, _body = owner.login("inspector_a", altcha=payload)
        result["owner_work"] = challenge["maxNumber"]
        result["owner_after_solving"] = status
        result["owner_landed_on"] = headers.get("Location", "")
    result["ok"] = (
        stopped == 429
        and result.get("owner_after_solving") == 302
        and "/workspace/" in result.get("owner_landed_on", "")
    )
    return result


def run(ctx: harness.Context) -> dict:
    # One proxy in front, as in production, so that X-Forwarded-For is each client's address.
    ctx.env.update({"AXES_PROXY_COUNT": "1", "CACHE_URL": "redis://127.0.0.1:6379/12"})
    ids = demo_ids()
    # A run starts from no failed logins and no throttle counters (an earlier run left some).
    from axes.utils import reset
    from django.core.cache import cache

    reset(username="inspector_a")
    cache.clear()
    with harness.gunicorn(ctx) as server:
        browsers = signed_in(server)
        before = table_counts()
        rows = run_cases(server, browsers, ids)
        after = table_counts()
        login = guessing(server)
    changed = {
        table: [before.get(table), count]
        for table, count in after.items()
        if before.get(table) != count and table not in MAY_CHANGE
    }
    return {
        "cases": rows,
        "refused_in_chinese": sum(row["ok"] for row in rows),
        "total": len(rows),
        "server_errors": sum(row["status"] >= 500 for row in rows),
        "tables_changed": changed,
        "guessing": login,
        "notes": ["gunicorn, DJANGO_DEBUG=0, PostgreSQL, Redis cache, AXES_PROXY_COUNT=1"],
    }


def summary(result: dict) -> str:
    lines = [
        f"{NAME}: {result['refused_in_chinese']}/{result['total']} refused with a 4xx in Chinese,"
        f" {result['server_errors']} server errors,"
        f" tables changed: {result['tables_changed'] or 'none'}"
    ]
    for row in result["cases"]:
        if not row["ok"]:
            lines.append(f"  NOT OK {row['case']}: {row['status']} {row['shown']}")
    guess = result["guessing"]
    lines.append(
        "  guessing: 10 wrong passwords from one address -> that address"
        f" {guess['guesser_with_right_password']} with the right password;"
        f" the owner from another: first {guess['owner_first_answer']}"
        f" (challenge of {guess.get('owner_work')} hashes), after solving"
        f" {guess.get('owner_after_solving')} to {guess.get('owner_landed_on')}"
    )
    return "\n".join(lines)
