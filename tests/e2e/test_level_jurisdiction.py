"""Issue 11's public parts and the dispute's coordination in Chromium: the level split of a
domain on the public region and agency pages (R10), at desktop width and on a 390 px phone; the
establishment office's opinion before the legal office's decision (R8)."""

import pytest
from playwright.sync_api import expect

from enforcement.models import Dispute, EnforcementDomain
from enforcement.models.powers import Category
from enforcement.services.levels import level_split_create
from tests.enforcement.test_disputes import establishment_staff, raise_dispute

from .conftest import assert_cjk_renders, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_the_public_reads_the_level_split_on_phone_and_desktop(
    page, shoot, city_a, agency_a, city_supervisor
):
    """R10: the split of 市场监管 that city A set, with its basis, on the city's page and on the
    agency's page, the agency's own level marked; nothing overflows a phone's width."""
    market = EnforcementDomain.objects.create(name="市场监管")
    agency_a.domains.add(market)
    level_split_create(
        actor=city_supervisor,
        region=city_a,
        domain=market,
        scopes={
            "province": "全省范围内有重大影响的、复杂的违法案件。",
            "city": "本市范围内重大、复杂的违法案件；特种设备使用登记。",
            "county": "本县（市、区）范围内的违法案件；食品经营许可；日常监督检查。",
        },
        categories={"city": [Category.LICENSING, Category.PENALTY], "county": [Category.PENALTY]},
        basis_document="《中华人民共和国行政处罚法》第二十三条；甲政办发〔2025〕12号",
    )
    for name, url in (
        ("region", f"/powers/regions/{city_a.code}/"),
        ("agency", f"/powers/agencies/{agency_a.pk}/"),
    ):
        for width, viewport in (("desktop", {"width": 1280, "height": 900}), ("390", PHONE)):
            page.set_viewport_size(viewport)
            page.goto(url)
            splits = page.locator("#level-splits")
            expect(splits).to_contain_text("甲政办发〔2025〕12号")
            expect(splits.locator("tr.current-level")).to_contain_text("本市范围内重大")
            expect(splits.locator("tr.current-level")).to_contain_text("本级")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name} at {width}: {overflow}px wider than the screen"
            shoot(page, f"level-split-{name}-{width}")
    assert_cjk_renders(page)


def test_the_establishment_office_gives_its_opinion_before_the_decision(
    page, shoot, city_a, agency_a, county_agency_a, inspector_a, city_supervisor
):
    """R8: the supervisor waits for the establishment office; the office gives its opinion on
    the page; the supervisor then decides, and the decision shows the opinion."""
    dispute = raise_dispute(agency_a, county_agency_a, inspector_a)
    establishment_staff(city_a, "city_a_establishment")

    login(page, "city_supervisor")
    page.goto(dispute.get_absolute_url())
    expect(page.locator("#awaiting-opinion")).to_be_visible()
    expect(page.locator("#action-decide")).to_have_count(0)

    login(page, "city_a_establishment")
    page.goto(dispute.get_absolute_url())
    opinion = page.locator("#action-opinion")
    opinion.get_by_label("机构编制部门意见").fill("按机构职能规定，由乙县市场监督管理局属地管辖。")
    opinion.get_by_role("button", name="提交意见").click()
    expect(page.locator("#opinion")).to_contain_text("甲市机构编制委员会办公室")
    page.set_viewport_size(PHONE)
    shoot(page, "dispute-opinion-390")

    login(page, "city_supervisor")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(dispute.get_absolute_url())
    decide = page.locator("#action-decide")
    decide.get_by_label("决定的管辖单位").select_option(label="乙县市场监督管理局（甲市乙县）")
    decide.get_by_label("协调决定及理由").fill("采纳机构编制部门意见，由乙县市场监督管理局管辖。")
    decide.get_by_role("button", name="作出决定").click()
    expect(page.locator("#decision")).to_contain_text("按机构职能规定")
    assert Dispute.objects.get().status == Dispute.Status.DECIDED
    shoot(page, "dispute-decided")
