"""Issue 14: the import page offers the template workbook. Its headings are the ones the importer
reads, its example row checks clean as it is, and the template filled with an agency's rows
imports every row (the template and the importer cannot drift apart)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from enforcement.importing.headers import match_header
from enforcement.models import ImportJob, PowerItem
from enforcement.services import imports
from tests.conftest import client_for

from .test_import import bases, checked, upload  # noqa: F401 - the fixture of the library

pytestmark = pytest.mark.django_db

TEMPLATE = reverse("enforcement:import_template")


def _template(user) -> bytes:
    response = client_for(user).get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    return response.content


def test_the_import_page_links_the_template(inspector_a):
    page = client_for(inspector_a).get(reverse("enforcement:import_list")).content.decode()
    assert TEMPLATE in page


def test_the_template_has_the_importers_headings_and_an_example_of_the_users_agency(
    inspector_a,
    agency_a,
    bases,  # noqa: F811
):
    book = load_workbook(io.BytesIO(_template(inspector_a)))
    assert book.sheetnames[0] == "权责清单" and "填写说明" in book.sheetnames
    rows = list(book.worksheets[0].values)
    heading, example = rows[0], rows[1]
    assert heading[:5] == ("事项编码", "事项名称", "子项名称", "权力类型", "设定依据")
    assert match_header(heading, 1).columns.keys() >= {"code", "name", "category", "agency"}
    assert agency_a.name in example
    assert "《中华人民共和国食品安全法》第一条" in example  # a basis in force, from the library


def test_the_template_as_downloaded_checks_clean(inspector_a, bases):  # noqa: F811
    job = checked(inspector_a, _template(inspector_a))
    assert job.status == ImportJob.Status.CHECKED
    assert (job.valid_rows, job.invalid_rows) == (1, 0), job.problems


def test_the_template_filled_imports_every_row(
    inspector_a,
    agency_a,
    bases,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    book = load_workbook(io.BytesIO(_template(inspector_a)))
    sheet = book.worksheets[0]
    example = [cell.value for cell in sheet[2]]
    sheet.delete_rows(2)
    filled = [
        ("食品经营许可", "行政许可"),
        ("过期食品的处罚", "行政处罚"),
        ("食品检查", "行政检查"),
    ]
    for n, (name, category) in enumerate(filled, start=1):
        values = list(example)
        values[0], values[1], values[3] = f"SP-{n:03d}", name, category
        values[4] = "《中华人民共和国食品安全法》第三十五条"
        values[5] = "《食品经营许可管理办法》第二条"
        values[-1] = ""
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    with django_capture_on_commit_callbacks(execute=True):
        job = imports.import_job_create(upload=upload(buffer.getvalue()), actor=inspector_a)
    job.refresh_from_db()
    assert (job.valid_rows, job.invalid_rows) == (3, 0), job.problems
    with django_capture_on_commit_callbacks(execute=True):
        imports.import_job_start(job=job, actor=inspector_a)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.created_items == 3
    items = PowerItem.objects.filter(agency=agency_a).order_by("code")
    assert [i.code for i in items] == ["SP-001", "SP-002", "SP-003"]
    assert all(item.bases.count() == 2 for item in items)


def test_a_value_that_looks_like_a_formula_is_written_as_text(inspector_a, agency_a):
    agency_a.name = '=HYPERLINK("http://x.example")'
    agency_a.save()
    sheet = load_workbook(io.BytesIO(_template(inspector_a))).worksheets[0]
    assert all(not str(cell.value or "").startswith("=") for cell in sheet[2])


@pytest.mark.parametrize("who", ["city_supervisor", "sysadmin"])
def test_only_agency_staff_download_the_template(request, who):
    assert client_for(request.getfixturevalue(who)).get(TEMPLATE).status_code == 403


def test_the_public_is_sent_to_log_in(public_client):
    response = public_client.get(TEMPLATE)
    assert response.status_code == 302 and reverse("login") in response["Location"]
