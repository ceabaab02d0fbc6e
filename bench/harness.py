"""What every benchmark shares: the bench database, a gunicorn server, wrk, and results.json.

Everything runs on this machine and talks to 127.0.0.1 only. Each external process is started
with a time limit and stopped in a `finally`, so a failed run leaves nothing behind.
"""

import json
import os
import platform
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import environ
import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"  # logs of the last run (gitignored)
RESULTS = BENCH / "results.json"
WRK_SCRIPT = BENCH / "report.lua"
BIN = Path(sys.executable).parent  # the virtualenv running the benchmarks
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"

# Production settings, except what needs a TLS proxy in front (redirect, HSTS).
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_HSTS_SECONDS": "0",
    # As in production: a cache shared by the gunicorn workers (public pages are cached there).
    "CACHE_URL": "redis://127.0.0.1:6379/12",
    "LOG_LEVEL": "WARNING",
}


@dataclass
class Context:
    """One run's settings, shared by every benchmark in it."""

    env: dict[str, str]
    database_url: str
    duration: int = 10
    warmup: int = 3
    connections: int = 16
    threads: int = 2
    notes: list[str] = field(default_factory=list)

    @property
    def database_label(self) -> str:
        """The database without its password, for reports."""
        db = environ.Env.db_url_config(self.database_url)
        return f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class Server:
    url: str
    workers: int


# --- Database and Django ---------------------------------------------------------------------


def ensure_database(url: str) -> None:
    """Create the database named in url if it is missing (the server must already run)."""
    db = environ.Env.db_url_config(url)
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit(f"the benchmarks run on PostgreSQL, not {db['ENGINE']}")
    connection = psycopg2.connect(
        dbname="postgres",
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        connect_timeout=10,
    )
    connection.autocommit = True  # CREATE DATABASE cannot run in a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
                print(f"created database {db['NAME']}")
    finally:
        connection.close()


def prepare(**options) -> Context:
    """Bench database migrated and loaded, static files collected, Django set up in-process."""
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    ensure_database(url)
    os.environ.update(BENCH_ENV, DATABASE_URL=url, DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    ctx = Context(env=dict(os.environ), database_url=url, **options)
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import get_commands

    django.setup()
    manage(ctx, "migrate", "--noinput")
    if "load_demo_data" in get_commands():
        # --force: debug is off here, and the demo logins are fine on a bench database that
        # only 127.0.0.1 can reach.
        manage(ctx, "load_demo_data", "--force")
    else:
        ctx.notes.append("load_demo_data does not exist yet: the database holds no demo data")
    # Debug off means whitenoise's manifest storage: pages need the collected manifest.
    manage(ctx, "collectstatic", "--noinput")
    return ctx


def manage(ctx: Context, *args: str, timeout: int = 900) -> None:
    print(f"manage.py {' '.join(args)}", flush=True)
    subprocess.run(
        [sys.executable, "manage.py", *args, "--verbosity", "0"],
        cwd=ROOT,
        env=ctx.env,
        check=True,
        timeout=timeout,
    )


# --- gunicorn ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_command(bin_dir: Path, app: str, *, port: int, workers: int) -> list[str]:
    """How every benchmark starts gunicorn (the portal's and the peers' alike)."""
    return [
        str(bin_dir / "gunicorn"),
        app,
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--timeout=60",
        "--worker-tmp-dir=/dev/shm",
        "--no-control-socket",
    ]


@contextmanager
def gunicorn(ctx: Context, workers: int | None = None) -> Iterator[Server]:
    """gunicorn serving the portal on 127.0.0.1, healthy on entry, stopped on exit."""
    workers = workers or 2 * (os.cpu_count() or 1) + 1
    port = free_port()
    OUT.mkdir(exist_ok=True)
    log_path = OUT / "gunicorn.log"
    command = gunicorn_command(BIN, "portal.wsgi:application", port=port, workers=workers)
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=ctx.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            server = Server(url=f"http://127.0.0.1:{port}", workers=workers)
            wait_until_healthy(server, process, log_path)
            yield server
        finally:
            stop(process)


def wait_until_healthy(server: Server, process: subprocess.Popen, log: Path, limit=60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log}")
        try:
            if fetch(server.url + "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"gunicorn not healthy after {limit} s; see {log}")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM lets gunicorn finish its requests; its process group is killed if it hangs."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, dict(response.headers), response.read()


# --- wrk ---------------------------------------------------------------------------------------


def wrk(
    ctx: Context, url: str, duration: int, script: Path = WRK_SCRIPT, args: tuple[str, ...] = ()
) -> dict:
    """One wrk run (a separate process); the figures come from the script (report.lua, or one
    that prints the same figures) as a JSON line."""
    command = [
        "wrk",
        f"--threads={ctx.threads}",
        f"--connections={ctx.connections}",
        f"--duration={duration}s",
        "--timeout=10s",
        f"--script={script}",
        url,
        *args,  # the script's init(args)
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + 60, check=True
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"wrk printed no report:\n{result.stdout}{result.stderr}")
    return json.loads(lines[-1])


def load(ctx: Context, url: str) -> dict:
    """Warm up (figures dropped), then measure for the run's duration."""
    status, headers, body = fetch(url)
    if status != 200:
        raise RuntimeError(f"{url} answered {status}, not 200")
    wrk(ctx, url, ctx.warmup)
    figures = wrk(ctx, url, ctx.duration)
    figures["content_language"] = headers.get("Content-Language")
    figures["response_bytes"] = len(body)
    return figures


# --- Results -----------------------------------------------------------------------------------


def first_line(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    return (result.stdout or result.stderr).strip().splitlines()[0]


def machine_info() -> dict:
    from django import get_version
    from django.db import connection

    cpuinfo = Path("/proc/cpuinfo").read_text()
    meminfo = Path("/proc/meminfo").read_text()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    connection.close()
    return {
        "cpu_model": re.search(r"model name\s*:\s*(.*)", cpuinfo)[1],
        "cores": os.cpu_count(),
        "memory_gb": round(int(re.search(r"MemTotal:\s*(\d+)", meminfo)[1]) / 1024**2, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgres": postgres,
        "django": get_version(),
        "gunicorn": first_line([str(BIN / "gunicorn"), "--version"]),
        "wrk": first_line(["wrk", "--version"]),
        "commit": first_line(["git", "-C", str(ROOT), "describe", "--always", "--dirty"]),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def save_result(name: str, result: dict, machine: dict) -> None:
    """Merge one benchmark's entry into results.json, keeping the other benchmarks' entries."""
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["machine"] = machine
    results.setdefault("benchmarks", {})[name] = result
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


def load_config(ctx: Context, server: Server, load_before: float) -> dict:
    """How a load test ran, stored beside its figures."""
    return {
        "gunicorn_workers": server.workers,
        "wrk_threads": ctx.threads,
        "wrk_connections": ctx.connections,
        "duration_s": ctx.duration,
        "warmup_s": ctx.warmup,
        "database": ctx.database_label,
        "load_average_before": load_before,
    }


def summary_header(name: str, result: dict) -> list[str]:
    """The first lines of a load test's summary: set-up, data size, machine load."""
    config, size = result["config"], result["data_size"]
    return [
        f"{name}: gunicorn {config['gunicorn_workers']} sync workers, wrk {config['wrk_threads']}"
        f" threads x {config['wrk_connections']} connections, {config['duration_s']} s per page",
        "  data: " + ", ".join(f"{count} {label}" for label, count in size.items()),
        f"  load average before: {config['load_average_before']} (should be near 0)",
    ]
