"""The public home page in both languages, and staff login, logout and lockout, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

from .conftest import assert_cjk_renders

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_public_reads_the_home_page_in_chinese_and_switches_to_english(page, shoot):
    page.goto("/")
    expect(page.locator("h1")).to_have_text("行政执法监督平台")
    for title in ("权责清单", "执法公示", "投诉举报", "典型案例", "期限计算"):
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    assert_cjk_renders(page)
    shoot(page, "home-zh")

    page.get_by_role("link", name="English").click()
    expect(page.locator("h1")).to_have_text("Enforcement Supervision Portal")
    expect(page.get_by_role("heading", name="Deadline calculator")).to_be_visible()
    shoot(page, "home-en")

    page.get_by_role("link", name="简体中文").click()
    expect(page.locator("h1")).to_have_text("行政执法监督平台")


def test_an_inspector_logs_in_sees_their_agency_and_logs_out(page, shoot, inspector_a, agency_b):
    page.goto("/accounts/login/")
    shoot(page, "login")
    page.get_by_label("用户名").fill("inspector_a")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/workspace/$"))
    expect(page.get_by_role("cell", name="甲市市场监督管理局")).to_be_visible()
    expect(page.get_by_text("丙市生态环境局")).to_have_count(0)
    shoot(page, "workspace-inspector")

    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("heading", name="您已安全退出")).to_be_visible()
    page.goto("/workspace/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_ten_wrong_passwords_stop_this_address_for_this_account(page, shoot, inspector_a):
    page.goto("/accounts/login/")
    heading = page.get_by_role("heading", name="已暂停从此网络地址登录该账号")
    for _ in range(10):
        page.get_by_label("用户名").fill("inspector_a")
        page.get_by_label("密码").fill("wrong-password")
        page.get_by_role("button", name="登录").click()
        if heading.count():
            break
        expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    expect(heading).to_be_visible()
    expect(page.get_by_text("账号本身没有被锁定")).to_be_visible()
    expect(page.get_by_text("30 分钟后再试")).to_be_visible()
    shoot(page, "locked-out")


def test_under_attack_the_owner_gets_in_once_the_browser_has_solved_the_check(
    page, shoot, inspector_a, settings
):
    """Guesses from ten other addresses put the account under a proof-of-work challenge: the
    owner's browser solves it in the background (the vendored ALTCHA widget and its worker) and
    the owner logs in with the password typed again."""
    from django.test import Client

    from tests.conftest import PASSWORD

    settings.THROTTLE_BASE_WORK = 20_000
    guesser = Client(HTTP_HOST="localhost")  # the page fixture's ALLOWED_HOSTS
    for n in range(10):
        guesser.post(
            "/accounts/login/",
            {"username": "inspector_a", "password": f"guess-{n}"},
            REMOTE_ADDR=f"198.51.100.{n + 1}",
        )
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("inspector_a")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("浏览器需要先自动完成一次安全验证")).to_be_visible()
    solved = "() => (document.querySelector('input[name=altcha]') || {}).value"
    page.wait_for_function(solved, timeout=60_000)
    shoot(page, "login-challenge-solved")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/workspace/$"))
