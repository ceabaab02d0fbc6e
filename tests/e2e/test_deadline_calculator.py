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
    # 调休: the Saturday counted as the fifth working day is explained like the skipped days.
    worked = result.locator("table.worked tbody tr")
    expect(result.get_by_role("heading", name="计入的调休上班日（1 天）")).to_be_visible()
    expect(worked).to_have_count(1)
    expect(worked.first).to_contain_text("2026-10-10")
    expect(worked.first).to_contain_text("星期六")
    expect(worked.first).to_contain_text("国庆节调休上班日")
    assert_cjk_renders(page)
    shoot(page, "calculator-national-day")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(worked.first).to_be_visible()
    # At phone width the tables must fit the screen: no sideways scrolling of the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "calculator-national-day-390")


def test_a_provisional_spring_festival_names_the_eve_and_the_make_up_days(page, shoot):
    """放假办法 第二条、第六条: 2027 is not loaded; 春节 is 除夕 (5 February) to 初三, and its
    Saturday and Sunday are made up on 9–10 February."""
    _compute(page, "2027-02-03", 5, "工作日")
    result = page.locator("#result")
    expect(result.locator(".deadline")).to_have_text("2027-02-16")
    expect(result.get_by_role("alert")).to_contain_text("除夕至正月初三")
    rows = result.locator("table.skipped tbody tr")
    expect(rows.nth(0)).to_contain_text("2027-02-05")
    expect(rows.nth(0)).to_contain_text("春节")
    expect(rows.nth(4)).to_contain_text("春节补假")
    shoot(page, "calculator-provisional-spring-festival")


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
