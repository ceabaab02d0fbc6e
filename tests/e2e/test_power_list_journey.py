"""Issue 3's whole journey in Chromium, each step by the person who does it, through the pages:
staff import a workbook → submit one draft → the agency's legal office passes it → the city
supervisor publishes it → the public finds it with a two-character word and downloads it
(R3 only published versions are public, R9 the list is searchable and downloadable)."""

import io
import re

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from enforcement.search import query_phrases, search_document
from tests.enforcement.staff_factories import LegalBasisFactory, make_published

from .conftest import assert_cjk_renders, login
from .test_import import HEADER, media  # noqa: F401 - media is a fixture, used by name below

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("bundled_calendar", "media", "celery_worker"),
]

# 冰雕 (ice sculpture) is rare in power lists: a search for it can only find these two rows.
WORD = "冰雕"
PUBLISHED = "冰雕冰灯展览活动安全许可"
DRAFT = "冰雕作品销售价格检查"
LAW = "《中华人民共和国食品安全法》第三十五条"


def journey_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["甲市市场监督管理局权责清单"])
    sheet.append(HEADER)
    sheet.append(["BD-001", PUBLISHED, "行政许可", LAW, "甲市市场监督管理局", "受理、审查、决定"])
    sheet.append(["BD-002", DRAFT, "行政检查", LAW, "", "检查、处理"])
    sheet.append(["BD-003", "对冰雕无证经营的处罚", "行政处罚", "", "", "立案"])  # no basis
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _log_out(page) -> None:
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("button", name="退出登录")).to_have_count(0)


def test_an_imported_item_goes_through_review_to_the_public_search_and_its_excel_download(
    page, shoot, chromium, live_server, agency_a, inspector_a, legal_office_a, city_supervisor,
    tmp_path,
):  # fmt: skip
    """Issue 3 "Done when": import → submit → legal office passes → supervisor publishes → the
    public finds it by a two-character search and downloads it (R3, R9)."""
    LegalBasisFactory(title="中华人民共和国食品安全法", document_number="主席令第二十一号")
    # Another published item of the same agency, so the search has something to leave out.
    make_published(
        agency_a, inspector_a, legal_office_a, city_supervisor, code="SP-001", name="食品经营许可"
    )
    # The word is one exact token of the published name's search document: a single lookup.
    assert query_phrases(WORD) == [[WORD]]
    assert WORD in search_document(PUBLISHED).split()

    # Staff upload the workbook; the dry run (run at once by the eager worker) reports the bad row.
    login(page, "inspector_a")
    page.goto("/powers/imports/")  # typed: no page links to the import page yet
    page.get_by_label("Excel 工作簿（.xlsx）").set_input_files(
        {
            "name": "冰雕清单.xlsx",
            "mimeType": "application/octet-stream",
            "buffer": journey_workbook(),
        }
    )
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_role("button", name="导入有效行")).to_be_visible()
    problems = page.locator("#problems")
    expect(problems.locator("tbody tr")).to_have_count(1)
    expect(problems).to_contain_text("BD-003")
    expect(problems).to_contain_text("缺少执法依据")
    assert_cjk_renders(page)
    shoot(page, "journey-01-dry-run")
    page.get_by_role("button", name="导入有效行").click()
    expect(page.locator("#job-status")).to_have_text("导入完成")
    expect(page.get_by_text("已导入 2 个草稿事项。")).to_be_visible()
    shoot(page, "journey-02-imported")

    # Staff open one of the imported drafts from their list and submit it.
    page.goto("/workspace/")
    page.get_by_role("link", name="权责事项管理").first.click()
    expect(page.get_by_role("link", name=DRAFT)).to_be_visible()
    expect(page.get_by_text("对冰雕无证经营的处罚")).to_have_count(0)
    page.get_by_role("link", name=PUBLISHED).click()
    expect(page.locator("#status")).to_have_text("草稿")
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("已提交部门法制机构审核：")).to_be_visible()
    expect(page.locator("#status")).to_have_text("待法制机构审核")
    shoot(page, "journey-03-submitted")
    _log_out(page)

    # The agency's legal office passes it from its queue, where the other draft is not.
    login(page, "legal_office_a")
    page.get_by_role("link", name="待法制机构审核").first.click()
    queue = page.locator("#queue tbody tr")
    expect(queue).to_have_count(1)
    expect(queue.first).to_contain_text(PUBLISHED)
    shoot(page, "journey-04-legal-queue")
    # The item is read on its own page before it is passed; the decision leads back to the queue.
    queue.first.get_by_role("link", name="审阅并审核").click()
    expect(page.locator("#status")).to_have_text("待法制机构审核")
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_text("已通过内部审核，报送政府法制部门：")).to_contain_text(PUBLISHED)
    expect(page.locator("#queue")).to_have_count(0)
    _log_out(page)

    # The city supervisor publishes it from the supervisor's queue.
    login(page, "city_supervisor")
    page.get_by_role("link", name="待政府法制部门审核公布").first.click()
    queue = page.locator("#queue tbody tr")
    expect(queue).to_have_count(1)
    expect(queue.first).to_contain_text(PUBLISHED)
    shoot(page, "journey-05-supervisor-queue")
    queue.first.get_by_role("link", name="审阅并审核").click()
    page.get_by_role("button", name="审核通过并公布").click()
    expect(page.get_by_text("已公布：")).to_contain_text(PUBLISHED)
    expect(page.locator("#queue")).to_have_count(0)
    _log_out(page)

    # The public, in a browser that never logged in, finds it from the home page by the word.
    public = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    try:
        visitor = public.new_page()
        visitor.set_default_timeout(15_000)
        visitor.goto("/")
        visitor.get_by_role("link", name="权责清单").click()
        expect(visitor.get_by_role("heading", name="权责清单", exact=True)).to_be_visible()
        visitor.get_by_label("关键词").fill(WORD)
        visitor.get_by_role("button", name="查询").click()
        expect(visitor).to_have_url(re.compile(r"q=%E5%86%B0%E9%9B%95"))
        results = visitor.locator("table.list tbody tr")
        expect(results).to_have_count(1)  # not the imported draft, nor 食品经营许可
        expect(results.first).to_contain_text(PUBLISHED)
        expect(results.first).to_contain_text("BD-001")
        expect(visitor.get_by_text(DRAFT)).to_have_count(0)
        assert_cjk_renders(visitor)
        shoot(visitor, "journey-06-public-search")

        visitor.get_by_role("link", name=PUBLISHED).click()
        expect(visitor.get_by_role("heading", name=PUBLISHED)).to_be_visible()
        expect(visitor.get_by_role("heading", name="执法依据")).to_be_visible()
        expect(visitor.get_by_text("中华人民共和国食品安全法")).to_be_visible()
        expect(visitor.get_by_text("受理、审查、决定")).to_be_visible()
        shoot(visitor, "journey-07-public-item")

        visitor.go_back()
        with visitor.expect_download() as download_info:
            visitor.get_by_role("link", name="Excel 文件").click()
        download = download_info.value
        assert download.suggested_filename.endswith(".xlsx")
        path = tmp_path / "search.xlsx"
        download.save_as(path)
    finally:
        public.close()
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("事项编码", "事项名称")
    assert [row[:2] for row in rows[1:]] == [("BD-001", PUBLISHED)]
    assert "中华人民共和国食品安全法" in rows[1][7]
