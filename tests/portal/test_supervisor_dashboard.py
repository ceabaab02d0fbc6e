"""R11: the supervisors' dashboard: who may open it, the scope of its filters, the early-warning
colours, bad filters, the charts' tables, the export, and query counts that do not grow."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reporting.selectors.figures import figures_for, filters_for
from tests.conftest import client_for
from tests.enforcement.staff_factories import make_draft
from tests.reporting.figure_world import at, case, clue, complaint, proceeding, revision
from workdays.deadlines import add_working_days

pytestmark = pytest.mark.django_db

URL = reverse("portal:dashboard")
EXPORT = reverse("portal:dashboard-export")
YEAR_2026 = {"start": "2026-01-01", "end": "2026-12-31"}


@pytest.fixture
def complaints_2026(agency_a, county_agency_a, agency_b):
    """City A: one acknowledged on time, one refused a day late, one undecided long past its
    deadline; city B: one."""
    complaint(
        agency_a, registered=at(2026, 3, 2, 9), ack_by=date(2026, 3, 9), decided=at(2026, 3, 9, 17)
    )
    complaint(
        county_agency_a,
        registered=at(2026, 3, 2, 9),
        ack_by=date(2026, 3, 9),
        decided=at(2026, 3, 10, 8),
        status="refused",
    )
    complaint(agency_a, registered=at(2026, 1, 6, 9), ack_by=date(2026, 1, 13))
    complaint(agency_b, registered=at(2026, 3, 2, 9), ack_by=date(2026, 3, 9))


# --- who ----------------------------------------------------------------------------------------


def test_the_public_is_sent_to_log_in(public_client):
    for url in (URL, EXPORT):
        response = public_client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_agency_staff_and_the_legal_office_are_refused(inspector_a, legal_office_a, outsider_b):
    for user in (inspector_a, legal_office_a, outsider_b):
        for url in (URL, EXPORT):
            assert client_for(user).get(url).status_code == 403


def test_the_administrator_sees_the_whole_province(sysadmin, province, complaints_2026):
    response = client_for(sysadmin).get(URL, YEAR_2026)
    assert response.status_code == 200
    assert response.context["filters"].region == province
    assert response.context["figures"].complaints.received == 4


# --- scope --------------------------------------------------------------------------------------


def test_a_city_supervisor_sees_city_a_and_below_not_city_b(city_supervisor, complaints_2026):
    response = client_for(city_supervisor).get(URL, YEAR_2026)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.complaints.received == 3  # agency A, its county; not city B's
    assert "丙市" not in response.content.decode()  # city B is not even among the choices


def test_a_region_or_agency_outside_the_scope_is_refused_with_a_chinese_message(
    city_supervisor, city_b, agency_b
):
    client = client_for(city_supervisor)
    for asked, message in (
        ({"region": city_b.pk}, "没有这个行政区划，或不在您的监督范围内。"),
        ({"agency": agency_b.pk}, "没有这个执法主体，或不在您的监督范围内。"),
    ):
        for url in (URL, EXPORT):
            response = client.get(url, asked)
            assert response.status_code == 400
            assert message in response.content.decode()
            assert "figures" not in response.context


def test_the_agency_filter_narrows_to_that_agency(
    city_supervisor, county_agency_a, complaints_2026
):
    response = client_for(city_supervisor).get(URL, {**YEAR_2026, "agency": county_agency_a.pk})
    assert response.context["figures"].complaints.received == 1


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-13"}, "请按“年-月”填写月份"),
        ({"start": "二〇二六年"}, "请按“年-月”填写月份"),
        ({"end": "2026/12"}, "请按“年-月”填写月份"),
        ({"start": "1900-01"}, "月份须在 2000-01 至 2100-12 之间"),
        ({"start": "2026-05", "end": "2026-04"}, "截止月份不能早于起始月份"),
        ({"region": "abc"}, "没有这个行政区划"),
        ({"agency": "99999999999999999999999"}, "没有这个执法主体"),
    ],
)
def test_a_bad_filter_is_a_400_with_a_clear_chinese_message(city_supervisor, query, message):
    response = client_for(city_supervisor).get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_period_is_chosen_in_whole_months(city_supervisor):
    """The figures are kept per month: the form offers months, and an older link's dates stand
    for their months."""
    client = client_for(city_supervisor)
    page = client.get(URL, {"start": "2026-03", "end": "2026-03"}).content.decode()
    assert "2026-03-01 至 2026-03-31" in page
    assert 'type="month"' in page and 'value="2026-03"' in page
    dated = client.get(URL, {"start": "2026-03-15", "end": "2026-04-02"}).content.decode()
    assert "2026-03-01 至 2026-04-30" in dated


# --- figures and warnings -----------------------------------------------------------------------


def test_the_on_time_rate_counts_open_overdue_complaints_as_late(city_supervisor, complaints_2026):
    """R16: one on time, one decided late, one never decided: 1 in 3 on time."""
    response = client_for(city_supervisor).get(URL, YEAR_2026)
    section = next(s for s in response.context["sections"] if s["key"] == "complaints")
    rows = dict(section["rows"])
    assert rows["应告知受理情况（件）"] == ["3"]
    assert rows["逾期告知（件，含逾期未告知）"] == ["2"]
    assert rows["其中：逾期仍未告知（件）"] == ["1"]
    assert rows["按时告知率（%）"] == ["33.3"]


def test_a_complaint_due_within_two_working_days_is_yellow_and_an_overdue_one_red(
    city_supervisor, agency_a
):
    """The warnings count working days with the calendar: due on the next working day is
    yellow, due yesterday red; each row says so in words and links to the complaint."""
    today = timezone.localdate()
    soon = add_working_days(start=today, days=1).deadline
    later = add_working_days(start=today, days=3).deadline
    due_soon = complaint(agency_a, registered=at(2026, 1, 5, 9), ack_by=soon)
    overdue = complaint(agency_a, registered=at(2026, 1, 5, 9), ack_by=today - timedelta(days=1))
    complaint(agency_a, registered=at(2026, 1, 5, 9), ack_by=later)  # not yet a warning
    response = client_for(city_supervisor).get(URL)
    html = response.content.decode()
    rows = re.findall(r'<tr class="warning-row level-(\w+)" data-level="(\w+)".*?</tr>', html, re.S)
    assert [level for level, _ in rows] == ["red", "yellow"]
    red_row, yellow_row = re.findall(r'<tr class="warning-row.*?</tr>', html, re.S)
    assert "已逾期" in red_row and overdue.get_absolute_url() in red_row
    assert "即将到期" in yellow_row and due_soon.get_absolute_url() in yellow_row
    assert (response.context["warning_red"], response.context["warning_yellow"]) == (1, 1)


def test_revision_tasks_warn_too(city_supervisor, inspector_a, agency_a):
    revision(agency_a, inspector_a, due=timezone.localdate() - timedelta(days=3))
    response = client_for(city_supervisor).get(URL)
    group = next(g for g in response.context["warnings"] if g.key == "revision_tasks")
    assert (group.red, group.yellow) == (1, 0)
    assert group.rows[0].url == reverse("enforcement:revision_task_list")


def test_every_chart_has_its_table_in_the_page_and_no_inline_script(
    city_supervisor, complaints_2026
):
    html = client_for(city_supervisor).get(URL, YEAR_2026).content.decode()
    for key in ("trend", "complaint_status", "grades", "clue_steps"):
        assert f'id="chart-table-{key}"' in html
        assert f'aria-controls="chart-table-{key}"' in html
    assert '<script id="dashboard-charts" type="application/json">' in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag
    assert "static/vendor/echarts/echarts.min.js" in html or "vendor/echarts/echarts.min" in html
    assert "表格视图" in html


# --- export -------------------------------------------------------------------------------------


def test_the_export_holds_the_same_figures_for_the_same_filters(
    city_supervisor, county_a, complaints_2026
):
    query = {**YEAR_2026, "region": county_a.pk}
    response = client_for(city_supervisor).get(EXPORT, query)
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    figures = figures_for(
        filters=filters_for(
            user=city_supervisor, region=county_a, start=date(2026, 1, 1), end=date(2026, 12, 31)
        )
    )
    for section in figures.sections():
        assert str(section.title) in cells
        for label, *values in section.table().rows:
            assert list(cells[label][: len(values)]) == ["—" if v is None else v for v in values]
    assert cells["收到投诉（件）"][0] == 1


def test_a_formula_in_a_name_is_exported_as_text(city_supervisor, city_a):
    from tests.factories import AgencyFactory

    AgencyFactory(name="=HYPERLINK(1)", region=city_a)
    response = client_for(city_supervisor).get(EXPORT, {"region": city_a.pk})
    assert response.status_code == 200  # agency names are not in the export; nothing to run


# --- cost ---------------------------------------------------------------------------------------


def _grow(inspector_a, agencies, months):
    item = make_draft(agencies[0], inspector_a, code=f"3302170{months[0]:05d}")
    today = timezone.localdate()
    for month in months:
        for agency in agencies:
            complaint(agency, registered=at(2026, month, 3, 9), ack_by=today)
            case(agency, item, inspector_a, opened=at(2026, month, 5, 9))
            revision(agency, inspector_a, due=today - timedelta(days=month))
            opened = clue(agency, inspector_a, registered=at(2026, month, 3, 9), due=today)
            proceeding(opened, inspector_a, due=today - timedelta(days=month))


def test_the_query_count_of_the_page_and_the_export_does_not_grow(
    city_supervisor, inspector_a, agency_a, county_agency_a, django_assert_max_num_queries
):
    client = client_for(city_supervisor)
    client.get(URL)  # the session and the user's role read once

    def counted(url) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, YEAR_2026).status_code == 200
        return len(queries)

    empty = (counted(URL), counted(EXPORT))
    _grow(inspector_a, [agency_a, county_agency_a], range(1, 4))
    small = (counted(URL), counted(EXPORT))
    _grow(inspector_a, [agency_a, county_agency_a], range(4, 10))
    large = (counted(URL), counted(EXPORT))
    assert small == large
    assert empty[1] == small[1]
    with django_assert_max_num_queries(50):
        client.get(URL, YEAR_2026)
    with django_assert_max_num_queries(30):
        client.get(EXPORT, YEAR_2026)


def test_the_fines_are_shown_with_thousands_separators(city_supervisor):
    response = client_for(city_supervisor).get(URL, YEAR_2026)
    fines = next(s for s in response.context["sections"] if s["key"] == "fines")
    assert dict(fines["rows"])["决定罚款金额（元）"] == ["0.00"]
    assert Decimal("12345.6").quantize(Decimal("0.01")).__format__(",") == "12,345.60"


def test_the_workspace_links_supervisors_to_the_dashboard_and_no_one_else(
    city_supervisor, sysadmin, inspector_a
):
    workspace = reverse("portal:workspace")
    for user in (city_supervisor, sysadmin):
        assert f'href="{URL}"' in client_for(user).get(workspace).content.decode()
    assert f'href="{URL}"' not in client_for(inspector_a).get(workspace).content.decode()


def test_clues_case_steps_and_rectification_orders_warn_with_links(
    city_supervisor, agency_a, city_a, city_a_legal_office
):
    from assessment.models import RectificationOrder
    from tests.reporting.figure_world import evaluated

    today = timezone.localdate()
    soon = add_working_days(start=today, days=2).deadline
    late_clue = clue(
        agency_a, city_supervisor, registered=at(2026, 1, 5, 9), due=today - timedelta(days=1)
    )
    opened = clue(
        agency_a, city_supervisor, registered=at(2026, 1, 6, 9), due=today, status="closed"
    )
    case_ = proceeding(opened, city_supervisor, step="decision", due=soon)
    _cycle, result = evaluated(
        city_a, agency_a, city_a_legal_office, city_supervisor, year=2025, grade="unqualified"
    )
    order = RectificationOrder.objects.create(
        result=result,
        requirements="整改",
        due=today - timedelta(days=10),
        ordered_by=city_supervisor,
    )
    groups = {g.key: g for g in client_for(city_supervisor).get(URL).context["warnings"]}
    assert [(r.level, r.url) for r in groups["clues"].rows] == [
        ("red", reverse("accountability:clue-detail", args=[late_clue.pk]))
    ]
    assert [(r.level, r.url) for r in groups["proceedings"].rows] == [
        ("yellow", case_.get_absolute_url())
    ]
    assert [(r.level, r.url) for r in groups["rectification"].rows] == [
        ("red", reverse("assessment:rectification", args=[order.pk]))
    ]
