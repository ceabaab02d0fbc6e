"""Real-browser tests: Playwright for Python driving Debian's Chromium (never a downloaded one).

Screenshots of every page go to test-results/screenshots/ so a person can look at them.
"""

import re
import shutil
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="package", autouse=True)
def _orm_beside_playwright():
    """Playwright's sync API keeps an event loop in this thread; the ORM calls that fixtures make
    here are still synchronous and safe. Only for these tests: never set in deployment."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="package")
def chromium(_orm_beside_playwright):
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Debian's chromium is not installed: apt-get install -y chromium fonts-noto-cjk"
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server, settings):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def shoot():
    """Save a full-page screenshot under test-results/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shoot(page, name: str, *, section: str | None = None) -> Path:
        """The whole page, or only the element `section` (a CSS selector) when given."""
        path = SCREENSHOTS / f"{name}.png"
        if section:
            page.locator(section).screenshot(path=str(path))
        else:
            page.screenshot(path=str(path), full_page=True)
        return path

    return _shoot


def assert_cjk_renders(page) -> None:
    """Chinese must be drawn with a CJK font, not as empty boxes."""
    assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '行政执法')")
    width = page.evaluate(
        """() => { const c = document.createElement('canvas').getContext('2d');
                   c.font = '16px "Noto Sans CJK SC"'; return c.measureText('权').width; }"""
    )
    assert width > 12  # a real CJK glyph is about a full em wide


def login(page, username: str) -> None:
    """Log in through the login page as `username` (a fresh session: earlier cookies cleared)."""
    from playwright.sync_api import expect

    from tests.conftest import PASSWORD

    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/workspace/$"))


def review_form(page):
    """The legal office's review form in the decision section (beside it, the form that marks
    the decision major has a reason of its own)."""
    return page.locator("#decision form[action$='/decision/review/']")


def agree_in_review(page) -> None:
    """R5: on a decision's page, the legal office passes the five checks and agrees."""
    from playwright.sync_api import expect

    review = review_form(page)
    for label in ("执法主体合法", "事实清楚", "适用依据正确", "裁量适当", "程序合法"):
        review.get_by_label(re.compile(label)).check()
    review.get_by_label("同意", exact=True).check()
    review.get_by_label("理由").fill("主体合法，证据确凿，依据正确，裁量适当，程序合法。")
    review.get_by_role("button", name="提交审核意见").click()
    expect(page.get_by_text("已记录法制审核意见：同意。")).to_be_visible()


def disagree_in_review(page, reasons: str) -> None:
    """R5: the legal office finds the discretion improper and disagrees, with its reasons."""
    from playwright.sync_api import expect

    review = review_form(page)
    for label in ("执法主体合法", "事实清楚", "适用依据正确", "程序合法"):
        review.get_by_label(re.compile(label)).check()
    review.get_by_label("不同意", exact=True).check()
    review.get_by_label("理由").fill(reasons)
    review.get_by_role("button", name="提交审核意见").click()
    expect(page.get_by_text("已记录法制审核意见：不同意。")).to_be_visible()
