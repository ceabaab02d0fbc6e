"""The workspace leads each role to the power-list pages it may use, and to no other."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for

from .todo_world import BUDGET

LINKS = {
    "import": reverse("enforcement:import_list"),
    "bases": reverse("enforcement:basis_list"),
    "delegations": reverse("enforcement:delegation_list"),
    "tasks": reverse("enforcement:revision_task_list"),
    "level_splits": reverse("enforcement:level_split_list"),
    "level_flags": reverse("enforcement:level_flag_list"),
}


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("inspector_a", {"import", "tasks"}),
        ("legal_office_a", {"import", "tasks"}),
        ("city_supervisor", {"bases", "delegations", "tasks", "level_splits", "level_flags"}),
        ("outsider_b", {"import", "tasks"}),
    ],
)
def test_each_role_sees_the_links_to_its_own_pages(request, who, shown):
    client = client_for(request.getfixturevalue(who))
    html = client.get(reverse("portal:workspace")).content.decode()
    for name, url in LINKS.items():
        assert (f'href="{url}"' in html) is (name in shown), name
    for url in (LINKS[name] for name in shown):
        assert client.get(url).status_code == 200


# --- accountability (责任追究, R24–R29, R12, R18, R32) ---

ACCOUNTABILITY = {
    "clues": reverse("accountability:clue-list"),
    "clue_queue": reverse("accountability:clue-queue"),
    "clue_new": reverse("accountability:clue-new"),
    "cases": reverse("accountability:case-list"),
    "case_queue": reverse("accountability:case-queue"),
    "typical": reverse("accountability:typical-list"),
    "training": reverse("accountability:training-list"),
    "cooperation": reverse("accountability:referral-list"),
    "defences": reverse("accountability:defence-list"),
}
QUERIES = BUDGET["inspector_a"]  # the staff's workspace with its to-do list (pinned there)
READ_ONLY = {"clues", "cases", "typical", "training", "cooperation"}


def accountability_card(html: str) -> str:
    start = html.index('id="accountability-links"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("city_supervisor", READ_ONLY | {"clue_queue", "clue_new", "case_queue"}),
        ("sysadmin", READ_ONLY),
        ("inspector_a", {"defences"}),
        ("legal_office_a", {"defences"}),
    ],
)
def test_the_accountability_card_links_each_role_to_its_pages(request, who, shown):
    """R24–R29: supervisors reach the clues, cases, their queues, typical cases, training and the
    cooperation with supervision and audit; the administrator the read-only lists; the
    agencies' staff and legal office their notices. Every link opens."""
    client = client_for(request.getfixturevalue(who))
    card = accountability_card(client.get(reverse("portal:workspace")).content.decode())
    for name, url in ACCOUNTABILITY.items():
        assert (f'href="{url}"' in card) is (name in shown), name
    for url in (ACCOUNTABILITY[name] for name in shown):
        assert client.get(url).status_code == 200, url


@pytest.fixture
def notified_twice(city_a, city_supervisor, agency_a, inspector_a):
    """Two cases against agency A notified: inspector_a is the accused officer's own account in
    the first (another officer in the second) and agency A's staff: three notices speak to
    him, two (the unit's) to the legal office."""
    from tests.accountability.conftest import supervisor
    from tests.accountability.test_defence import case_at_notice, notified

    handler = supervisor("colleague_a", city_a)
    cases = []
    for number, officer_user in (("WZ-T-0001", inspector_a), ("WZ-T-0002", None)):
        case = case_at_notice(
            supervisor=city_supervisor,
            handler=handler,
            agency=agency_a,
            officer_user=officer_user,
            number=number,
        )
        notified(case, handler)
        cases.append(case)
    return cases


def awaiting(client) -> str:
    card = accountability_card(client.get(reverse("portal:workspace")).content.decode())
    return card.split('data-count="defences">')[1].split("<")[0]


def test_the_staff_see_how_many_notices_await_their_answer(
    notified_twice, inspector_a, legal_office_a, outsider_b, django_assert_max_num_queries
):
    """R29: 我的问责告知 shows the notices still awaiting the user's answer (period open);
    answered, waived and lapsed ones no longer count; another agency's staff count none. One
    query counts them: the workspace's queries are pinned."""
    from accountability.models import Defence
    from accountability.services.defences import defence_submit, defence_waive

    client = client_for(inspector_a)
    client.get(reverse("portal:workspace"))  # the session warmed
    with django_assert_max_num_queries(QUERIES):
        response = client.get(reverse("portal:workspace"))
    assert "我的问责告知" in accountability_card(response.content.decode())
    assert awaiting(client) == "3"
    assert awaiting(client_for(legal_office_a)) == "2"
    assert awaiting(client_for(outsider_b)) == "0"
    first, second = notified_twice
    own = Defence.objects.get(accused__proceeding=first, accused__officer__isnull=False)
    unit = Defence.objects.get(accused__proceeding=first, accused__agency__isnull=False)
    defence_submit(defence=own, statement="已当场补正。", actor=inspector_a)
    defence_waive(defence=unit, waiver="本单位放弃陈述申辩。", actor=legal_office_a)
    assert awaiting(client) == "1" and awaiting(client_for(legal_office_a)) == "1"
    lapsed = Defence.objects.filter(accused__proceeding=second, accused__agency__isnull=False)
    lapsed.update(due_on=timezone.localdate() - timedelta(days=1))
    assert awaiting(client) == "0" and awaiting(client_for(legal_office_a)) == "0"
