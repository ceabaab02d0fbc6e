"""Anyone computes a time limit in the browser and sees every skipped day and why."""

import pytest
from playwright.sync_api import expect

from .conftest import assert_cjk_renders

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("bundled_calendar"),
]


def _compute(page, start: str, count: int, unit: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="期限计算").click()
    page.get_by_label("开始日期").fill(start)
    page.get_by_label("期间").fill(str(count))
    page.get_by_label(unit).check()
    page.get_by_role("button", name="计算").click()


def test_five_working_days_across_national_day_end_on_the_swapped_saturday(page, shoot):
    _compute(page, "2026-09-28", 5, "工作日")
    result = page.locator("#result")
    expect(result.locator(".deadline")).to_have_text("2026-10-10")
    skipped = result.locator("table.skipped tbody tr")
    expect(skipped).to_have_count(7)
    expect(skipped.first).to_contain_text("2026-10-01")
    expect(skipped.first).to_contain_text("国庆节")
    expect(page.get_by_text("暂定结果")).to_have_count(0)
    assert_cjk_renders(page)
    shoot(page, "calculator-national-day")


def test_a_period_into_a_year_not_loaded_is_marked_provisional(page, shoot):
    _compute(page, "2026-12-30", 2, "工作日")
    result = page.locator("#result")
    expect(result.locator(".deadline")).to_have_text("2027-01-04")
    expect(result.get_by_role("alert")).to_contain_text("暂定结果")
    expect(result.locator("table.skipped")).to_contain_text("元旦")
    shoot(page, "calculator-provisional")


def test_a_malformed_date_is_explained_on_the_page(page, shoot):
    page.goto("/workdays/calculator/?start=2026-02-30&count=3&unit=working_days")
    expect(page.get_by_role("alert").first).to_contain_text("2026-02-30 不存在")
    expect(page.locator("#result")).to_have_count(0)
    shoot(page, "calculator-bad-date")
