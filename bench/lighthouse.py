"""Lighthouse scores of the public pages on a phone, against gunicorn serving as production does.

Lighthouse (the npm package in node_modules, `make vendor` / `npm ci`) drives Debian's Chromium
(CHROME_PATH; it never downloads a browser) in its mobile emulation (a mid-range phone, throttled
network and CPU) for the home page, a search of the power list, a published item, a disclosed
decision, the filing form and the tracking form of the demo data. Debug is off, so the static
files are whitenoise's compressed, hashed copies; the shared cache is as in production. Each
page is measured three times and the run of median performance kept (the score moves with the
machine's load); its four category scores (0-100), every run's performance score and the
audits that lost points go into results.json.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import harness

NAME = "lighthouse"
LIGHTHOUSE = harness.ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
RUNS = 3  # per page; the median run is kept (Lighthouse's advice for variable machines)
TARGET = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def pages() -> dict[str, str]:
    """The pages measured, from the demo data: the first published item and disclosure."""
    from enforcement.models import DecisionDisclosure, PublishedPowerItem

    item = PublishedPowerItem.objects.order_by("pk").values_list("pk", flat=True).first()
    disclosure = DecisionDisclosure.objects.order_by("pk").values_list("pk", flat=True).first()
    return {
        "home": "/",
        "search": "/powers/?q=%E8%AE%B8%E5%8F%AF",  # 许可
        "item": f"/powers/items/{item}/",
        "disclosure": f"/disclosures/{disclosure}/",
        "filing": "/complaints/file/",
        "tracking": "/complaints/track/",
    }


def audit(url: str, out: Path) -> dict:
    """One Lighthouse run of `url` (mobile, the default form factor); its report's figures."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--form-factor=mobile",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--output=json",
        f"--output-path={out}",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    try:
        subprocess.run(command, env=env, check=True, timeout=300, capture_output=True, text=True)
    except subprocess.CalledProcessError as error:  # Chromium lost on a busy machine, ...
        raise RuntimeError(error.stderr.strip().splitlines()[-1:] or error) from error
    except subprocess.TimeoutExpired as error:
        raise RuntimeError("Lighthouse took over 300 s") from error
    report = json.loads(out.read_text())
    if any(report["categories"][name]["score"] is None for name in CATEGORIES):
        # A trace Lighthouse failed to record (NO_NAVSTART on a busy machine): not a score.
        raise RuntimeError(report.get("runtimeError", {}).get("message", "no score"))
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    lost = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            found = report["audits"][ref["id"]]
            if ref["weight"] and found["score"] is not None and found["score"] < 1:
                lost.append(f"{name}: {ref['id']} {found.get('displayValue', '')}".rstrip())
    return {
        "scores": scores,
        "lost_points": lost,
        "lighthouse": report["lighthouseVersion"],
        "user_agent": report["environment"]["hostUserAgent"],
    }


def run(ctx: harness.Context) -> dict:
    if not LIGHTHOUSE.exists():
        raise SystemExit("node_modules/.bin/lighthouse is missing: run npm ci")
    if shutil.which(CHROMIUM) is None:
        raise SystemExit("Debian's chromium is not installed: apt-get install -y chromium")
    load_before = round(os.getloadavg()[0], 2)
    result = {"pages": {}}
    with harness.gunicorn(ctx, workers=2) as server, tempfile.TemporaryDirectory() as tmp:
        for name, path in pages().items():
            print(f"{NAME}: {path}", flush=True)
            harness.fetch(server.url + path)  # the first answer fills the shared cache
            runs = []
            for attempt in range(RUNS + 2):  # two spare attempts for failed traces
                try:
                    runs.append(audit(server.url + path, Path(tmp) / f"{name}.json"))
                except RuntimeError as error:
                    print(f"{NAME}: {path} attempt {attempt + 1}: {error}", flush=True)
                if len(runs) == RUNS:
                    break
            # Performance moves with the machine's load: the run of median performance.
            runs.sort(key=lambda run: run["scores"]["performance"])
            figures = runs[len(runs) // 2]
            performance_runs = [run["scores"]["performance"] for run in runs]
            result["pages"][name] = {"path": path, **figures, "performance_runs": performance_runs}
    result["target"] = TARGET
    result["met"] = all(
        figures["scores"][name] >= TARGET[name]
        for figures in result["pages"].values()
        for name in CATEGORIES
    )
    result["config"] = {"form_factor": "mobile", "load_average_before": load_before}
    result["notes"] = list(ctx.notes)
    return result


def summary(result: dict) -> str:
    lines = [
        f"{NAME}: mobile, Lighthouse {next(iter(result['pages'].values()))['lighthouse']}",
        f"  {'page':<12}{'perf':>6}{'a11y':>6}{'bp':>6}{'seo':>6}",
    ]
    for name, figures in result["pages"].items():
        scores = figures["scores"]
        lines.append(f"  {name:<12}" + "".join(f"{scores[category]:>6}" for category in CATEGORIES))
        lines += [f"    lost: {lost}" for lost in figures["lost_points"]]
    lines.append(f"  target (perf >= 95, the others 100) met: {result['met']}")
    return "\n".join(lines)
