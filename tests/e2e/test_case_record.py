"""A case's full-process record in Chromium (R6): staff open a case under a published item with
two officers, record evidence with a photo, move to the next stage, and correct a record; the
old version stays visible."""

import re

import pytest
from playwright.sync_api import expect

from enforcement.models import Case, Stage
from tests.enforcement.staff_factories import make_published
from tests.factories import OfficerFactory

from .conftest import agree_in_review, assert_cjk_renders, login
from .test_complaint_journey import PNG

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_open_a_case_record_a_photo_and_move_to_investigation(
    page, shoot, tmp_path, settings, bundled_calendar, agency_a, inspector_a, legal_office_a,
    city_supervisor,
):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "media"
    item = make_published(agency_a, inspector_a, legal_office_a, city_supervisor)
    first = OfficerFactory(agency=agency_a, name="李执法")
    OfficerFactory(agency=agency_a, name="王执法")
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(PNG)

    login(page, "inspector_a")
    page.goto("/cases/new/")
    page.get_by_label("职权事项（已公布）").select_option(index=1)
    page.get_by_label("案件来源").select_option(label="现场检查")
    page.get_by_label("案由").fill("涉嫌销售过期食品")
    page.locator("select[name='party1_kind']").select_option(label="公民")
    page.locator("input[name='party1_name']").fill("赵某")
    page.locator("input[name='party1_identifier']").fill("11010519491231002X")
    page.get_by_label(re.compile("李执法")).check()
    page.get_by_label(re.compile("王执法")).check()
    assert_cjk_renders(page)
    shoot(page, "case-open")
    page.get_by_role("button", name="立案").click()

    case = Case.objects.get()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    assert case.item_code == item.code and case.stage == Stage.INITIATION

    # Evidence with a photo, recorded by one of the case's officers, then the next stage.
    page.get_by_label("记录类型").select_option(label="音像记录")
    page.get_by_label("证据种类（可选）").select_option(label="视听资料")
    page.get_by_label("名称", exact=True).fill("现场检查照片")
    page.get_by_label("记录人").select_option(label=str(first))
    page.get_by_label("记录地点").fill("松江路 1 号")
    page.get_by_label("文件", exact=True).set_input_files(str(photo))
    page.get_by_role("button", name="添加记录").click()
    expect(page.get_by_text("现场检查照片").first).to_be_visible()
    record = case.records.get()
    expect(page.get_by_text(record.sha256[:12]).first).to_be_visible()

    page.get_by_role("button", name="进入下一阶段").click()
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATION
    expect(page.locator("#stage-investigation")).to_contain_text("当前阶段")
    shoot(page, "case-detail")


def test_a_major_fine_is_blocked_until_the_legal_office_agrees(
    page, shoot, tmp_path, settings, bundled_calendar, agency_a, inspector_a, legal_office_a,
    city_supervisor,
):  # fmt: skip
    """R5 in the browser: staff propose a fine of ¥20,000 on a citizen, are refused when they
    try to issue it, submit it; the agency's legal office agrees; then it is issued."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from enforcement.services.cases import PartyInput, case_advance, case_open, case_record_add

    settings.MEDIA_ROOT = tmp_path / "media"
    item = make_published(agency_a, inspector_a, legal_office_a, city_supervisor)
    officers = [OfficerFactory(agency=agency_a) for _ in range(2)]
    case = case_open(
        agency=agency_a, power_item=item, source="inspection", summary="涉嫌销售过期食品",
        parties=[PartyInput(kind="citizen", name="赵某", identifier="11010519491231002X")],
        officers=officers, actor=inspector_a,
    )  # fmt: skip
    for _ in range(2):
        case_record_add(
            case=case, actor=inspector_a, kind="audio_video", title="现场照片",
            file=SimpleUploadedFile("p.png", PNG), recorded_by=officers[0],
            recorded_at=timezone.now(), recorded_place="松江路 1 号",
        )  # fmt: skip
        case = case_advance(case=case, actor=inspector_a)
    assert case.stage == Stage.DECISION

    login(page, "inspector_a")
    page.goto(case.get_absolute_url())
    decision = page.locator("#decision")
    decision.get_by_label("决定种类").select_option(label="罚款")
    decision.get_by_label("罚款金额（元）").fill("20000")
    decision.get_by_label("拟作出决定的情况说明").fill("当事人销售过期食品，货值较大。")
    decision.get_by_label("决定书草稿").fill("决定对当事人处以罚款人民币贰万元。")
    decision.get_by_role("button", name="保存执法决定").click()
    expect(page.locator("#decision")).to_contain_text("重大执法决定")

    page.locator("#decision").get_by_role("button", name="作出决定").click()
    expect(page.locator("#decision")).to_contain_text("重大执法决定须经法制审核同意后才能作出")
    page.locator("#decision").get_by_role("button", name="提交法制审核").click()
    expect(page.locator("[data-decision-status]")).to_have_text("法制审核中")
    shoot(page, "decision-in-review")

    login(page, "legal_office_a")
    page.goto("/cases/reviews/")
    page.get_by_role("link", name=re.compile(str(case.pk))).first.click()
    agree_in_review(page)

    login(page, "inspector_a")
    page.goto(case.get_absolute_url())
    page.locator("#decision").get_by_role("button", name="作出决定").click()
    expect(page.locator("[data-decision-status]")).to_have_text("已作出决定")
    shoot(page, "decision-issued")
