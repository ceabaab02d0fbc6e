"""Every count of a to-do list is the number of rows the page it links to shows the same user
(issue 14): counts are scoped exactly like their lists, each persona's own, and another city's
objects count nowhere in city A."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from portal.todo import panels_for
from tests.conftest import client_for
from tests.factories import UserFactory

from .todo_world import build

pytestmark = pytest.mark.django_db

SCALE = 2


@pytest.fixture
def world(sides):
    a, b = sides
    build(scale=SCALE, a=a, b=b)
    return a, b


def _tbody_rows(html: str, nth: int = 0) -> int:
    bodies = re.findall(r"<tbody>(.*?)</tbody>", html, re.S)
    return len(re.findall(r"<tr[\s>]", bodies[nth])) if len(bodies) > nth else 0


def _section(html: str, anchor: str) -> str:
    if f'id="{anchor}"' not in html:
        return ""
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("</section>", start)]


def rows_on(client, entry) -> int:
    """How many rows the linked page shows that the entry counts."""
    response = client.get(entry.url)
    assert response.status_code == 200, entry.url
    html = response.content.decode()
    path = urlsplit(entry.url).path
    if path == reverse("complaints:staff-warnings"):
        level = "red" if entry.key == "complaints-overdue" else "yellow"
        return html.count(f'data-level="{level}"')
    if path == reverse("complaints:staff-requests"):
        return html.count(f"<td>{'待答复'}</td>")
    if path == reverse("accountability:defence-list"):
        return html.count("待陈述申辩，")
    if path == reverse("portal:workspace"):  # R13: the screening section of the workspace
        return _tbody_rows(_section(html, "remedy-screening"))
    if path == reverse("assessment:officer-queue"):
        title = "待处理的异议" if entry.key == "objections" else "连续两年不合格，待作出处理决定"
        return int(re.search(title + r"（(\d+)）", html).group(1))
    if path == reverse("admin:portal_user_changelist"):
        return len(re.findall(r'<input type="checkbox" name="_selected_action"', html))
    return _tbody_rows(html)


@pytest.mark.parametrize(
    "who", ["inspector_a", "legal_office_a", "city_supervisor", "outsider_b", "sysadmin"]
)
def test_every_count_equals_the_rows_of_the_list_it_links_to(request, world, who):
    user = request.getfixturevalue(who)
    client = client_for(user)
    entries = [entry for panel in panels_for(user) for entry in panel.entries]
    assert entries
    for entry in entries:
        assert rows_on(client, entry) == entry.count, (entry.key, entry.url)
    assert sum(1 for entry in entries if entry.count) >= 5  # the data reaches most counts


def counts(user) -> dict[str, int]:
    return {entry.key: entry.count for panel in panels_for(user) for entry in panel.entries}


def test_the_counts_are_the_personas_own(world, inspector_a, legal_office_a, city_supervisor):
    """Each side has SCALE of each thing; the county's count in the city, the other city's
    nowhere; only the legal office reviews, only the supervisors publish."""
    staff, legal, supervisor = counts(inspector_a), counts(legal_office_a), counts(city_supervisor)
    assert staff["items-returned"] == legal["items-returned"] == SCALE
    assert "items-legal-review" not in staff and legal["items-legal-review"] == SCALE
    assert supervisor["items-to-publish"] == SCALE and "items-to-publish" not in staff
    assert staff["revision-tasks"] == supervisor["revision-tasks"] == SCALE
    assert staff["agency-requests"] == SCALE
    # Cases: SCALE per waiting stage in agency A; the supervisor also the county's (service).
    assert staff["cases-decision"] == supervisor["cases-decision"] == SCALE
    assert staff["cases-service"] == SCALE and supervisor["cases-service"] == 2 * SCALE
    # Complaints: one to acknowledge, one overdue, one due today, per copy (all registered).
    assert supervisor["complaints-to-acknowledge"] == 3 * SCALE
    assert supervisor["complaints-overdue"] == supervisor["complaints-due-soon"] == SCALE
    assert supervisor["screening"] == SCALE
    assert supervisor["clues-registered"] == SCALE and supervisor["clues-handling"] == SCALE


def test_the_administrator_counts_every_region(world, city_supervisor, sysadmin):
    supervisor, admin = counts(city_supervisor), counts(sysadmin)
    for key in ("items-to-publish", "complaints-overdue", "screening", "cases-decision"):
        assert admin[key] == 2 * supervisor[key], key


def test_the_administrator_sees_the_accounts_without_a_role(sysadmin, city_supervisor):
    UserFactory(username="new_clerk")
    UserFactory(username="gone_clerk", is_active=False)
    assert counts(sysadmin)["accounts-without-role"] == 1
    assert "accounts-without-role" not in counts(city_supervisor)
