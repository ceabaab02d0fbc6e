"""The content security policy in Chromium: the pages whose scripts do something (the filing
form's region choice, the login challenge's worker, the admin's two-column picker, the API docs)
still work, and the browser reports no violation of the policy on any of them."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from portal.roles import Role

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Every violation is reported twice: Chromium's console line ("Refused to … because it violates
# the following Content Security Policy directive"), and the page's securitypolicyviolation event,
# which this init script (run by the browser outside the page's policy) writes to the console.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("Content Security Policy violation: " + e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture
def violations(page):
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(REPORT_VIOLATIONS)
    return seen


def test_an_inline_script_is_blocked_and_reported(page, violations):
    """The watch the next test relies on: an inline script added to a page does not run and
    the violation is seen."""
    page.goto("/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.inlineRan = true"; document.body.append(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.inlineRan") is None
    assert any("script-src" in text for text in violations), violations


def test_the_pages_that_run_scripts_work_under_the_policy_without_a_violation(
    page, violations, shoot, settings, agency_a, inspector_a, sysadmin
):
    # The filing form: choosing the region reloads the page (complaints.js).
    page.goto("/complaints/file/")
    page.wait_for_load_state()
    page.locator("#region").select_option(agency_a.region.code)
    expect(page).to_have_url(re.compile(rf"region={agency_a.region.code}"))

    # The login challenge: the ALTCHA widget solves it in its worker (a static file).
    from django.test import Client

    settings.THROTTLE_BASE_WORK = 20_000
    guesser = Client(HTTP_HOST="localhost")
    for n in range(10):
        guesser.post(
            "/accounts/login/",
            {"username": "inspector_a", "password": f"guess-{n}"},
            REMOTE_ADDR=f"198.51.100.{n + 1}",
        )
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("inspector_a")
    page.get_by_label("密码").fill("wrong-but-challenged")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("浏览器需要先自动完成一次安全验证")).to_be_visible()
    solved = "() => (document.querySelector('input[name=altcha]') || {}).value"
    page.wait_for_function(solved, timeout=60_000)

    # The admin's two-column picker, drawn by its scripts, in Chinese.
    login(page, "sysadmin")
    group = Group.objects.get(name=Role.SUPERVISOR.value)
    page.goto(f"/admin/auth/group/{group.pk}/change/")
    expect(page.locator("#id_permissions_add_all")).to_have_text("全选权限")
    expect(page.locator("#id_permissions_remove_all")).to_have_text("删除全部权限")
    expect(page.get_by_role("heading", name="政府法制监督人员")).to_be_visible()
    shoot(page, "admin-group-picker")

    # The API docs: Swagger UI starts from its script URL.
    page.goto("/api/v1/docs/")
    expect(page.get_by_text("行政执法监督平台 API").first).to_be_visible()
    shoot(page, "api-docs")

    assert violations == []
