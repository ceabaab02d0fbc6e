"""Agency staff import a power list in Chromium: upload, the dry run's problems (shown while the
job runs, across a reload), the import of the valid rows, and the drafts in their list."""

import io
from datetime import date

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from enforcement.models import ImportJob, LegalBasis
from enforcement.services.imports import import_job_check

from .conftest import assert_cjk_renders, login

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_worker"),  # the import job runs on a real worker in CI
]

HEADER = ["事项编码", "职权名称", "职权类别", "设定依据", "实施主体", "责任事项"]


def workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["甲市市场监督管理局权责清单"])
    sheet.append(HEADER)
    law = "《中华人民共和国食品安全法》第三十五条"
    sheet.append(["E2E-1", "食品经营许可", "行政许可", law, "甲市市场监督管理局", "受理、审查"])
    sheet.append(["E2E-2", "<script>alert(1)</script>检查", "行政检查", law, "", "检查"])
    sheet.append(["E2E-3", "对虚假广告的处罚", "行政审批", law, "", "立案"])
    sheet.append(["E2E-4", "对无证经营的处罚", "行政处罚", "", "", "立案"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_staff_import_a_workbook_and_see_the_drafts(
    page, shoot, inspector_a, media, monkeypatch, bundled_calendar
):
    LegalBasis.objects.create(
        title="中华人民共和国食品安全法", issuer="全国人大常委会", level="law",
        published_on=date(2021, 4, 29),
    )  # fmt: skip
    login(page, "inspector_a")

    # Hold the dry run back, as a busy worker would, to see the page while it waits.
    from enforcement import tasks

    monkeypatch.setattr(tasks.import_check, "delay", lambda job_id: None)
    page.goto("/powers/imports/")
    assert_cjk_renders(page)
    page.get_by_label("Excel 工作簿（.xlsx）").set_input_files(
        {"name": "清单.xlsx", "mimeType": "application/octet-stream", "buffer": workbook()}
    )
    page.get_by_role("button", name="上传并检查").click()
    expect(page.locator("#job-status")).to_have_text("正在检查")
    expect(page.locator("#job-progress")).to_have_attribute("value", "0")
    page.reload()  # the page survives a reload while the job runs
    expect(page.locator("#job-status")).to_have_text("正在检查")
    shoot(page, "import-checking")

    job = ImportJob.objects.get()
    import_job_check(job_id=job.pk)  # the worker gets to it; the page notices by polling
    expect(page.get_by_role("button", name="导入有效行")).to_be_visible()
    problems = page.locator("#problems")
    expect(problems).to_contain_text("未知的职权类别“行政审批”")
    expect(problems).to_contain_text("缺少执法依据")
    expect(page.get_by_role("link", name="下载完整问题清单（Excel）")).to_be_visible()
    shoot(page, "import-dry-run")

    monkeypatch.undo()
    page.get_by_role("button", name="导入有效行").click()
    expect(page.locator("#job-status")).to_have_text("导入完成")
    expect(page.locator("#job-progress")).to_have_attribute("value", "100")
    expect(page.locator("#job-percent")).to_have_text("100%")
    expect(page.get_by_text("已导入 2 个草稿事项。")).to_be_visible()
    shoot(page, "import-done")

    page.goto("/powers/staff/")
    expect(page.get_by_text("食品经营许可").first).to_be_visible()
    expect(page.get_by_text("<script>alert(1)</script>检查").first).to_be_visible()
    expect(page.get_by_text("对虚假广告的处罚")).to_have_count(0)
    shoot(page, "import-drafts")
