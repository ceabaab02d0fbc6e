"""Every role lands on its to-do list, in Chromium (issue 14): an inspector and a supervisor each
log in, land on their to-do list, and follow a count to the list behind it, which shows as many
rows as the count said. The supervisor's list also leads to the platform data (R11), and the
admin's index shows the same panels. Screenshots at a desk's width and a phone's (390 px)."""

import re

import pytest
from playwright.sync_api import expect

from tests.portal.todo_world import build

from .conftest import assert_cjk_renders, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 800}


@pytest.fixture
def world(sides):
    a, b = sides
    build(scale=2, a=a, b=b)


def both_widths(page, shoot, name: str) -> None:
    for label, size in (("desk", DESK), ("phone", PHONE)):
        page.set_viewport_size(size)
        shoot(page, f"todo-{name}-{label}")
        if label == "phone":  # nothing wider than the screen
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESK)


def follow(page, panel: str, key: str) -> int:
    """Click the count `key` in `panel`; returns the count it showed."""
    link = page.locator(f"#todo-{panel} [data-count='{key}']")
    count = int(link.inner_text())
    link.click()
    return count


def test_the_inspector_lands_on_the_to_do_list_and_follows_a_count(world, page, shoot):
    page.set_viewport_size(DESK)
    login(page, "inspector_a")
    expect(page.get_by_role("heading", name="待办事项")).to_be_visible()
    expect(page.locator("#todo-power-list")).to_contain_text("被退回修改的事项")
    assert_cjk_renders(page)
    both_widths(page, shoot, "inspector")
    count = follow(page, "power-list", "items-returned")
    assert count == 2
    expect(page).to_have_url(re.compile(r"/powers/staff/\?status=returned$"))
    expect(page.locator("table.list tbody tr")).to_have_count(count)
    shoot(page, "todo-inspector-returned-items")


def test_the_supervisor_lands_on_the_to_do_list_follows_the_red_count_and_opens_the_platform(
    world, page, shoot
):
    page.set_viewport_size(DESK)
    login(page, "city_supervisor")
    expect(page.locator("#todo-complaints")).to_contain_text("已逾期（红色预警）")
    both_widths(page, shoot, "supervisor")
    count = follow(page, "complaints", "complaints-overdue")
    assert count == 2
    expect(page).to_have_url(re.compile(r"/complaints/staff/warnings/$"))
    expect(page.locator("tr[data-level='red']")).to_have_count(count)
    page.go_back()
    page.locator("#todo-platform").get_by_role("link", name="执法案件").click()
    expect(page.get_by_role("heading", name="执法案件")).to_be_visible()
    expect(page.locator("tr[data-row='case']").first).to_be_visible()
    both_widths(page, shoot, "platform-cases")
    page.get_by_label("办结情况").select_option("closed")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"status=closed"))
    expect(page.locator("tr[data-row='case']")).to_have_count(2)  # agency A's two closed
    with page.expect_download() as download:
        page.get_by_role("link", name="导出为 Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.goto("/admin/")
    expect(page.locator("#admin-todo #todo-complaints")).to_contain_text("已逾期（红色预警）")
    both_widths(page, shoot, "admin-index")
