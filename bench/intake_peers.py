"""Intake against its peers, side by side (issue 15 "Intake: ahead of the peer").

Four targets on the same machine, the same gunicorn settings (2 × cores + 1 sync workers) and the
same PostgreSQL server, loaded by wrk one at a time in interleaved rounds (BENCH_PEER_ROUNDS,
default 3; each round starts with the next target, so no target always runs first):

- `portal_api`: the portal's `POST /api/v1/complaints/`, as complaint_intake runs it (its Lua
  script, its bench register emptied first, rate limits off, notices queued on Redis); the
  register is checked afterwards (numbers unique and gapless, the count the 201 answers).
- `portal_trivial`: the portal's trivial view (`/bench/trivial/`, as baseline), same server.
- `helpdesk_form`: django-helpdesk's public ticket form (a POST creating a ticket), installed
  from PyPI into its own virtualenv (var/peers/helpdesk-venv) with the portal's Django, gunicorn
  and psycopg2 versions, in a minimal project written by this module (var/peers/helpdesk_site)
  on its own database (peer_helpdesk) on the bench server. The CSRF cookie and token are fetched
  once before the run and sent with every POST. A ticket answers 302; the tickets table must
  grow by the 302 answers (plus at most the requests in flight when wrk stopped).
- `bare_trivial`: a bare Django project's trivial view (startproject's settings and 7
  middlewares, debug off; var/peers/bare_site), served by the portal's virtualenv.
- `filing_floor`: the filing's own statements and nothing else (`filing_floor.py`: raw psycopg2
  in a bare WSGI application, the same register, counter row and lock), the floor that the
  portal's request, DRF, ORM, signals and Celery stand on.
- `filing_floor_number_last`: the same, with the register's lock held for the last statement
  before the commit only (`filing_floor.py`'s `/number-last/`).
- `filing_floor_in_portal`: the same statements as `filing_floor` in a DRF view served by the
  portal's own stack (`filing_floor_portal.py`: its settings, middleware and Celery), so the
  stack's share and the filing's own Python can be told apart.

While the filings (FILINGS) are measured, pg_stat_activity is sampled every 100 ms: the
backends waiting on a lock, what they wait on, and the state of the backend at the head of the
queue (the one holding the lock the others wait for: 'active' or 'idle in transaction').

Ratios (issue 15 targets), per round and their median: portal_api / helpdesk_form ≥ 2,
portal_api / portal_trivial ≥ 0.10, portal_trivial / bare_trivial ≥ 0.8; and, to read them by,
each floor / helpdesk_form and portal_api / filing_floor.
"""

import contextlib
import dataclasses
import http.cookies
import importlib.metadata
import json
import os
import re
import secrets
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import complaint_intake
import environ
import harness
import psycopg2
import redis

NAME = "intake_peers"
ROUNDS = int(os.environ.get("BENCH_PEER_ROUNDS", "3"))
TARGETS = (
    "portal_api",
    "portal_trivial",
    "helpdesk_form",
    "bare_trivial",
    "filing_floor",
    "filing_floor_number_last",
    "filing_floor_in_portal",
)
# the loads that file into the bench register
FILINGS = ("portal_api", "filing_floor", "filing_floor_number_last", "filing_floor_in_portal")
RATIOS = {  # name: (numerator, denominator, target: None for a figure to read the others by)
    "api_vs_helpdesk_form": ("portal_api", "helpdesk_form", 2.0),
    "api_vs_portal_trivial": ("portal_api", "portal_trivial", 0.10),
    "portal_trivial_vs_bare_trivial": ("portal_trivial", "bare_trivial", 0.8),
    "floor_vs_helpdesk_form": ("filing_floor", "helpdesk_form", None),
    "api_vs_floor": ("portal_api", "filing_floor", None),
    "floor_number_last_vs_helpdesk_form": ("filing_floor_number_last", "helpdesk_form", None),
    "floor_in_portal_vs_helpdesk_form": ("filing_floor_in_portal", "helpdesk_form", None),
}
PORTAL_API = complaint_intake.PATH
PORTAL_TRIVIAL = "/bench/trivial/"
HELPDESK_FORM = "/helpdesk/tickets/submit/"
BARE_TRIVIAL = "/trivial/"
HELPDESK_SCRIPT = harness.BENCH / "intake_peers_helpdesk.lua"
SAMPLE_INTERVAL = 0.1  # seconds between two looks at pg_stat_activity

PEERS = harness.ROOT / "var" / "peers"  # gitignored
HELPDESK_VENV = PEERS / "helpdesk-venv"
HELPDESK_SITE = PEERS / "helpdesk_site"
BARE_SITE = PEERS / "bare_site"
HELPDESK_VERSION = "2.6.1"
HELPDESK_DATABASE = "peer_helpdesk"
HELPDESK_QUEUE = "bench"


# --- The peers' projects, written from these strings -------------------------------------------

# startproject's seven middlewares: both peer projects' settings have them
# (their __STARTPROJECT_MIDDLEWARE__).
STARTPROJECT_MIDDLEWARE = (
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
)


# What both peer projects take from startproject as it is: the head of the settings (with the
# first six apps) and the templates.
STARTPROJECT_HEAD = """import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ["PEER_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
"""
STARTPROJECT_TEMPLATES = """TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
"""


def _with_startproject_parts(settings: str) -> str:
    """A peer's settings with startproject's parts put in their places."""
    listed = "".join(f'    "{name}",\n' for name in STARTPROJECT_MIDDLEWARE)
    return (
        settings.replace("__STARTPROJECT_HEAD__\n", STARTPROJECT_HEAD)
        .replace("__STARTPROJECT_TEMPLATES__\n", STARTPROJECT_TEMPLATES)
        .replace("__STARTPROJECT_MIDDLEWARE__", f"[\n{listed}]")
    )


HELPDESK_SETTINGS = '''"""django-helpdesk as an agency would deploy it (bench/intake_peers.py)."""

__STARTPROJECT_HEAD__
    "django.contrib.sites",  # helpdesk's e-mails name the site
    "django.contrib.humanize",  # helpdesk's templates
    "rest_framework",  # helpdesk's API (HELPDESK_API_ENABLED)
    "helpdesk",
]
# startproject's seven
MIDDLEWARE = __STARTPROJECT_MIDDLEWARE__
ROOT_URLCONF = "helpdesk_site.urls"
__STARTPROJECT_TEMPLATES__
WSGI_APPLICATION = "helpdesk_site.wsgi.application"

# The portal's own database settings: persistent connections, checked before reuse.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ["PEER_DB_NAME"],
        "USER": os.environ.get("PEER_DB_USER", ""),
        "PASSWORD": os.environ.get("PEER_DB_PASSWORD", ""),
        "HOST": os.environ.get("PEER_DB_HOST", ""),
        "PORT": os.environ.get("PEER_DB_PORT", ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
}

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
MEDIA_ROOT = BASE_DIR / "media"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_ID = 1

# The e-mails to the submitter are rendered but not sent (no mail server here).
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = "helpdesk@example.com"

LOGIN_URL = "/helpdesk/login/"
# Teams need pinax-teams (an extra); one queue needs none.
HELPDESK_TEAMS_MODE_ENABLED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
'''

HELPDESK_URLS = """from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("helpdesk/", include("helpdesk.urls", namespace="helpdesk")),
]
"""

# Run with the helpdesk virtualenv's python in the site's folder: the public queue, no tickets.
HELPDESK_PREPARE = """import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk_site.settings")
django.setup()

from helpdesk.models import Queue, Ticket  # noqa: E402

queue, _ = Queue.objects.update_or_create(
    slug="%(queue)s",
    defaults={"title": "Bench complaints", "allow_public_submission": True},
)
Queue.objects.exclude(pk=queue.pk).update(allow_public_submission=False)
deleted = Ticket.objects.count()
Ticket.objects.all().delete()
print(json.dumps({"queue": queue.pk, "deleted": deleted}))
"""

BARE_SETTINGS = '''"""A bare Django project, startproject's settings (bench/intake_peers.py)."""

__STARTPROJECT_HEAD__
]
MIDDLEWARE = __STARTPROJECT_MIDDLEWARE__
ROOT_URLCONF = "bare_site.urls"
__STARTPROJECT_TEMPLATES__
WSGI_APPLICATION = "bare_site.wsgi.application"
# startproject's default; the trivial view sends no query, so the file is never created.
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
'''

BARE_URLS = """from django.contrib import admin
from django.http import HttpResponse
from django.urls import path


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("trivial/", trivial),
]
"""

WSGI = """import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "%(package)s.settings")
application = get_wsgi_application()
"""

MANAGE = """import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "%(package)s.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""


def write_site(folder: Path, settings: str, urls: str) -> None:
    """A Django project in folder (its package named after the folder), rewritten every run."""
    package = folder / folder.name
    package.mkdir(parents=True, exist_ok=True)
    files = {
        folder / "manage.py": MANAGE % {"package": folder.name},
        package / "__init__.py": "",
        package / "settings.py": settings,
        package / "urls.py": urls,
        package / "wsgi.py": WSGI % {"package": folder.name},
    }
    for path, text in files.items():
        path.write_text(text)


# --- django-helpdesk: its virtualenv, its project, its database --------------------------------


def helpdesk_requirements() -> list[str]:
    """helpdesk with the portal's own Django, gunicorn and driver: only the app differs."""
    return [
        f"django-helpdesk=={HELPDESK_VERSION}",
        f"Django=={importlib.metadata.version('Django')}",
        f"gunicorn=={importlib.metadata.version('gunicorn')}",
        f"psycopg2-binary=={importlib.metadata.version('psycopg2-binary')}",
    ]


def helpdesk_venv() -> dict[str, str]:
    """The virtualenv, created and installed if missing or installed with other pins; returns
    the versions installed in it."""
    python = HELPDESK_VENV / "bin" / "python"
    requirements = helpdesk_requirements()
    marker = HELPDESK_VENV / "bench-requirements.txt"
    if not python.exists():
        print(f"{NAME}: python3 -m venv {HELPDESK_VENV.relative_to(harness.ROOT)}", flush=True)
        PEERS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["python3", "-m", "venv", str(HELPDESK_VENV)], check=True, timeout=300)
    if not marker.exists() or marker.read_text().split() != requirements:
        print(f"{NAME}: pip install {' '.join(requirements)}", flush=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--quiet", *requirements],
            check=True,
            timeout=900,
        )
        marker.write_text("\n".join(requirements) + "\n")
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return {package["name"]: package["version"] for package in json.loads(listed.stdout)}


def peer_database(ctx: harness.Context, name: str) -> dict:
    """The bench server's connection settings with another database name."""
    db = environ.Env.db_url_config(ctx.database_url)
    return {
        "NAME": name,
        "USER": db["USER"] or "",
        "PASSWORD": db["PASSWORD"] or "",
        "HOST": db["HOST"] or "",
        "PORT": str(db["PORT"] or ""),
    }


def database_url(db: dict) -> str:
    user = urllib.parse.quote(db["USER"], safe="")
    password = ":" + urllib.parse.quote(db["PASSWORD"], safe="") if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or 'localhost'}{port}/{db['NAME']}"


def connect(db: dict):
    connection = psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        connect_timeout=10,
    )
    connection.autocommit = True
    return connection


def peer_env(**extra: str) -> dict[str, str]:
    """A clean environment for a peer's processes: none of the portal's settings."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    return {key: os.environ[key] for key in keep if key in os.environ} | extra


def prepare_helpdesk(ctx: harness.Context) -> dict:
    """Virtualenv, project, database migrated, the public queue; returns how it is set up."""
    versions = helpdesk_venv()
    write_site(HELPDESK_SITE, _with_startproject_parts(HELPDESK_SETTINGS), HELPDESK_URLS)
    (HELPDESK_SITE / "bench_prepare.py").write_text(HELPDESK_PREPARE % {"queue": HELPDESK_QUEUE})
    db = peer_database(ctx, HELPDESK_DATABASE)
    harness.ensure_database(database_url(db))
    env = peer_env(
        DJANGO_SETTINGS_MODULE="helpdesk_site.settings",
        PEER_SECRET_KEY=secrets.token_urlsafe(50),
        **{f"PEER_DB_{key}": value for key, value in db.items()},
    )
    python = str(HELPDESK_VENV / "bin" / "python")
    print(f"{NAME}: helpdesk manage.py migrate", flush=True)
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=HELPDESK_SITE, env=env, check=True, timeout=900,
    )  # fmt: skip
    prepared = subprocess.run(
        [python, "bench_prepare.py"],
        cwd=HELPDESK_SITE, env=env, check=True, timeout=900, capture_output=True, text=True,
    )  # fmt: skip
    state = json.loads(prepared.stdout.strip().splitlines()[-1])
    wanted = {"django-helpdesk", "Django", "gunicorn", "psycopg2-binary"}
    return {
        "env": env,
        "db": db,
        "queue": state["queue"],
        "tickets_deleted_before": state["deleted"],
        "versions": {name: version for name, version in versions.items() if name in wanted},
        "venv_packages": versions,
    }


def ticket_count(db: dict) -> int:
    connection = connect(db)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM helpdesk_ticket")
            return cursor.fetchone()[0]
    finally:
        connection.close()


def settle(count, limit: float = 15.0) -> int:
    """The count once it has not moved for half a second: the requests still in flight when wrk
    stopped (it drops their answers) are finished and committed by the server."""
    deadline = time.monotonic() + limit
    last = count()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = count()
        if now == last:
            return now
        last = now
    raise RuntimeError(f"the count still moves {limit} s after the load")


def csrf_pair(url: str) -> tuple[str, str]:
    """The CSRF cookie and the form's token, as a browser gets them with the form."""
    with urllib.request.urlopen(url, timeout=10) as response:
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}, not 200")
        cookies = http.cookies.SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        body = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if "csrftoken" not in cookies or token is None:
        raise RuntimeError(f"{url}: no CSRF cookie or token in the form")
    return cookies["csrftoken"].value, token[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def probe_helpdesk(url: str, queue: int, cookie: str, token: str) -> str:
    """One POST as the Lua script sends it: the answer must be the ticket's page (302)."""
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "queue": queue,
            "title": "基准测试：探测",
            "body": "基准测试：探测请求。",
            "priority": 3,
            "due_date": "",
            "submitter_email": "probe@example.com",
        }
    ).encode()
    request = urllib.request.Request(
        url,
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
        },
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            status, location = response.status, response.headers.get("Location")
    except urllib.error.HTTPError as answer:
        status, location = answer.code, answer.headers.get("Location")
    if status != 302 or "/helpdesk/view/?ticket=" not in (location or ""):
        raise RuntimeError(f"helpdesk form POST answered {status} ({location}), not a ticket")
    return location


# --- Servers -----------------------------------------------------------------------------------


@contextlib.contextmanager
def peer_gunicorn(name: str, python_bin: Path, cwd: Path, app: str, env: dict, health: str):
    """gunicorn as harness.gunicorn starts the portal's, for a peer's project."""
    workers = 2 * (os.cpu_count() or 1) + 1
    port = harness.free_port()
    harness.OUT.mkdir(exist_ok=True)
    log_path = harness.OUT / f"{name}.gunicorn.log"
    command = harness.gunicorn_command(python_bin, app, port=port, workers=workers)
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            server = harness.Server(url=f"http://127.0.0.1:{port}", workers=workers)
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"{name}: gunicorn exited; see {log_path}")
                try:
                    if harness.fetch(server.url + health)[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name}: gunicorn not healthy after 60 s; see {log_path}")
                time.sleep(0.25)
            yield server
        finally:
            harness.stop(process)


# --- Lock waits --------------------------------------------------------------------------------

# The backends of this database waiting on a lock; the head of each queue (a backend that others
# wait for and that does not wait itself) with its state; what the waiters wait on.
LOCK_SAMPLE = """
WITH waiting AS (
    SELECT pid, pg_blocking_pids(pid) AS blockers
    FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock'
), heads AS (
    SELECT DISTINCT blocker FROM waiting, unnest(waiting.blockers) AS blocker
    WHERE blocker NOT IN (SELECT pid FROM waiting)
)
SELECT
    (SELECT count(*) FROM waiting),
    (SELECT coalesce(array_agg(activity.state), '{}'::text[])
     FROM pg_stat_activity AS activity JOIN heads ON heads.blocker = activity.pid),
    (SELECT coalesce(array_agg(DISTINCT locks.locktype
                               || coalesce(' ' || locks.relation::regclass::text, '')),
                     '{}'::text[])
     FROM pg_locks AS locks WHERE NOT locks.granted AND locks.pid IN (SELECT pid FROM waiting))
"""


class LockSampler(threading.Thread):
    """pg_stat_activity every SAMPLE_INTERVAL seconds until stopped, on its own connection."""

    def __init__(self, db: dict):
        super().__init__(daemon=True)
        self.db = db
        self.stopping = threading.Event()
        self.samples: list[tuple[int, list[str], list[str]]] = []
        self.error: str | None = None

    def run(self) -> None:
        try:
            connection = connect(self.db)
        except psycopg2.Error as error:
            self.error = str(error)
            return
        try:
            with connection.cursor() as cursor:
                while not self.stopping.is_set():
                    started = time.monotonic()
                    cursor.execute(LOCK_SAMPLE)
                    waiting, heads, locks = cursor.fetchone()
                    self.samples.append((waiting, list(heads), list(locks)))
                    self.stopping.wait(max(0.0, SAMPLE_INTERVAL - (time.monotonic() - started)))
        except psycopg2.Error as error:
            self.error = str(error)
        finally:
            connection.close()

    def stop(self) -> dict:
        self.stopping.set()
        self.join(timeout=10)
        counts = [waiting for waiting, _, _ in self.samples]
        with_waits = [sample for sample in self.samples if sample[0]]
        head_states: dict[str, int] = {}
        waited_on: dict[str, int] = {}
        for _, heads, locks in with_waits:
            for state in heads:
                head_states[state or "unknown"] = head_states.get(state or "unknown", 0) + 1
            for lock in locks:
                waited_on[lock] = waited_on.get(lock, 0) + 1
        idle = sum(1 for _, heads, _ in with_waits if "idle in transaction" in heads)
        return {
            "samples": len(counts),
            "interval_ms": int(SAMPLE_INTERVAL * 1000),
            "waiting_mean": round(statistics.fmean(counts), 2) if counts else None,
            "waiting_max": max(counts, default=None),
            "samples_with_waits": len(with_waits),
            # of the samples with a wait: the head of the queue idle in transaction
            "head_idle_in_transaction_share": (
                round(idle / len(with_waits), 3) if with_waits else None
            ),
            "head_states": head_states,  # samples with a wait, by the head's state
            "waited_on": waited_on,  # samples with a wait, by what is waited for
            "error": self.error,
        }


# --- The run -----------------------------------------------------------------------------------


def measure(ctx, url, script=harness.WRK_SCRIPT, args=(), before=None, after=None) -> dict:
    """Warm-up (kept only as `warmup`), then the measured run; before/after wrap the latter."""
    warmup = harness.wrk(ctx, url, ctx.warmup, script=script, args=args)
    if before:
        before()
    try:
        figures = harness.wrk(ctx, url, ctx.duration, script=script, args=args)
    finally:
        extra = after() if after else {}
    # the answers other than the one expected: any non-2xx, unless the script counts them itself
    for run_figures in (warmup, figures):
        run_figures.setdefault("unexpected", run_figures["non_2xx"])
    kept = ("requests", "non_2xx", "created", "unexpected")
    figures["warmup"] = {key: warmup[key] for key in kept if key in warmup}
    return figures | extra


def run(ctx: harness.Context) -> dict:
    import filing_floor  # its statements are built from the models: Django must be set up
    from django.db import connection

    from complaints.models import Complaint
    from portal.celery import app

    load_before = round(os.getloadavg()[0], 2)
    notes = list(ctx.notes)
    agency = complaint_intake.register_agency()
    connection.close()
    helpdesk = prepare_helpdesk(ctx)
    write_site(BARE_SITE, _with_startproject_parts(BARE_SETTINGS), BARE_URLS)
    bare_env = peer_env(
        DJANGO_SETTINGS_MODULE="bare_site.settings", PEER_SECRET_KEY=secrets.token_urlsafe(50)
    )
    portal_env = {
        **ctx.env,
        "RATELIMIT_ENABLE": "0",
        "CELERY_BROKER_URL": complaint_intake.BROKER_URL,
    }
    portal_db = peer_database(ctx, environ.Env.db_url_config(ctx.database_url)["NAME"])
    rounds: list[dict] = []
    api_created = api_runs = 0
    helpdesk_checks: list[dict] = []

    try:
        with contextlib.ExitStack() as servers:
            portal = servers.enter_context(
                harness.gunicorn(dataclasses.replace(ctx, env=portal_env))
            )
            helpdesk_server = servers.enter_context(
                peer_gunicorn(
                    "peer_helpdesk",
                    HELPDESK_VENV / "bin",
                    HELPDESK_SITE,
                    "helpdesk_site.wsgi:application",
                    helpdesk["env"],
                    HELPDESK_FORM,
                )
            )
            bare = servers.enter_context(
                peer_gunicorn(
                    "peer_bare",
                    harness.BIN,
                    BARE_SITE,
                    "bare_site.wsgi:application",
                    bare_env,
                    BARE_TRIVIAL,
                )
            )
            form_url = helpdesk_server.url + HELPDESK_FORM
            cookie, token = csrf_pair(form_url)
            helpdesk["probe_location"] = probe_helpdesk(form_url, helpdesk["queue"], cookie, token)
            floor = servers.enter_context(
                peer_gunicorn(
                    "filing_floor",
                    harness.BIN,
                    harness.BENCH,
                    "filing_floor:application",
                    portal_env,
                    "/healthz",
                )
            )
            floor_in_portal = servers.enter_context(
                peer_gunicorn(
                    "filing_floor_in_portal",
                    harness.BIN,
                    harness.ROOT,
                    "portal.wsgi:application",
                    portal_env
                    | {
                        "DJANGO_SETTINGS_MODULE": "filing_floor_portal",
                        "PYTHONPATH": str(harness.BENCH),
                    },
                    "/healthz",
                )
            )
            for url in (portal.url + PORTAL_TRIVIAL, bare.url + BARE_TRIVIAL):
                if harness.fetch(url)[0] != 200:
                    raise RuntimeError(f"{url} does not answer 200")

            def register_count() -> int:
                return Complaint.objects.filter(region_id=agency.region_id).count()

            def filings(url: str) -> dict:
                """Filings into the bench register, with the lock samples; its count checked."""
                nonlocal api_created, api_runs
                sampler = LockSampler(portal_db)
                figures = measure(
                    ctx, url + PORTAL_API, script=complaint_intake.SCRIPT,
                    args=(str(agency.pk),), before=sampler.start,
                    after=lambda: {"lock_waits": sampler.stop()},
                )  # fmt: skip
                settle(register_count)
                connection.close()
                api_created += figures["warmup"]["created"] + figures["created"]
                api_runs += 2
                return figures

            def helpdesk_form() -> dict:
                count_before = ticket_count(helpdesk["db"])
                figures = measure(
                    ctx, form_url, script=HELPDESK_SCRIPT,
                    args=(str(helpdesk["queue"]), cookie, token),
                )  # fmt: skip
                made = settle(lambda: ticket_count(helpdesk["db"])) - count_before
                answered = figures["warmup"]["created"] + figures["created"]
                check = {
                    "tickets_before": count_before,
                    "tickets_made": made,
                    "answers_302": answered,
                    "unanswered_in_flight": made - answered,
                    # wrk drops the answers in flight when it stops (warm-up and measured run):
                    # at most one per connection each time
                    "count_matches_302": 0 <= made - answered <= 2 * ctx.connections,
                    "unexpected_answers": figures["warmup"]["unexpected"] + figures["unexpected"],
                }
                helpdesk_checks.append(check)
                return figures | {"ticket_check": check}

            loads = {
                "portal_api": lambda: filings(portal.url),
                "filing_floor": lambda: filings(floor.url),
                "filing_floor_number_last": lambda: filings(floor.url + "/number-last"),
                "filing_floor_in_portal": lambda: filings(floor_in_portal.url + "/floor"),
                "portal_trivial": lambda: measure(ctx, portal.url + PORTAL_TRIVIAL),
                "helpdesk_form": helpdesk_form,
                "bare_trivial": lambda: measure(ctx, bare.url + BARE_TRIVIAL),
            }
            for number in range(ROUNDS):
                order = TARGETS[number % len(TARGETS) :] + TARGETS[: number % len(TARGETS)]
                this_round: dict = {"order": list(order)}
                for target in order:
                    print(
                        f"{NAME}: round {number + 1}/{ROUNDS}, {target}"
                        f" for {ctx.warmup} + {ctx.duration} s",
                        flush=True,
                    )
                    this_round["load_average_before_" + target] = round(os.getloadavg()[0], 2)
                    this_round[target] = loads[target]()
                rounds.append(this_round)
    finally:
        app.conf.broker_url = complaint_intake.BROKER_URL
        app.control.purge()  # the notices queued by the requests (no worker runs here)
        redis.Redis.from_url(complaint_intake.BROKER_URL).delete(filing_floor.QUEUE)

    register = complaint_intake.check_register(
        agency, api_created, in_flight=api_runs * ctx.connections
    )
    result: dict = {
        "data_size": {
            "register": agency.region.code,
            "complaints_in_register": register["complaints"],
            "helpdesk_tickets": ticket_count(helpdesk["db"]),
            "rounds": ROUNDS,
        },
        "paths": {
            "portal_api": f"POST {PORTAL_API}",
            "portal_trivial": f"GET {PORTAL_TRIVIAL}",
            "helpdesk_form": f"POST {HELPDESK_FORM}",
            "bare_trivial": f"GET {BARE_TRIVIAL}",
            "filing_floor": f"POST {PORTAL_API}",
            "filing_floor_number_last": f"POST /number-last{PORTAL_API}",
            "filing_floor_in_portal": f"POST /floor{PORTAL_API}",
        },
        "rounds": rounds,
    }
    result["medians"] = medians(rounds)
    result["ratios"] = ratios(rounds, result["medians"])
    result["lock_waits_by_target"] = {
        target: lock_waits([r[target]["lock_waits"] for r in rounds]) for target in FILINGS
    }
    result["lock_waits"] = result["lock_waits_by_target"]["portal_api"]  # the target's
    result["register_check"] = register
    result["helpdesk_check"] = {
        "per_round": helpdesk_checks,
        "ok": all(c["count_matches_302"] and c["unexpected_answers"] == 0 for c in helpdesk_checks),
    }
    # no socket error; no answer but 201 / 2xx from the portal and the bare project, 302 from
    # helpdesk; warm-ups included
    clean = all(
        sum(r[t]["errors"].values()) == 0
        and r[t]["unexpected"] == 0
        and r[t]["warmup"]["unexpected"] == 0
        for r in rounds
        for t in TARGETS
    )
    result["targets"] = {
        **{name: ratio["ok"] for name, ratio in result["ratios"].items() if ratio["target"]},
        "no_lock_waits": result["lock_waits"]["waiting_max"] == 0,
        "clean": clean,
        "register_ok": register["numbers_unique"]
        and register["gapless"]
        and register["counter_matches"]
        and register["count_matches_201"],
        "helpdesk_tickets_ok": result["helpdesk_check"]["ok"],
    }
    result["peers"] = {
        "helpdesk": {
            "versions": helpdesk["versions"],
            "venv": str(HELPDESK_VENV.relative_to(harness.ROOT)),
            "venv_packages": helpdesk["venv_packages"],
            "site": str(HELPDESK_SITE.relative_to(harness.ROOT)),
            "database": f"{helpdesk['db']['HOST'] or 'localhost'}:{helpdesk['db']['PORT'] or 5432}"
            f"/{helpdesk['db']['NAME']}",
            "queue": helpdesk["queue"],
            "tickets_deleted_before_run": helpdesk["tickets_deleted_before"],
            "probe": helpdesk["probe_location"].split("&")[0],
            "settings": "startproject's 7 middlewares, debug off, CONN_MAX_AGE 60 with health"
            " checks (as the portal), e-mails rendered to the dummy backend, teams off",
        },
        "bare": {
            "django": importlib.metadata.version("Django"),
            "gunicorn": "the portal's virtualenv",
            "site": str(BARE_SITE.relative_to(harness.ROOT)),
            "middlewares": 7,
        },
    }
    result["config"] = harness.load_config(ctx, portal, load_before) | {
        "rounds": ROUNDS,
        "lock_sample_interval_ms": int(SAMPLE_INTERVAL * 1000),
        "server_env": {"RATELIMIT_ENABLE": "0", "CELERY_BROKER_URL": complaint_intake.BROKER_URL},
    }
    notes.append(
        "`unexpected` (the summary's `wrong`): answers other than 2xx from the portal and the bare"
        " project, other than 302 (a ticket made) from helpdesk, whose non_2xx counts its 302s"
    )
    result["notes"] = notes
    return result


def medians(rounds: list[dict]) -> dict:
    """Per target: the median of the rounds' throughput and latencies, the sums of the rest."""
    return {
        target: {
            "requests_per_s": round(
                statistics.median(r[target]["requests_per_s"] for r in rounds), 1
            ),
            "latency_ms": {
                p: round(statistics.median(r[target]["latency_ms"][p] for r in rounds), 3)
                for p in ("p50", "p95", "p99")
            },
            "errors": sum(sum(r[target]["errors"].values()) for r in rounds),
            "non_2xx": sum(r[target]["non_2xx"] for r in rounds),
            "unexpected": sum(r[target]["unexpected"] for r in rounds),
        }
        for target in TARGETS
    }


def ratios(rounds: list[dict], medians: dict) -> dict:
    """The issue's ratios: per round, their median (read against the target), their range, and
    the ratio of the median throughputs."""
    result = {}
    for name, (top, bottom, target) in RATIOS.items():
        per_round = [
            round(r[top]["requests_per_s"] / r[bottom]["requests_per_s"], 3) for r in rounds
        ]
        median = round(statistics.median(per_round), 3)
        of_medians = medians[top]["requests_per_s"] / medians[bottom]["requests_per_s"]
        result[name] = {
            "per_round": per_round,
            "median": median,
            "range": [min(per_round), max(per_round)],
            "of_median_throughputs": round(of_medians, 3),
            "target": target,
            "ok": None if target is None else median >= target,
        }
    return result


def lock_waits(waits: list[dict]) -> dict:
    """The rounds' lock samples together."""
    samples = sum(w["samples"] for w in waits)
    with_waits = sum(w["samples_with_waits"] for w in waits)
    idle = sum((w["head_idle_in_transaction_share"] or 0) * w["samples_with_waits"] for w in waits)
    waiting = sum(w["waiting_mean"] * w["samples"] for w in waits if w["samples"])
    return {
        "waiting_mean": round(waiting / samples, 2) if samples else None,
        "waiting_max": max((w["waiting_max"] or 0) for w in waits),
        "samples": samples,
        "samples_with_waits": with_waits,
        "head_idle_in_transaction_share": round(idle / with_waits, 3) if with_waits else None,
        "per_round_mean": [w["waiting_mean"] for w in waits],
        "errors": [w["error"] for w in waits if w["error"]],
    }


def summary(result: dict) -> str:
    lines = harness.summary_header(NAME, result)
    lines[0] += f", {result['config']['rounds']} interleaved rounds"
    versions = result["peers"]["helpdesk"]["versions"]
    lines.append(
        "  peer: " + ", ".join(f"{name} {version}" for name, version in sorted(versions.items()))
    )
    width = max(len(f"{target} {path}") for target, path in result["paths"].items()) + 1
    lines.append(
        f"  {'target (median of rounds)':<{width}}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'errors':>8}{'wrong':>7}  rounds req/s"
    )
    for target in TARGETS:
        median = result["medians"][target]
        latency = median["latency_ms"]
        per_round = " ".join(f"{r[target]['requests_per_s']:.1f}" for r in result["rounds"])
        lines.append(
            f"  {target + ' ' + result['paths'][target]:<{width}}{median['requests_per_s']:>9.1f}"
            f"{latency['p50']:>9.2f}{latency['p95']:>9.2f}{latency['p99']:>9.2f}"
            f"{median['errors']:>8}{median['unexpected']:>7}  {per_round}"
        )
    for name, ratio in result["ratios"].items():
        verdict = (
            "no target" if ratio["target"] is None
            else f"target ≥ {ratio['target']}: {'ok' if ratio['ok'] else 'NOT MET'}"
        )  # fmt: skip
        lines.append(
            f"  {name}: {ratio['median']:.3f}"
            f" (rounds {ratio['range'][0]:.3f}–{ratio['range'][1]:.3f},"
            f" of medians {ratio['of_median_throughputs']:.3f}), {verdict}"
        )  # fmt: skip
    for target, waits in result["lock_waits_by_target"].items():
        share = waits["head_idle_in_transaction_share"]
        lines.append(
            f"  lock waits during {target}: mean {waits['waiting_mean']},"
            f" max {waits['waiting_max']} waiting backends"
            f" ({waits['samples_with_waits']} of {waits['samples']} samples);"
            f" head idle in transaction: {'-' if share is None else f'{share:.0%}'}"
        )
        lines += [f"  lock sampler failed: {error}" for error in waits["errors"]]
    lines.append(complaint_intake.register_line(result))
    made = sum(c["tickets_made"] for c in result["helpdesk_check"]["per_round"])
    answered = sum(c["answers_302"] for c in result["helpdesk_check"]["per_round"])
    lines.append(
        f"  helpdesk: {made} tickets made, {answered} answers 302;"
        f" ok={result['helpdesk_check']['ok']}"
    )
    lines.append("  targets: " + ", ".join(f"{k}={v}" for k, v in result["targets"].items()))
    lines += [f"  note: {note}" for note in result["notes"]]
    return "\n".join(lines)
