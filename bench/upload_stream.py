"""A 500 MB video record uploaded to an enforcement case streams to storage (issue 5, R6).

The parent writes an MP4 (a valid ftyp box, then an mdat box of filler) to a temporary file in
1 MiB chunks, hashing it as it goes, so the benchmark never holds the file either. curl (a
separate process, which reads the file from disk as it sends it) POSTs it as an audio-video
record to /cases/<pk>/records/ of the demo case in the investigation stage, logged in as the
demo inspector_a, to one gunicorn worker of the production worker model (the Dockerfile's
--worker-class and --threads). The worker's peak resident memory (VmHWM in /proc) is read
after a warm-up upload of a few MiB and again after the large one; target: growth < 10 % of
the file.

A second upload of the same file is throttled so that it lasts 1.5 × gunicorn's --timeout, the
case of a slow uplink with no buffering proxy in front: the same worker must still be serving
afterwards, and the record stored. The stored records are checked (size, SHA-256 in the row and
of the bytes in storage), then removed with their timeline steps and files, so the benchmark can
run again on the same database.
"""

import dataclasses
import datetime
import hashlib
import os
import re
import shlex
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import harness

NAME = "upload_stream"
FILE_MIB = 500
WARMUP_MIB = 4  # above FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), so the warm-up takes the same path
TARGET_GROWTH = 0.10  # of the file's size
TIMEOUT_S = 60  # what harness.gunicorn passes; the Dockerfile's is checked against it
SLOW_FACTOR = 1.5  # the slow upload lasts this many times the timeout
TITLE = "基准测试执法记录仪视频"
WORKER_FLAGS = ("--worker-class", "--threads", "--timeout")
MIB = 1024 * 1024


# --- The file ----------------------------------------------------------------------------------


def write_mp4(path: Path, mib: int) -> str:
    """An MP4 of exactly `mib` MiB, written and hashed in 1 MiB chunks; returns its SHA-256."""
    ftyp = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    size = mib * MIB
    mdat = (size - len(ftyp)).to_bytes(4, "big") + b"mdat"
    filler = os.urandom(MIB)
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for n in range(mib):
            chunk = n.to_bytes(8, "big") + filler[8:]  # each MiB its own bytes
            if n == 0:
                chunk = ftyp + mdat + chunk[len(ftyp) + len(mdat) :]
            out.write(chunk)
            digest.update(chunk)
    return digest.hexdigest()


def storage_sha256(name: str) -> str:
    from django.core.files.storage import default_storage

    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(MIB), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- The server and its worker -----------------------------------------------------------------


def production_worker_args() -> list[str]:
    """--worker-class and --threads as the Dockerfile's GUNICORN_CMD_ARGS set them."""
    dockerfile = (harness.ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    args = shlex.split(re.search(r'GUNICORN_CMD_ARGS="([^"]*)"', dockerfile)[1])
    value = {flag: args[args.index(flag) + 1] for flag in args if flag in WORKER_FLAGS}
    if int(value.get("--timeout", 30)) != TIMEOUT_S:
        raise RuntimeError(f"the Dockerfile's --timeout is not the harness's {TIMEOUT_S} s")
    return [f"{flag}={value[flag]}" for flag in ("--worker-class", "--threads") if flag in value]


def status_kib(pid: int, field: str) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)[1])


def parent(pid: int) -> int:
    return int(re.search(r"^PPid:\s+(\d+)", Path(f"/proc/{pid}/status").read_text(), re.M)[1])


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and parent(int(entry.name)) == pid:
                found.append(int(entry.name))
        except FileNotFoundError:  # ended meanwhile
            continue
    return found


def worker_pid(port: int) -> int:
    """The one live worker of the gunicorn this process started on `port`."""
    for pid in children(os.getpid()):
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        if f"127.0.0.1:{port}" in cmdline:
            (worker,) = [child for child in children(pid) if not zombie(child)]
            return worker
    raise RuntimeError(f"no gunicorn of this run on port {port}")


def zombie(pid: int) -> bool:
    return re.search(r"^State:\s+Z", Path(f"/proc/{pid}/status").read_text(), re.M) is not None


def answering(server, limit: float = 30) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if harness.fetch(server.url + "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"gunicorn did not answer /healthz within {limit} s")


def worker_timeouts() -> int:
    """How often the master has killed a worker for --timeout in this server's log."""
    return (harness.OUT / "gunicorn.log").read_text().count("WORKER TIMEOUT")


class RssSampler(threading.Thread):
    """The worker's resident memory every 20 ms while an upload runs (the curve, not only the
    peak that VmHWM keeps)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.highest_kib, self.done = pid, 0, threading.Event()

    def run(self):
        while not self.done.wait(0.02):
            self.highest_kib = max(self.highest_kib, status_kib(self.pid, "VmRSS"))


# --- The requests ------------------------------------------------------------------------------


def login(username: str) -> dict[str, str]:
    """A session of `username` in the bench database, and a CSRF secret for the form."""
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from portal.models import User

    client = Client()
    client.force_login(
        User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend"
    )
    return {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: _get_new_csrf_string(),
    }


def upload(url: str, path: Path, cookies: dict, case, *, name: str, rate: int = 0) -> dict:
    """POST the record form with curl (-F reads the file as it sends it); 302 means stored."""
    from django.conf import settings
    from django.utils import timezone

    officer = case.case_officers.order_by("pk").first().officer
    recorded_at = timezone.localtime() - datetime.timedelta(hours=1)
    fields = {
        "csrfmiddlewaretoken": cookies[settings.CSRF_COOKIE_NAME],
        "add-kind": "audio_video",
        "add-evidence_type": "audiovisual",
        "add-title": TITLE,
        "add-recorded_by": str(officer.pk),
        "add-recorded_at": recorded_at.strftime("%Y-%m-%dT%H:%M"),
        "add-recorded_place": "基准测试现场",
    }
    command = ["curl", "--silent", "--show-error", "--output", "/dev/null", "--header", "Expect:"]
    command += ["--header", "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items())]
    command += ["--write-out", "%{http_code} %{time_total} %{size_upload} %{redirect_url}"]
    for key, value in fields.items():
        command += ["--form-string", f"{key}={value}"]
    command += ["--form", f"add-file=@{path};type=video/mp4;filename={name}"]
    if rate:
        command += ["--limit-rate", str(rate)]
    # A worker killed mid-upload is a result to record (HTTP 000, curl's error), not a crash.
    done = subprocess.run(command + [url], capture_output=True, text=True, timeout=900)
    code, seconds, sent, location = (done.stdout.split(" ", 3) + [""])[:4]
    return {
        "http_status": int(code),
        "redirected_to_case": location.endswith(case.get_absolute_url()),
        "seconds": round(float(seconds), 2),
        "bytes_sent": int(float(sent)),
        "throughput_mib_s": round(float(sent) / MIB / float(seconds), 1),
        "curl_error": done.stderr.strip() if done.returncode else "",
    }


def measured_upload(url: str, pid: int, path: Path, cookies: dict, case, **options) -> dict:
    before = status_kib(pid, "VmHWM")
    sampler = RssSampler(pid)
    sampler.start()
    try:
        figures = upload(url, path, cookies, case, **options)
    finally:
        sampler.done.set()
        sampler.join()
    after = status_kib(pid, "VmHWM")
    size = path.stat().st_size
    return {
        **figures,
        "peak_rss_before_mib": round(before / 1024, 1),
        "peak_rss_after_mib": round(after / 1024, 1),
        "peak_rss_growth_mib": round((after - before) / 1024, 1),
        "growth_vs_file": round((after - before) * 1024 / size, 4),
        "rss_sampled_max_mib": round(sampler.highest_kib / 1024, 1),
    }


def stored_check(case, name: str, size: int, sha256: str) -> dict:
    record = case.records.filter(title=TITLE, original_name=name).order_by("pk").last()
    if record is None:
        return {"stored": False}
    return {
        "stored": True,
        "size_ok": record.size == size,
        "sha256_ok": record.sha256 == sha256,
        "storage_size_ok": record.file.size == size,
        "storage_sha256_ok": storage_sha256(record.file.name) == sha256,
    }


def remove_bench_records(case) -> int:
    """The bench's records, their timeline steps and files: the demo case as it was."""
    from enforcement.models import CaseEvent

    records = list(case.records.filter(title=TITLE))
    for record in records:
        record.file.delete(save=False)
    case.records.filter(pk__in=[r.pk for r in records]).delete()
    case.timeline.filter(kind=CaseEvent.Kind.RECORD_ADDED, note__contains=TITLE).delete()
    return len(records)


# --- The benchmark -----------------------------------------------------------------------------


def bench_case():
    from enforcement.demo.cases import AGENCY_NAME
    from enforcement.models import Case, Stage

    case = Case.objects.filter(agency__name=AGENCY_NAME, stage=Stage.INVESTIGATION).first()
    if case is None:
        raise RuntimeError("no demo case in the investigation stage (load_demo_data)")
    remove_bench_records(case)  # left by an interrupted run
    return case


def run(ctx: harness.Context) -> dict:
    from django.conf import settings
    from django.db import connection

    case = bench_case()
    cookies = login("inspector_a")
    connection.close()
    worker_args = production_worker_args()
    server_env = {
        "CASE_MAX_VIDEO_MB": str(2 * FILE_MIB),
        "GUNICORN_CMD_ARGS": " ".join(worker_args),
    }
    load_before = round(os.getloadavg()[0], 2)
    result = {"data_size": {"file_bytes": FILE_MIB * MIB, "file_mib": FILE_MIB, "case": case.pk}}
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as tmp:
        big, small = Path(tmp) / "big.mp4", Path(tmp) / "small.mp4"
        print(f"{NAME}: writing a {FILE_MIB} MiB MP4", flush=True)
        sha256 = write_mp4(big, FILE_MIB)
        write_mp4(small, WARMUP_MIB)
        server_ctx = dataclasses.replace(ctx, env={**ctx.env, **server_env})
        try:
            with harness.gunicorn(server_ctx, workers=1) as server:
                result |= uploads(server, case, cookies, big, small, sha256)
        finally:
            result["removed_records"] = remove_bench_records(case)
    fast, slow = result["fast"], result["slow"]
    result["targets"] = {
        "growth_below_10pct": fast["growth_vs_file"] < TARGET_GROWTH,
        "stored_ok": all(fast["check"].values()) and fast["http_status"] == 302,
        "slow_upload_survived": slow["same_worker"]
        and slow["worker_timeouts"] == 0
        and slow["http_status"] == 302
        and all(slow["check"].values())
        and slow["seconds"] > TIMEOUT_S,
    }
    result["config"] = {
        "gunicorn_workers": 1,
        "gunicorn_args": worker_args + [f"--timeout={TIMEOUT_S}"],
        "server_env": server_env,
        "file_upload_max_memory_size": settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
        "file_upload_temp_dir": settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir(),
        "storage": settings.STORAGES["default"]["BACKEND"],
        "client": harness.first_line(["curl", "--version"]),
        "database": ctx.database_label,
        "load_average_before": load_before,
    }
    # results.json's top-level machine is the last run's; this entry keeps its own.
    result["machine"] = harness.machine_info()
    result["notes"] = list(ctx.notes)
    return result


def uploads(server, case, cookies, big: Path, small: Path, sha256: str) -> dict:
    url = server.url + f"/cases/{case.pk}/records/"
    port = int(server.url.rsplit(":", 1)[1])
    pid = worker_pid(port)
    page = urllib.request.Request(
        server.url + case.get_absolute_url(),
        headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
    )
    with urllib.request.urlopen(page, timeout=30) as response:
        if response.status != 200:
            raise RuntimeError(f"the case page answered {response.status}")
    started_kib = status_kib(pid, "VmHWM")
    warmup = upload(url, small, cookies, case, name="warmup.mp4")
    warmup["peak_rss_before_mib"] = round(started_kib / 1024, 1)
    warmup["peak_rss_after_mib"] = round(status_kib(pid, "VmHWM") / 1024, 1)
    size = big.stat().st_size

    print(f"{NAME}: POST {FILE_MIB} MiB at full speed", flush=True)
    fast = measured_upload(url, pid, big, cookies, case, name="fast.mp4")
    fast["check"] = stored_check(case, "fast.mp4", size, sha256)

    rate = int(size / (SLOW_FACTOR * TIMEOUT_S))
    print(f"{NAME}: POST {FILE_MIB} MiB at {rate / MIB:.1f} MiB/s (> {TIMEOUT_S} s)", flush=True)
    slow = measured_upload(url, pid, big, cookies, case, name="slow.mp4", rate=rate)
    slow["check"] = stored_check(case, "slow.mp4", size, sha256)
    slow["rate_limit_mib_s"] = round(rate / MIB, 2)
    answering(server)  # by then a killed worker has been replaced
    slow["same_worker"] = worker_pid(port) == pid
    slow["worker_timeouts"] = worker_timeouts()
    return {"warmup": {"file_mib": WARMUP_MIB, **warmup}, "fast": fast, "slow": slow}


def summary(result: dict) -> str:
    config, fast, slow = result["config"], result["fast"], result["slow"]
    return "\n".join(
        [
            f"{NAME}: {result['data_size']['file_mib']} MiB MP4 to /cases/"
            f"{result['data_size']['case']}/records/, 1 gunicorn worker "
            f"({' '.join(config['gunicorn_args'])}), curl",
            f"  load average before: {config['load_average_before']} (should be near 0)",
            f"  full speed: HTTP {fast['http_status']} in {fast['seconds']} s "
            f"({fast['throughput_mib_s']} MiB/s); worker peak RSS {fast['peak_rss_before_mib']} "
            f"-> {fast['peak_rss_after_mib']} MiB (+{fast['peak_rss_growth_mib']} MiB, "
            f"{fast['growth_vs_file']:.2%} of the file); stored {fast['check']}",
            f"  throttled to {slow['rate_limit_mib_s']} MiB/s: HTTP {slow['http_status']} in "
            f"{slow['seconds']} s, same worker {slow['same_worker']} "
            f"({slow['worker_timeouts']} worker timeouts), peak RSS +"
            f"{slow['peak_rss_growth_mib']} MiB; stored {slow['check']}",
            "  targets: " + ", ".join(f"{k}={v}" for k, v in result["targets"].items()),
            *(f"  note: {note}" for note in result["notes"]),
        ]
    )
