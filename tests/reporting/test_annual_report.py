"""R31: the yearly implementation report of a region: the dashboard's figures for the region and
the year (equal, by construction and by test), the plans' milestones (R33), narratives kept in
versions, and the Word, PDF and Excel files with the same numbers; bad input changes nothing."""

import io
import time
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import localdate

from reporting.models import AnnualReport, Narrative, ReportEvent, Section
from reporting.selectors.figures import display, figures_for, filters_for
from reporting.selectors.reports import report_content
from reporting.services.plans import plan_create, plan_item_add, plan_problem_report
from reporting.services.reports import report_open
from tests.conftest import client_for

from .figure_world import at, complaint

YEAR = localdate().year


@pytest.fixture
def world(agency_a, county_agency_a, agency_b, inspector_a):
    """Complaints in the year: one acknowledged on time, one open and overdue, one in another
    city; a plan with an overdue milestone and a problem reported."""
    complaint(
        agency_a, registered=at(YEAR, 1, 5, 9), ack_by=date(YEAR, 1, 12), decided=at(YEAR, 1, 8, 10)
    )
    complaint(county_agency_a, registered=at(YEAR, 2, 2, 9), ack_by=date(YEAR, 2, 9))
    complaint(agency_b, registered=at(YEAR, 2, 3, 9), ack_by=date(YEAR, 2, 10))
    plan = plan_create(
        year=YEAR, title="甲市市场监管局实施方案", agency=agency_a, actor=inspector_a
    )
    plan_item_add(
        plan=plan,
        task="公布权责清单",
        responsible="法规科",
        output="清单网址",
        due=localdate() - timedelta(days=1) if localdate().month > 1 else date(YEAR, 1, 1),
        actor=inspector_a,
    )
    plan_problem_report(plan=plan, description="系统未对接", actor=inspector_a)
    return plan


@pytest.fixture
def report(world, city_supervisor, city_a):
    return report_open(region=city_a, year=YEAR, actor=city_supervisor)


def _shown(row) -> tuple:
    """A row of the dashboard's table as the documents print it."""
    return tuple(v if isinstance(v, str) else display(v) for v in row)


def _dashboard(user, region):
    filters = filters_for(user=user, region=region, start=date(YEAR, 1, 1), end=date(YEAR, 12, 31))
    return figures_for(filters=filters)


def test_the_reports_figures_are_the_dashboards_for_the_same_region_and_year(
    report, city_supervisor, city_a
):
    """R31: every figure section of the dashboard is in the report, with the same rows."""
    content = report_content(report, user=city_supervisor)
    dashboard = _dashboard(city_supervisor, city_a)
    in_report = {t.title: t.rows for s in content.sections for t in s.tables}
    for section in dashboard.sections():
        assert in_report[str(section.title)] == section.table().rows
    complaints = dict(dashboard.complaints.rows())
    assert complaints["收到投诉（件）"] == 2  # city B's is not counted
    assert dashboard.complaints.open_overdue == 1


def test_the_plan_section_counts_milestones_and_problems(report, city_supervisor):
    """R31, R33: the plans' milestones (done, overdue) and the problems reported."""
    content = report_content(report, user=city_supervisor)
    plan = next(s for s in content.sections if s.key == Section.PLAN)
    rows = dict(plan.tables[0].rows)
    assert rows["实施方案（个）"] == 1
    assert rows["逾期未完成（项）"] == 1
    assert rows["报告问题（个）"] == 1


def test_the_word_file_has_the_headings_and_the_figures(report, city_supervisor, city_a):
    from docx import Document
    from docx.oxml.ns import qn

    client = client_for(city_supervisor)
    client.post(
        reverse("reporting:report-narrative", args=[report.pk, "complaints"]),
        {"text": "全年投诉<b>依法</b>受理。\n第二段。"},
    )
    response = client.get(reverse("reporting:report-word", args=[report.pk]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for label in Section.labels:
        assert any(str(label) in h for h in headings), label
    assert "全年投诉<b>依法</b>受理。" in [p.text for p in document.paragraphs]  # plain text
    cells = {tuple(c.text for c in row.cells) for table in document.tables for row in table.rows}
    for section in _dashboard(city_supervisor, city_a).sections():
        for row in section.table().rows:
            assert _shown(row) in cells
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    assert ReportEvent.objects.filter(report=report, kind=ReportEvent.Kind.WORD).count() == 1


def test_the_pdf_is_a_pdf_drawn_without_script(report, city_supervisor):
    response = client_for(city_supervisor).get(reverse("reporting:report-pdf", args=[report.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert b"/JavaScript" not in response.content and b"/JS" not in response.content
    assert ReportEvent.objects.filter(report=report, kind=ReportEvent.Kind.PDF).exists()


def test_the_pdf_carries_the_chinese_title(report, city_supervisor):
    pypdf = pytest.importorskip("pypdf", reason="pypdf is not installed: the text is not read")
    response = client_for(city_supervisor).get(reverse("reporting:report-pdf", args=[report.pk]))
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "行政执法责任制实施情况" in text


def test_the_excel_annex_has_the_same_numbers(report, city_supervisor, city_a):
    from openpyxl import load_workbook

    response = client_for(city_supervisor).get(reverse("reporting:report-annex", args=[report.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = {
        tuple(v for v in row if v is not None)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    }
    for section in _dashboard(city_supervisor, city_a).sections():
        for row in section.table().rows:
            assert _shown(row) in cells


def test_the_page_shows_tables_and_svg_charts_and_escapes_the_narrative(
    report, city_supervisor, django_assert_max_num_queries
):
    client = client_for(city_supervisor)
    client.post(
        reverse("reporting:report-narrative", args=[report.pk, "overview"]),
        {"text": "总体<b>良好</b>"},
    )
    with django_assert_max_num_queries(45):
        page = client.get(report.get_absolute_url())
    text = page.content.decode()
    assert "总体&lt;b&gt;良好&lt;/b&gt;" in text
    assert text.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') >= 5
    assert "<script" not in text.split("<main", 1)[-1].split("</main>", 1)[0]


def test_narratives_keep_every_version(report, city_supervisor):
    client = client_for(city_supervisor)
    url = reverse("reporting:report-narrative", args=[report.pk, "plan"])
    client.post(url, {"text": "第一稿"})
    client.post(url, {"text": "第一稿"})  # unchanged: no new version
    client.post(url, {"text": "第二稿"})
    versions = list(Narrative.objects.filter(report=report, section="plan").order_by("version"))
    assert [(v.version, v.text) for v in versions] == [(1, "第一稿"), (2, "第二稿")]
    page = client.get(url)
    assert "第 1 版" in page.content.decode() and "第 2 版" in page.content.decode()


def test_script_in_a_narrative_is_refused_and_changes_nothing(report, city_supervisor):
    response = client_for(city_supervisor).post(
        reverse("reporting:report-narrative", args=[report.pk, "overview"]),
        {"text": "<script>alert(1)</script>"},
    )
    assert response.status_code == 400
    assert "网页代码" in response.content.decode()
    assert not Narrative.objects.exists()


def test_a_bad_year_or_a_region_outside_scope_is_refused_in_chinese(
    world, city_supervisor, city_a, city_b
):
    client = client_for(city_supervisor)
    bad_year = client.post(reverse("reporting:report-list"), {"region": city_a.pk, "year": "20x6"})
    assert bad_year.status_code == 400
    assert "年度应为" in bad_year.content.decode()
    outside = client.post(reverse("reporting:report-list"), {"region": city_b.pk, "year": YEAR})
    assert outside.status_code == 400
    assert "不在您的监督范围内" in outside.content.decode()
    assert not AnnualReport.objects.exists()
    made = client.post(reverse("reporting:report-list"), {"region": city_a.pk, "year": YEAR})
    assert made.status_code == 302
    again = client.post(reverse("reporting:report-list"), {"region": city_a.pk, "year": YEAR})
    assert again.url == made.url and AnnualReport.objects.count() == 1


def test_only_supervisors_over_the_region_assemble_it(
    report, inspector_a, outsider_b, sysadmin, province, city_b
):
    from portal.roles import Role
    from portal.services import user_assign_role
    from tests.factories import UserFactory

    supervisor_b = user_assign_role(
        user=UserFactory(username="sv_b"), role=Role.SUPERVISOR, actor=None, region=city_b
    )
    assert client_for(inspector_a).get(report.get_absolute_url()).status_code == 403
    assert client_for(supervisor_b).get(report.get_absolute_url()).status_code == 404
    assert client_for(sysadmin).get(report.get_absolute_url()).status_code == 200
    edit = reverse("reporting:report-narrative", args=[report.pk, "overview"])
    assert client_for(sysadmin).post(edit, {"text": "x"}).status_code == 403


def test_the_report_list_costs_the_same_for_many_reports(
    report, city_supervisor, county_a, django_assert_max_num_queries
):
    client = client_for(city_supervisor)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("reporting:report-list"))
    for year in range(2020, 2026):
        report_open(region=county_a, year=year, actor=city_supervisor)
    with django_assert_max_num_queries(len(one)):
        page = client.get(reverse("reporting:report-list"))
    assert len(page.context["rows"]) == 7


def test_the_three_files_are_made_quickly(report, city_supervisor):
    """The content is a fixed number of aggregate queries; the files' time is the rendering."""
    client = client_for(city_supervisor)
    started = time.monotonic()
    for name in ("reporting:report-word", "reporting:report-pdf", "reporting:report-annex"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 200
    assert time.monotonic() - started < 30
