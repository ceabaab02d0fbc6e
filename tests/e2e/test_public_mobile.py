"""The public pages on a phone (390 px wide), and the printable receipt of a complaint.

Lighthouse does not see a table collapsing to one character a line: these tests measure it. On
each public page of the demo province: nothing wider than the screen, no table cell holding text
narrower than two characters, and the 20-row result list of a reasonable height. Then a citizen on
the phone files a complaint and prints its receipt (回执).
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accountability.models import TypicalCase
from complaints.models import Complaint
from enforcement.models import DecisionDisclosure, PublishedPowerItem
from portal.roles import sync_role_groups

from .conftest import assert_cjk_renders

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# A 20-row result list as cards: about 110 px a row on a phone (it was 4,100 px as a table whose
# cells wrapped one character a line).
MAX_LIST_HEIGHT = 20 * 150

NARROW_CELLS = """() => [...document.querySelectorAll('td, th')].filter((cell) => {
    if (!cell.getClientRects().length || cell.innerText.trim().length < 2) return false;
    const style = getComputedStyle(cell);
    const width = cell.getBoundingClientRect().width
        - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return width < 2 * parseFloat(style.fontSize);
}).map((cell) => cell.innerText.slice(0, 12))"""


@pytest.fixture
def demo(settings, tmp_path, transactional_db):
    settings.MEDIA_ROOT = tmp_path
    sync_role_groups()  # a transactional test starts from emptied tables
    call_command("load_demo_data", force=True, verbosity=0)


def _phone(page):
    page.set_viewport_size(PHONE)
    return page


def _assert_fits_the_phone(page, name: str, shoot) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page is {width} px wide on a 390 px screen"
    narrow = page.evaluate(NARROW_CELLS)
    assert not narrow, f"{name}: cells narrower than two characters: {narrow}"
    shoot(page, f"public-mobile-{name}")


def test_every_public_page_fits_a_phone_and_lists_read_as_cards(page, shoot, demo):
    item = PublishedPowerItem.objects.order_by("pk").first()
    disclosure = DecisionDisclosure.objects.order_by("pk").first()
    typical = TypicalCase.objects.filter(status=TypicalCase.Status.PUBLISHED).first()
    assert PublishedPowerItem.objects.count() > 20, "the demo lists more than one page"
    assert disclosure and typical
    pages = {
        "home": "/",
        "power-list": "/powers/",
        "search": "/powers/?q=%E8%AE%B8%E5%8F%AF",
        "item": f"/powers/items/{item.pk}/",
        "agency": f"/powers/agencies/{item.agency_id}/",
        "region": f"/powers/regions/{item.agency.region.code}/",
        "disclosures": "/disclosures/",
        "disclosure": f"/disclosures/{disclosure.pk}/",
        "file": "/complaints/file/",
        "file-region": f"/complaints/file/?region={item.agency.region.code}",
        "track": "/complaints/track/",
        "channels": "/complaints/channels/",
        "typical-cases": "/typical-cases/",
        "typical-case": f"/typical-cases/{typical.pk}/",
    }
    _phone(page)
    for name, path in pages.items():
        response = page.goto(path)
        assert response.status == 200, f"{name}: {response.status}"
        _assert_fits_the_phone(page, name, shoot)
    assert_cjk_renders(page)

    # The full first page of the power list: 20 rows, as cards of a sane height.
    page.goto("/powers/")
    rows = page.locator("table.list tbody tr")
    expect(rows).to_have_count(20)
    height = page.locator("table.list").bounding_box()["height"]
    assert height < MAX_LIST_HEIGHT, f"20 rows are {height:.0f} px tall on a phone"
    # Each card leads with the item's name, and its agency is named beside its label.
    first = rows.first.locator("td.title")
    assert first.bounding_box()["y"] <= rows.first.locator("td").first.bounding_box()["y"]
    agency = rows.first.locator("td[data-label='实施主体']")
    assert agency.evaluate("td => getComputedStyle(td, '::before').content") == '"实施主体："'

    # The home page on a phone: search, the two complaint actions, the latest, the footer.
    page.goto("/")
    page.get_by_label("搜索权责清单").fill("许可")
    page.get_by_role("button", name="搜索").click()
    expect(page).to_have_url(re.compile(r"/powers/\?q=%E8%AE%B8%E5%8F%AF"))
    page.goto("/")
    complain = page.get_by_role("link", name=re.compile("我要投诉"))
    track = page.get_by_role("link", name=re.compile("投诉查询"))
    for action in (complain, track):
        box = action.bounding_box()
        assert box["height"] >= 44 and box["x"] + box["width"] <= PHONE["width"]
    expect(page.locator("footer")).to_contain_text("实施意见")

    # The same pages on a desktop keep their tables.
    page.set_viewport_size(DESKTOP)
    for name in ("home", "power-list", "disclosures", "item"):
        page.goto(pages[name])
        shoot(page, f"public-desktop-{name}")
    page.goto("/powers/")
    expect(page.locator("table.list thead")).to_be_visible()


def test_a_citizen_on_a_phone_files_a_complaint_and_prints_its_receipt(
    page, shoot, settings, tmp_path, bundled_calendar, agency_a
):
    settings.MEDIA_ROOT = tmp_path
    _phone(page)
    page.goto(f"/complaints/file/?region={agency_a.region.code}")
    page.wait_for_load_state()
    _assert_fits_the_phone(page, "file-form", shoot)
    page.locator("#id_agency").select_option(label=f"{agency_a.name}（{agency_a.region.name}）")
    page.get_by_label("发生日期").fill("2026-11-02")
    page.get_by_label("投诉类型").select_option(label="不作为")
    page.get_by_label("投诉事项").fill("举报食品摊贩无证经营，多次反映无人处理。")
    page.get_by_label("姓名", exact=True).fill("王小明")
    page.get_by_label("联系电话").fill("13900001111")
    page.get_by_role("button", name="提交投诉").click()

    expect(page.get_by_role("heading", name="投诉已登记")).to_be_visible()
    complaint = Complaint.objects.get()
    code = page.locator("#access-code").inner_text().strip()
    assert code and code not in page.url
    receipt = page.locator("#receipt")
    expect(receipt).to_contain_text(complaint.number)
    expect(receipt).to_contain_text(f"{complaint.received_on:%Y}年")
    acknowledge_by = complaint.acknowledge_by
    expect(receipt.locator("#receipt-acknowledge-by")).to_contain_text(
        f"{acknowledge_by.year}年{acknowledge_by.month}月{acknowledge_by.day}日"
    )
    expect(page.get_by_role("button", name="打印回执")).to_be_visible()
    _assert_fits_the_phone(page, "receipt", shoot)

    # Printed: the receipt only, no navigation, and no access code unless the citizen asks.
    page.emulate_media(media="print")
    expect(page.locator("header.masthead")).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    expect(page.get_by_role("heading", name="投诉已登记")).to_be_hidden()
    expect(page.locator("#access-code")).to_be_hidden()
    expect(receipt).to_be_visible()
    expect(receipt.locator("#receipt-access-code")).to_be_hidden()
    assert code not in receipt.inner_text()  # what is drawn, not the hidden markup
    shoot(page, "receipt-print")
    page.emulate_media(media="screen")
    page.get_by_label("在回执上印出查询码").check()
    page.emulate_media(media="print")
    expect(receipt.locator("#receipt-access-code")).to_have_text(code)
    shoot(page, "receipt-print-with-code")
    page.emulate_media(media="screen")

    # Later, from tracking with the number and the code: the receipt again, without the code.
    page.context.clear_cookies()
    page.goto("/complaints/track/")
    page.get_by_label("登记号").fill(complaint.number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name="投诉办理情况")).to_be_visible()
    _assert_fits_the_phone(page, "track-result", shoot)
    page.get_by_role("link", name="打印回执").click()
    expect(page).to_have_url(re.compile(r"/complaints/track/receipt/$"))
    assert code not in page.url and code not in page.content()
    page.emulate_media(media="print")
    expect(page.locator("#receipt")).to_contain_text(complaint.number)
    expect(page.locator("header.masthead")).to_be_hidden()
    shoot(page, "receipt-print-from-tracking")
