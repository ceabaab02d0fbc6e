"""The workspace leads each role to the power-list pages it may use, and to no other."""

import pytest
from django.urls import reverse

from tests.conftest import client_for

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
