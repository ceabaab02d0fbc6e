"""The power list's review workflow in Chromium: staff draft and submit, the agency's legal office
passes, the city supervisor publishes (R3, R7, R9). Each persona logs in through the login page."""

import pytest
from playwright.sync_api import expect

from enforcement.models import PowerItem, PublishedPowerItem
from tests.enforcement.staff_factories import LegalBasisFactory

from .conftest import assert_cjk_renders, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_draft_goes_from_staff_through_the_legal_office_to_publication(
    page, shoot, agency_a, inspector_a, legal_office_a, city_supervisor
):
    LegalBasisFactory(title="中华人民共和国食品安全法", document_number="主席令第二十一号")

    # Staff draft a penalty item with its basis and a discretion tier, and submit it.
    login(page, "inspector_a")
    page.get_by_role("link", name="权责事项管理").click()
    page.get_by_role("link", name="新建事项").click()
    page.get_by_label("事项编码").fill("330217001000")
    page.get_by_label("事项名称").fill("对生产经营不符合安全标准食品的处罚")
    page.get_by_label("职权类别").select_option(label="行政处罚")
    page.get_by_label("行使层级").select_option(label="市级")
    page.get_by_label("责任事项").fill("立案、调查、审查、决定、送达、执行")
    page.locator("select[name='bases-0-basis']").select_option(label="《中华人民共和国食品安全法》")
    page.locator("input[name='bases-0-articles']").fill("第一百二十四条")
    page.locator("textarea[name='tiers-0-circumstances']").fill("初次违法且危害后果轻微")
    page.locator("input[name='tiers-0-penalty']").fill("警告")
    page.locator("input[name='tiers-0-fine_max']").fill("2000")
    assert_cjk_renders(page)
    shoot(page, "power-item-form")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存。")).to_be_visible()
    expect(page.locator("#status")).to_have_text("草稿")
    shoot(page, "power-item-draft")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#status")).to_have_text("待法制机构审核")
    page.get_by_role("link", name="权责事项管理").click()
    expect(page.get_by_role("cell", name="待法制机构审核")).to_be_visible()
    shoot(page, "power-item-list")

    # The agency's legal office finds it in its queue and passes it.
    login(page, "legal_office_a")
    page.get_by_role("link", name="待法制机构审核").first.click()
    shoot(page, "power-item-legal-queue")
    page.get_by_role("link", name="对生产经营不符合安全标准食品的处罚").click()
    page.get_by_label("审核意见（可不填）").fill("依据准确，同意报送")
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator("#status")).to_have_text("待政府法制部门审核")

    # The city supervisor publishes it from the item page.
    login(page, "city_supervisor")
    page.get_by_role("link", name="待政府法制部门审核公布").first.click()
    shoot(page, "power-item-supervisor-queue")
    page.get_by_role("link", name="对生产经营不符合安全标准食品的处罚").click()
    page.get_by_role("button", name="审核通过并公布").click()
    expect(page.get_by_text("已公布。")).to_be_visible()
    expect(page.locator("#status")).to_have_text("已公布")
    timeline = page.locator("#timeline")
    for step in ("创建", "提交审核", "法制机构审核通过", "公布"):
        expect(timeline).to_contain_text(step)
    expect(timeline).to_contain_text("依据准确，同意报送")
    expect(timeline).to_contain_text("首次公布。")
    shoot(page, "power-item-published")

    item = PowerItem.objects.get(code="330217001000")
    published = PublishedPowerItem.objects.get(item=item)
    assert published.bases[0]["articles"] == "第一百二十四条"
    assert published.discretion[0]["fine_max"] == "2000.00"

    # Two versions compared side by side.
    page.get_by_role("button", name="比较所选版本").click()
    expect(page.locator("#changes")).to_contain_text("状态")
    shoot(page, "power-item-compare")
