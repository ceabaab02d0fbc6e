"""The public finds a published power item from the home page and downloads the list (R3, R9)."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from enforcement.models import PowerItemEvent
from tests.enforcement.public_helpers import publish

from .conftest import assert_cjk_renders

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published_list(agency_a, county_agency_a, agency_b):
    item = publish(
        agency_a,
        "食品经营许可",
        sub_item="新办",
        discretion=[],
        responsibilities="1.受理责任：公示应当提交的材料。\n2.审查责任：审查申请材料。",
    )
    PowerItemEvent.objects.create(item=item.item, kind="published", note="首次公布。", public=True)
    publish(agency_a, "对无证经营食品的行政处罚", category="penalty", sub_item="=cmd|' /C calc'!A0")
    publish(agency_a, "食品安全监督检查", category="inspection")
    publish(county_agency_a, "乙县食品经营许可", level="county")
    publish(agency_b, "排污许可", category="licensing")
    return item


def test_the_public_browses_to_an_agency_searches_opens_an_item_and_downloads_excel(
    page, shoot, published_list, tmp_path
):
    page.goto("/")
    page.get_by_role("link", name="权责清单").click()
    expect(page.get_by_role("heading", name="权责清单", exact=True)).to_be_visible()
    assert_cjk_renders(page)
    shoot(page, "public-power-list-index")

    page.get_by_role("link", name="测试省").click()
    expect(page.get_by_role("heading", name="测试省权责清单")).to_be_visible()
    page.get_by_role("link", name="甲市", exact=True).click()
    expect(page.get_by_role("link", name="甲市乙县")).to_be_visible()
    shoot(page, "public-power-list-city")
    page.get_by_role("link", name="甲市市场监督管理局").click()
    expect(page.get_by_role("heading", name="甲市市场监督管理局")).to_be_visible()
    shoot(page, "public-power-list-agency")

    page.get_by_label("关键词").fill("许可")
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(re.compile(r"q=%E8%AE%B8%E5%8F%AF"))
    results = page.locator("table.list tbody tr")
    expect(results).to_have_count(1)  # this agency's licence only, not 乙县's or 丙市's
    expect(results.first).to_contain_text("食品经营许可")
    shoot(page, "public-power-list-search")

    page.get_by_role("link", name="食品经营许可").click()
    expect(page.get_by_role("heading", name="执法依据")).to_be_visible()
    expect(page.get_by_text("《中华人民共和国食品安全法》")).to_be_visible()
    expect(page.get_by_text("首次公布。")).to_be_visible()
    assert_cjk_renders(page)
    shoot(page, "public-power-list-item")

    page.go_back()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel 文件").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / "list.xlsx"
    download.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][1] == "事项名称"
    assert [row[1] for row in rows[1:]] == ["食品经营许可"]


def test_the_public_searches_everything_with_a_two_character_word_and_filters(
    page, shoot, published_list
):
    page.goto("/powers/")
    page.get_by_label("关键词").fill("许可")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("table.list tbody tr")).to_have_count(3)
    page.get_by_label("行政区划（含下级）").select_option("220100")
    page.get_by_label("行使层级").select_option("county")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    expect(page.locator("table.list")).to_contain_text("乙县食品经营许可")
    shoot(page, "public-power-list-filtered")

    page.goto("/powers/?category=nonsense&page=abc")
    expect(page.get_by_role("alert").first).to_contain_text("选择一个有效的选项")
    shoot(page, "public-power-list-bad-filter")
