"""R11: a supervisor opens the dashboard, sees the charts drawn by the vendored ECharts (canvas),
switches a chart to its table view (by mouse and by keyboard), and follows a red early-warning
row to the overdue complaint; at desktop width and at 390 px, nothing runs off the screen."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.reporting.figure_world import at, complaint
from workdays.deadlines import add_working_days

from .conftest import assert_cjk_renders, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def warnings_and_trend(bundled_calendar, agency_a, county_agency_a):
    """An undecided complaint three days past its acknowledgement deadline (red), one due on the
    next working day (yellow), and this year's complaints, month by month, for the trend."""
    today = timezone.localdate()
    overdue = complaint(
        agency_a, registered=at(today.year, 1, 5, 9), ack_by=today - timedelta(days=3)
    )
    complaint(
        county_agency_a,
        registered=at(today.year, 1, 6, 9),
        ack_by=add_working_days(start=today, days=1).deadline,
    )
    for month in range(1, today.month + 1):
        for n in range(month % 4 + 1):
            complaint(
                agency_a,
                registered=at(today.year, month, 2 + n, 10),
                ack_by=at(today.year, month, 9).date(),
                decided=at(today.year, month, 8 + n, 10),
            )
    return overdue


@pytest.mark.parametrize("width", [1280, 390])
def test_a_supervisor_reads_the_charts_switches_to_a_table_and_follows_a_red_warning(
    page, shoot, city_supervisor, warnings_and_trend, width
):
    page.set_viewport_size({"width": width, "height": 900})
    errors = []  # a blocked script or style (the content security policy) is a console error
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, "city_supervisor")
    page.get_by_role("link", name=re.compile("执法监督数据看板")).click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", name="执法监督数据看板", level=1)).to_be_visible()
    assert_cjk_renders(page)

    # The charts are drawn: a canvas in each, its table kept for screen readers only.
    for key in ("trend", "complaint_status", "grades", "clue_steps"):
        figure = page.locator(f"#chart-{key}")
        expect(figure.locator(".chart-canvas canvas")).to_have_count(1)
        expect(figure.locator(".chart-table")).to_have_class(re.compile("sr-only"))
    page.wait_for_timeout(300)  # let the canvases settle for the screenshot
    shoot(page, f"dashboard-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # The trend's table view, with the mouse; back to the chart with the keyboard.
    trend = page.locator("#chart-trend")
    toggle = trend.get_by_role("button", name="表格视图")
    toggle.click()
    table = trend.locator(".chart-table table")
    expect(table).to_be_visible()
    expect(trend.locator(".chart-canvas")).to_be_hidden()
    expect(table.get_by_role("rowheader", name=f"{timezone.localdate():%Y}-01")).to_be_visible()
    back = trend.get_by_role("button", name="图表视图")
    expect(back).to_have_attribute("aria-pressed", "true")
    shoot(page, f"dashboard-trend-table-{width}", section="#chart-trend")
    back.focus()
    page.keyboard.press("Enter")
    expect(trend.locator(".chart-canvas")).to_be_visible()
    expect(trend.get_by_role("button", name="表格视图")).to_have_attribute("aria-pressed", "false")

    assert errors == []

    # The warnings: red and yellow, each said in words; the red row leads to the complaint.
    red = page.locator("#early-warnings tr[data-level=red]")
    yellow = page.locator("#early-warnings tr[data-level=yellow]")
    expect(red).to_have_count(1)
    expect(yellow).to_have_count(1)
    expect(red).to_contain_text("已逾期")
    expect(yellow).to_contain_text("即将到期")
    shoot(page, f"dashboard-warnings-{width}", section="#early-warnings")
    number = warnings_and_trend.number
    red.get_by_role("link", name=number).click()
    expect(page).to_have_url(re.compile(rf"/complaints/.*/{warnings_and_trend.pk}/$"))
    expect(page.get_by_text(number).first).to_be_visible()
