"""Downloads of a public result set as Excel and CSV (R9), with formulas neutralised."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from enforcement.selectors import public as selectors
from portal import spreadsheets
from tests.factories import AgencyFactory

from .public_helpers import publish

pytestmark = pytest.mark.django_db

XLSX = reverse("enforcement:public-export", args=["xlsx"])
CSV = reverse("enforcement:public-export", args=["csv"])
HOSTILE = ['=HYPERLINK("http://x")', "+1+2", "-3+4", "@SUM(A1)", "\t=1", "\r=1"]


def _xlsx_rows(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the Chinese as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("value", HOSTILE)
def test_a_value_that_a_spreadsheet_would_run_gets_a_leading_apostrophe(value):
    assert spreadsheets.neutralise(value) == "'" + value
    assert spreadsheets.neutralise("食品经营许可") == "食品经营许可"
    assert spreadsheets.neutralise(None) == ""


def test_the_excel_export_has_the_filtered_items_with_formulas_as_text(public_client, agency_a):
    """Issue 3 bad input: cells beginning with = + - @ are exported as text, never formulas."""
    for n, value in enumerate(HOSTILE):
        publish(agency_a, f"许可{n}", sub_item=value, responsibilities=value)
    publish(agency_a, "食品检查", category="inspection")
    response = public_client.get(XLSX, {"q": "许可"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = _xlsx_rows(response)
    header, body = rows[0], rows[1:]
    assert header[:5] == ("事项编码", "事项名称", "子项名称", "职权类别", "行使层级")
    assert len(body) == len(HOSTILE)
    # Without lxml, openpyxl's XML writer stores a carriage return as a line feed (with lxml,
    # which python-docx brings, it keeps it); the apostrophe is what matters.
    assert {row[2].replace("\r", "\n") for row in body} == {
        "'" + value.replace("\r", "\n") for value in HOSTILE
    }
    assert all(row[8].startswith("'") for row in body)
    workbook = load_workbook(io.BytesIO(b"".join(public_client.get(XLSX).streaming_content)))
    assert all(
        cell.data_type == "s" for row in workbook.active.iter_rows() for cell in row if cell.value
    )


def test_the_csv_export_has_the_filtered_items_with_formulas_neutralised(
    public_client, agency_a, agency_b
):
    for n, value in enumerate(HOSTILE):
        publish(agency_a, f"许可{n}", sub_item=value)
    publish(agency_b, "排污许可")
    response = public_client.get(CSV, {"agency": agency_a.pk})
    assert response.status_code == 200
    rows = _csv_rows(response)
    assert rows[0][1] == "事项名称"
    assert {row[2] for row in rows[1:]} == {"'" + value for value in HOSTILE}
    assert all(row[5] == "甲市市场监督管理局" for row in rows[1:])
    assert "《中华人民共和国食品安全法》" in rows[1][7] and "第三十五条" in rows[1][7]


def test_the_export_carries_the_delegation_and_the_supervision_phone(public_client, agency_a):
    publish(
        agency_a, "占道处罚", delegation={"delegated_organisation": "执法大队", "basis": "委托书"}
    )
    (row,) = _csv_rows(public_client.get(CSV))[1:]
    assert row[11] == agency_a.supervision_phone and row[12] == "执法大队：委托书"


def test_bad_filters_refuse_the_export_with_a_message(public_client, agency_a):
    for url in (XLSX, CSV):
        response = public_client.get(url, {"category": "nonsense"})
        assert response.status_code == 400
        assert "选择一个有效的选项" in response.content.decode()
    assert public_client.get("/powers/export.exe").status_code == 404


def test_an_excel_export_over_the_limit_is_refused_and_csv_offered(
    public_client, agency_a, monkeypatch
):
    monkeypatch.setattr(selectors, "EXPORT_LIMIT_XLSX", 3)
    for n in range(4):
        publish(agency_a, f"许可{n}")
    response = public_client.get(XLSX)
    assert response.status_code == 400
    assert "CSV" in response.content.decode()
    assert len(_csv_rows(public_client.get(CSV))) == 5


@pytest.mark.parametrize("url", [XLSX, CSV])
def test_an_export_runs_the_same_number_of_queries_as_the_data_grows(
    public_client, django_assert_max_num_queries, agency_a, url
):
    for n in range(10):
        publish(agency_a, f"第{n}项许可")
    with CaptureQueriesContext(connection) as captured:
        b"".join(public_client.get(url, {"q": "许可"}).streaming_content)
    small = len(captured)
    for agency in [AgencyFactory(region=agency_a.region) for _ in range(3)]:
        for n in range(30):
            publish(agency, f"第{n}项许可")
    with django_assert_max_num_queries(small):
        b"".join(public_client.get(url, {"q": "许可"}).streaming_content)
