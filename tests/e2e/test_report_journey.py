"""R31 in a real browser: a supervisor opens the dashboard, follows a red early-warning row to
the overdue complaint, switches a chart to its table view, generates this year's implementation
report and downloads the Word file, whose figures are the dashboard's (opened with python-docx
and compared cell by cell with the dashboard's tables)."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.reporting.figure_world import at, complaint

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def year_of_complaints(bundled_calendar, agency_a, county_agency_a):
    """One complaint three days past its acknowledgement deadline (red), and some acknowledged
    on time earlier in the year."""
    today = timezone.localdate()
    overdue = complaint(
        agency_a, registered=at(today.year, 1, 5, 9), ack_by=today - timedelta(days=3)
    )
    for month in range(1, today.month + 1):
        complaint(
            county_agency_a,
            registered=at(today.year, month, 2, 10),
            ack_by=at(today.year, month, 9).date(),
            decided=at(today.year, month, 6, 10),
        )
    return overdue


def _table_rows(locator) -> set[tuple[str, ...]]:
    rows = locator.locator("tbody tr")
    return {
        tuple(text.strip() for text in rows.nth(i).locator("th, td").all_inner_texts())
        for i in range(rows.count())
    }


@pytest.mark.parametrize("width", [1280, 390])
def test_a_supervisor_goes_from_a_red_warning_to_the_years_report_in_word(
    page, shoot, city_supervisor, year_of_complaints, width
):
    from docx import Document

    year = timezone.localdate().year
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "city_supervisor")
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", name="执法监督数据看板", level=1)).to_be_visible()

    # The red warning leads to the overdue complaint.
    red = page.locator("#early-warnings tr[data-level=red]")
    expect(red).to_have_count(1)
    red.get_by_role("link", name=year_of_complaints.number).click()
    expect(page).to_have_url(re.compile(rf"/complaints/.*/{year_of_complaints.pk}/$"))
    page.go_back()

    # The trend as a table; the dashboard's tables are what the report must print.
    trend = page.locator("#chart-trend")
    trend.get_by_role("button", name="表格视图").click()
    expect(trend.locator(".chart-table table")).to_be_visible()
    dashboard_trend = _table_rows(trend.locator(".chart-table table"))
    dashboard_complaints = _table_rows(page.locator("#figures-complaints table"))
    assert (f"{year}-01", "2", "0") in dashboard_trend

    # The year's report: generated, shown, downloaded as Word.
    page.goto("/reports/annual/")
    form = page.locator("#open-report")
    form.get_by_label("年度").fill(str(year))
    form.get_by_role("button", name="生成报告").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"{year}年度行政执法责任制实施情况"
    )
    expect(page.locator("#section-complaints svg.chart")).to_have_count(1)
    shoot(page, f"report-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Word 文档").click()
    assert download.value.suggested_filename.endswith(".docx")
    with open(download.value.path(), "rb") as file:
        document = Document(io.BytesIO(file.read()))

    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any("投诉举报受理和办理" in h for h in headings)
    cells = {tuple(c.text for c in row.cells) for t in document.tables for row in t.rows}
    assert dashboard_trend and dashboard_trend <= cells
    assert dashboard_complaints and dashboard_complaints <= cells
    assert ("收到投诉（件）", str(year_of_complaints.__class__.objects.count())) in cells
