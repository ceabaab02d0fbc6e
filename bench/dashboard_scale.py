"""The supervisors' dashboard and every role's to-do list at 200,000 and at 2,000,000 cases
(issue 14 "Scale"): each within 150 ms at the larger size, the same query count at both, and
time(2,000,000) / time(200,000) at most 1.5.

The two sizes are `scale`'s two databases, measured in ROUNDS alternating rounds, each in a fresh
process (this module run as a script): every page through Django's test client logged in as its
persona, REPEATS times after one warm-up request, median server time and the statements sent.
The personas: the province's supervisor and a city's (dashboard and to-do list), an agency's
staff, its legal office and the system administrator (to-do list; the administrator's also on
the admin index). The figures of each page are the medians over the rounds.
"""

import json
import os
import statistics
import sys
import time

import harness
import scale

NAME = "dashboard_scale"
ROUNDS = 3
REPEATS = 7
LEGAL_OFFICE = "bench-legal-office"
SYSADMIN = "bench-sysadmin"

# (page, persona, url)
PAGES = [
    ("dashboard", "province", "/dashboard/"),
    ("dashboard", "city", "/dashboard/"),
    ("todo", "province", "/workspace/"),
    ("todo", "city", "/workspace/"),
    ("todo", "agency_staff", "/workspace/"),
    ("todo", "legal_office", "/workspace/"),
    ("todo", "sysadmin", "/workspace/"),
    ("admin_index", "sysadmin", "/admin/"),
]


def run(ctx: harness.Context) -> dict:
    load_before = round(os.getloadavg()[0], 2)
    generate_s = scale.fill_both(ctx)
    measured = scale.alternate(ctx, __file__, ROUNDS)
    pages = scale.compare(measured)
    return {
        "data_size": {size: measured[size][0]["data_size"] for size in scale.SIZES},
        "generate_s": generate_s,
        "pages": pages,
        **scale.verdicts(pages),
        "config": {
            "rounds": ROUNDS,
            "repeats": REPEATS,
            "limit_ms": scale.LIMIT_MS,
            "ratio_limit": scale.RATIO_LIMIT,
            "databases": {
                size: url.rpartition("/")[2] for size, url in scale.databases(ctx).items()
            },
            "load_average_before": load_before,
        },
        "machine": harness.machine_info(),
    }


def summary(result: dict) -> str:
    size = result["data_size"]
    lines = [
        f"{NAME}: {size['small']['cases']:,} → {size['large']['cases']:,} cases,"
        f" {size['small']['complaints']:,} → {size['large']['complaints']:,} complaints,"
        f" {size['large']['published_items']:,} published items"
    ]
    return "\n".join(lines + scale.summary_lines(result["pages"], result))


# --- the measuring process (one size, one round) ------------------------------------------------


def _personas() -> dict:
    from portal.models import User
    from portal.roles import Role
    from portal.services import user_assign_role

    users = User.objects.select_related("region", "agency")
    inspector = users.get(username="bench-inspector")
    legal, made = User.objects.get_or_create(username=LEGAL_OFFICE, defaults={"name": "基准法制"})
    if made or legal.agency_id != inspector.agency_id:
        user_assign_role(user=legal, role=Role.LEGAL_OFFICE, actor=None, agency=inspector.agency)
    admin, made = User.objects.get_or_create(
        username=SYSADMIN, defaults={"name": "基准管理员", "is_staff": True}
    )
    if made:
        user_assign_role(user=admin, role=Role.SYSADMIN, actor=None)
    return {
        "province": users.get(username="bench-supervisor"),
        "city": users.get(username=f"bench-handler-{scale.CITY}"),
        "agency_staff": inspector,
        "legal_office": users.get(username=LEGAL_OFFICE),
        "sysadmin": users.get(username=SYSADMIN),
    }


def _page(client, url: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: templates, caches, the connection
    times, statuses, counts = [], set(), set()
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        statuses.add(response.status_code)
        counts.add(len(queries))
    return {
        "ms": round(statistics.median(times), 2),
        "queries": max(counts),
        "status": max(statuses),
    }


def _measure() -> dict:
    sys.path.insert(0, str(harness.ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from complaints.models import Complaint
    from enforcement.models import Case, PublishedPowerItem

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    personas = _personas()
    clients = {}
    for name, user in personas.items():
        clients[name] = Client()
        clients[name].force_login(user)
    pages = {f"{page}:{persona}": _page(clients[persona], url) for page, persona, url in PAGES}
    return {
        "data_size": {
            "cases": Case.objects.count(),
            "complaints": Complaint.objects.count(),
            "published_items": PublishedPowerItem.objects.count(),
        },
        "pages": pages,
    }


if __name__ == "__main__" and sys.argv[1:2] == ["--measure"]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    print(json.dumps(_measure()))
