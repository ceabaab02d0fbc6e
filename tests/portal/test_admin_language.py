"""The admin in Chinese: the lockout records (django-axes), the two-column picker (Django's admin
scripts), the role groups, the permissions, simple-history's copies and the screen-reader
headers read in Chinese; the officer form's account choice works for a supervisor."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group, Permission
from django.utils import translation

from enforcement.models import Officer
from portal.admin import permission_label
from portal.roles import Role
from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "locale_libraries" / "zh_Hans" / "LC_MESSAGES"

# English that reached the admin before (issue 14), or would if a catalogue or a label were lost.
ENGLISH = [
    "Access attempt",
    "Access failure",
    "Access log",
    "access attempt",
    "Axes",
    "Guardian",
    "Attempt Time",
    "User Agent",
    "IP Address",
    "Failed Logins",
    "Form Data",
    "Meta Data",
    "Locked Out",
    "Status",
    "Expiration",
    "Clean up",
    "Choose all",
    "Remove all",
    "agency_staff",
    "legal_office",
    "supervisor",
    "sysadmin",
    "Can add",
    "Can change",
    "Can delete",
    "Can view",
    "Historical",
    "historical",
    "relationship",
    "Model name",
    "Add link",
    "Change or view list link",
    "Skip to main content",
    "Error:",
]


class VisibleText(HTMLParser):
    """The text a person or a screen reader meets: text nodes and the attributes read aloud,
    leaving out scripts and the user tools (which show the persona's ASCII login)."""

    SPOKEN = ("title", "aria-label", "placeholder", "alt")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._skip or tag in ("script", "style") or attrs.get("id") == "user-tools":
            self._skip.append(tag)
            return
        self.parts.extend(attrs[name] for name in self.SPOKEN if attrs.get(name))

    def handle_endtag(self, tag):
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def english_in(html: str) -> list[str]:
    text = visible_text(html)
    return [phrase for phrase in ENGLISH if phrase in text]


@pytest.fixture
def administrator(sysadmin):
    """The demo's administrator is a superuser (createsuperuser): the lockout records' pages
    need axes' permissions, which the role itself does not hold."""
    sysadmin.is_superuser = True
    sysadmin.save()
    return sysadmin


@pytest.fixture
def lockout_records(db):
    common = {
        "user_agent": "Mozilla/5.0",
        "ip_address": "198.51.100.7",
        "username": "inspector_a",
        "http_accept": "text/html",
        "path_info": "/accounts/login/",
    }
    attempt = AccessAttempt.objects.create(
        **common, get_data="", post_data="username=inspector_a", failures_since_start=3
    )
    AccessLog.objects.create(**common)
    AccessFailureLog.objects.create(**common, locked_out=False)
    return attempt


def test_the_checker_sees_english_in_text_and_in_spoken_attributes():
    found = english_in(
        '<p>Choose all</p><a title="Can add">x</a><script>"Status"</script>'
        '<div id="user-tools">sysadmin <span>supervisor</span></div>'
    )
    assert found == ["Choose all", "Can add"]


def test_the_admin_pages_of_a_system_administrator_are_in_chinese(
    administrator, lockout_records, agency_a
):
    supervisor = Group.objects.get(name=Role.SUPERVISOR.value)
    client = client_for(administrator)
    pages = [
        "/admin/",
        "/admin/axes/",
        "/admin/axes/accessattempt/",
        f"/admin/axes/accessattempt/{lockout_records.pk}/change/",
        "/admin/axes/accessfailurelog/",
        "/admin/axes/accesslog/",
        "/admin/auth/group/",
        f"/admin/auth/group/{supervisor.pk}/change/",  # the permissions' two-column picker
        f"/admin/enforcement/agency/{agency_a.pk}/change/",  # the domains' picker
        f"/admin/enforcement/agency/{agency_a.pk}/history/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert english_in(response.content.decode()) == [], url


def test_the_lockout_records_are_named_in_chinese(administrator, lockout_records):
    client = client_for(administrator)
    index = client.get("/admin/").content.decode()
    for name in ("登录防护", "登录尝试", "登录失败记录", "登录日志"):
        assert name in index
    attempts = client.get("/admin/axes/accessattempt/").content.decode()
    assert "还可尝试 7 次" in attempts  # ten allowed, three failed


def test_the_role_groups_read_as_their_roles_and_keep_their_codes(administrator):
    listing = client_for(administrator).get("/admin/auth/group/").content.decode()
    for role in Role:
        assert str(role.label) in listing
        assert Group.objects.filter(name=role.value).exists()  # what the code looks up


def test_a_role_group_cannot_be_renamed_or_deleted_in_the_admin(administrator):
    group = Group.objects.get(name=Role.SUPERVISOR.value)
    client = client_for(administrator)
    client.post(
        f"/admin/auth/group/{group.pk}/change/",
        {"name": "renamed", "permissions": list(group.permissions.values_list("pk", flat=True))},
    )
    group.refresh_from_db()
    assert group.name == Role.SUPERVISOR.value
    assert client.get(f"/admin/auth/group/{group.pk}/delete/").status_code == 403


def test_permissions_read_in_the_users_language(db):
    add_agency = Permission.objects.get(codename="add_agency")
    historical = Permission.objects.get(codename="view_historicalagency")
    with translation.override("zh-hans"):
        assert permission_label(add_agency).endswith("| 执法主体 | 可以添加执法主体")
        assert "执法主体（历史记录）" in permission_label(historical)


def test_every_permission_of_the_picker_reads_in_chinese(db):
    with translation.override("zh-hans"):
        labels = [permission_label(p) for p in Permission.objects.select_related("content_type")]
    english = [label for label in labels if re.search(r"[A-Za-z]{3,}", label)]
    assert english == []


def test_the_picker_scripts_catalogue_is_chinese(administrator):
    """Django 5's picker asks for "Choose all %s" and "Remove all %s", which Django's own
    zh_Hans catalogue lacks; the portal's (locale_libraries/) supplies them."""
    response = client_for(administrator).get("/admin/jsi18n/")
    catalogue = json.loads(
        re.search(r"const newcatalog = (\{.*?\});\n", response.content.decode(), re.S)[1]
    )
    assert catalogue["Choose all %s"] == "全选%s"
    assert catalogue["Remove all %s"] == "删除全部%s"
    assert catalogue["Choose"] == "选择"  # Django's own entries are still there


def test_the_officer_form_offers_the_supervisors_accounts_without_a_forbidden_lookup(
    city_supervisor, inspector_a, outsider_b, agency_a
):
    """The account is a select of the accounts in scope, not a link to the accounts' admin,
    which a supervisor may not open (403)."""
    client = client_for(city_supervisor)
    response = client.get("/admin/enforcement/officer/add/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/admin/portal/user/" not in html
    assert client.get("/admin/portal/user/").status_code == 403  # why it must not link there
    options = re.search(r'<select name="user"[^>]*>(.*?)</select>', html, re.S)[1]
    assert f'value="{inspector_a.pk}"' in options
    assert f'value="{outsider_b.pk}"' not in options  # another city's account
    assert english_in(html) == []

    response = client.post(
        "/admin/enforcement/officer/add/",
        {
            "name": "张执法",
            "agency": agency_a.pk,
            "certificate_number": "22010000001",
            "certificate_status": "valid",
            "user": inspector_a.pk,
        },
    )
    assert response.status_code == 302, visible_text(response.content.decode())[:2000]
    assert Officer.objects.get(certificate_number="22010000001").user == inspector_a


def test_an_account_outside_the_scope_is_refused_on_the_officer_form(
    city_supervisor, outsider_b, agency_a
):
    response = client_for(city_supervisor).post(
        "/admin/enforcement/officer/add/",
        {
            "name": "李执法",
            "agency": agency_a.pk,
            "certificate_number": "22010000002",
            "certificate_status": "valid",
            "user": outsider_b.pk,
        },
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Officer.objects.filter(certificate_number="22010000002").exists()


def test_the_library_catalogues_are_compiled():
    for name in ("django", "djangojs"):
        po = polib.pofile(CATALOGUES / f"{name}.po")
        mo = polib.mofile(CATALOGUES / f"{name}.mo")
        compiled = {(e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural.get(0)) for e in mo}
        for entry in po:
            assert entry.msgstr or entry.msgstr_plural, entry.msgid
            expected = entry.msgstr or entry.msgstr_plural[0]
            assert compiled.get((entry.msgctxt, entry.msgid)) == expected, entry.msgid


def test_a_group_that_is_not_a_role_reads_as_its_own_name(db):
    """A group that is not a role reads as its own name."""
    group = Group.objects.create(name="专项检查组")
    assert str(group) == "专项检查组"
    with translation.override("zh-hans"):
        assert str(Group.objects.get(name=Role.AGENCY_STAFF.value)) == "执法部门工作人员"
