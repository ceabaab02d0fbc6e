"""Every role lands on its to-do list (issue 14): the workspace opens on the role's panels, the
admin's index shows the same panels above the app list, and an empty panel says so in Chinese."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

WORKSPACE = reverse("portal:workspace")
ADMIN = reverse("admin:index")

PANELS = {
    "inspector_a": ["power-list", "cases", "complaints", "accountability", "assessment"],
    "legal_office_a": ["power-list", "cases", "complaints", "accountability", "assessment"],
    "city_supervisor": [
        "complaints",
        "power-list",
        "cases",
        "accountability",
        "assessment",
        "platform",
    ],
    "sysadmin": [
        "complaints",
        "power-list",
        "cases",
        "accountability",
        "assessment",
        "platform",
        "system",
    ],
}


def panels_on(html: str) -> list[str]:
    return re.findall(r'<section class="card todo-panel" id="todo-([a-z-]+)"', html)


def panel(html: str, key: str) -> str:
    start = html.index(f'id="todo-{key}"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("who", list(PANELS))
def test_each_role_lands_on_its_to_do_list_after_login(request, who):
    """Logging in leads to the workspace, which opens on the role's panels in order."""
    user = request.getfixturevalue(who)
    assert settings.LOGIN_REDIRECT_URL in ("portal:workspace", WORKSPACE)
    html = client_for(user).get(WORKSPACE).content.decode()
    assert panels_on(html) == PANELS[who]
    assert html.index('id="todo"') < html.index('id="power-list-links"')


@pytest.mark.parametrize("who", list(PANELS))
def test_an_empty_panel_says_so_in_chinese(request, who):
    user = request.getfixturevalue(who)
    html = client_for(user).get(WORKSPACE).content.decode()
    for key in PANELS[who]:
        if key == "platform":
            continue
        text = panel(html, key)
        assert re.search(r"<p class=\"todo-empty\">[^<]*(没有|尚未)[^<]*</p>", text), key
        assert "data-count" not in text, key


@pytest.mark.parametrize("who", ["city_supervisor", "sysadmin"])
def test_the_admin_index_shows_the_same_panels_above_the_app_list(request, who):
    """ "The admin dashboard" is one place: the admin's index renders the workspace's panels."""
    user = request.getfixturevalue(who)
    client = client_for(user)
    admin_html = client.get(ADMIN).content.decode()
    assert panels_on(admin_html) == PANELS[who]
    assert admin_html.index('id="admin-todo"') < admin_html.index('id="content-main"')
    workspace_html = client.get(WORKSPACE).content.decode()
    for key in PANELS[who]:
        assert panel(admin_html, key) == panel(workspace_html, key), key


def test_the_supervisor_s_list_links_the_platform_data(city_supervisor):
    html = panel(client_for(city_supervisor).get(WORKSPACE).content.decode(), "platform")
    for name in ("portal:platform-agencies", "portal:platform-officers", "portal:platform-cases"):
        assert f'href="{reverse(name)}"' in html


def test_a_user_without_a_role_is_told_to_ask_for_one(django_user_model):
    user = django_user_model.objects.create_user(username="nobody", password="x-2026-abc")
    html = client_for(user).get(WORKSPACE).content.decode()
    assert panels_on(html) == []
    assert "尚未分配角色，没有待办事项" in html
