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
    expect(page.get_by_text("草稿已保存：")).to_be_visible()
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
    # Opened from the queue, the decision leads back to it (issue 14), naming the item.
    expect(page.get_by_text("已通过内部审核，报送政府法制部门：330217001000")).to_be_visible()
    expect(page.get_by_role("heading", name="待法制机构审核")).to_be_visible()

    # The city supervisor publishes it from the item page.
    login(page, "city_supervisor")
    page.get_by_role("link", name="待政府法制部门审核公布").first.click()
    shoot(page, "power-item-supervisor-queue")
    page.get_by_role("link", name="对生产经营不符合安全标准食品的处罚").click()
    page.get_by_role("button", name="审核通过并公布").click()
    expect(page.get_by_text("已公布：330217001000")).to_be_visible()
    page.goto(f"/powers/staff/{PowerItem.objects.get(code='330217001000').pk}/")
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


def _shoot_both(page, shoot, name: str) -> None:
    """A desktop screenshot and one at a phone's width (390 px)."""
    shoot(page, name)
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, f"{name}-390")
    page.set_viewport_size(size)


def test_a_withdrawal_goes_through_the_legal_office_and_the_supervisor(
    page, shoot, agency_a, inspector_a, legal_office_a, city_supervisor
):
    """R2: staff request the withdrawal with a reason; the item stays public until the legal
    office passes it and the supervisor approves it; then the public reads the reason."""
    from tests.enforcement.staff_factories import make_published

    item = make_published(
        agency_a, inspector_a, legal_office_a, city_supervisor, name="对无照经营的处罚"
    )
    public_url = f"/powers/items/{PublishedPowerItem.objects.get(item=item).pk}/"

    login(page, "inspector_a")
    page.goto(f"/powers/staff/{item.pk}/")
    page.get_by_label("取消原因（经法制机构和政府法制部门审核批准后向公众公开）").fill(
        "上位法修改，该职权已下放至县级"
    )
    page.get_by_role("button", name="申请取消该事项").click()
    expect(page.locator("#status")).to_have_text("申请取消，待法制机构审核")
    expect(page.locator("#withdrawal")).to_contain_text("上位法修改，该职权已下放至县级")
    _shoot_both(page, shoot, "withdrawal-requested")
    page.context.clear_cookies()
    assert page.goto(public_url).status == 200  # still public while under review

    login(page, "legal_office_a")
    page.get_by_role("link", name="待法制机构审核").first.click()
    expect(page.locator("#queue")).to_contain_text("上位法修改，该职权已下放至县级")
    page.get_by_role("link", name="对无照经营的处罚").click()
    page.get_by_role("button", name="同意取消").click()
    expect(page.get_by_text("已同意取消：")).to_be_visible()
    page.goto(f"/powers/staff/{item.pk}/")
    expect(page.locator("#status")).to_have_text("申请取消，待政府法制部门审核")

    login(page, "city_supervisor")
    page.get_by_role("link", name="待政府法制部门审核公布").first.click()
    expect(page.locator("#queue")).to_contain_text("申请取消")
    _shoot_both(page, shoot, "withdrawal-supervisor-queue")
    page.get_by_role("link", name="对无照经营的处罚").click()
    page.get_by_role("button", name="批准取消").click()
    expect(page.get_by_text("已批准取消：")).to_be_visible()
    page.goto(f"/powers/staff/{item.pk}/")
    expect(page.locator("#status")).to_have_text("已取消")
    expect(page.locator("#timeline")).to_contain_text("申请取消")
    expect(page.locator("#timeline")).to_contain_text("法制机构同意取消")

    page.context.clear_cookies()
    assert page.goto(public_url).status == 404
    page.goto(f"/powers/agencies/{agency_a.pk}/")
    page.get_by_role("link", name="已取消的事项及取消原因").click()
    expect(page.locator("#withdrawn")).to_contain_text("上位法修改，该职权已下放至县级")
    assert_cjk_renders(page)
    _shoot_both(page, shoot, "withdrawal-public-history")
