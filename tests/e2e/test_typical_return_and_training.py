"""Real browser (Debian's Chromium): R18, a reviewer returns a submitted typical case with reasons
and the drafter reads them, edits and resubmits; R32, a training session's attendees typed as
their certificate numbers, an unknown one refused with the number named. Desktop and 390 px."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accountability.models import ProceedingEvent, TrainingSession, TypicalCase
from accountability.services.typical import typical_approve, typical_submit
from tests.accountability.conftest import supervisor
from tests.accountability.test_typical_cases import decided, draft
from tests.factories import OfficerFactory

from .conftest import assert_cjk_renders, login

pytestmark = pytest.mark.django_db(transaction=True)
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
REASONS = "案例剖析过于简略，请补充执法人员违反的具体条款。"


def _both(page, shoot, name: str) -> None:
    """Screenshots at desktop and phone width; no sideways scrolling on the phone."""
    page.set_viewport_size(DESK)
    shoot(page, name)
    page.set_viewport_size(PHONE)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(300)  # the resized layout painted before the shot
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shoot(page, f"{name}-390")
    page.set_viewport_size(DESK)


def test_a_returned_typical_case_and_a_training_by_certificate_numbers(
    page, shoot, city_supervisor, agency_a, county_agency_a, city_a
):
    reviewer = supervisor("reviewer_a", city_a)
    typical = typical_submit(
        typical=draft(decided(city_supervisor, agency_a), city_supervisor), actor=city_supervisor
    )

    # R18: the reviewer returns it with reasons.
    login(page, "reviewer_a")
    page.goto(f"/accountability/typical/{typical.pk}/")
    assert_cjk_renders(page)
    page.get_by_role("button", name="退回撰写人修改").click()
    expect(page.get_by_role("alert").filter(has_text="请填写退回理由")).to_be_visible()
    page.get_by_label("退回理由").fill(REASONS)
    _both(page, shoot, "typical-return-form")
    page.get_by_role("button", name="退回撰写人修改").click()
    expect(page.locator("#returns")).to_contain_text(REASONS)
    typical.refresh_from_db()
    assert typical.status == TypicalCase.Status.DRAFT

    # The drafter reads the reasons, edits and resubmits; the reviewer publishes.
    login(page, "city_supervisor")
    page.goto(f"/accountability/typical/{typical.pk}/")
    expect(page.locator("#returned")).to_contain_text(REASONS)
    _both(page, shoot, "typical-returned")
    page.get_by_role("link", name="修改").click()
    page.get_by_label("案例剖析").fill("执法人员违反行政处罚法第四十四条，未履行告知义务。")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("[data-status]")).to_have_text("待审核")
    expect(page.locator("#returned")).to_have_count(0)
    typical_approve(typical=typical, actor=reviewer)
    kinds = list(typical.proceeding.timeline.values_list("kind", flat=True))
    assert kinds.count(ProceedingEvent.Kind.TYPICAL_SUBMITTED) == 2

    # R32: attendees by certificate number; an unknown one is named and nothing is recorded.
    trainee = OfficerFactory(agency=agency_a, name="钱学法")
    county = OfficerFactory(agency=county_agency_a, name="县执法员")
    OfficerFactory.create_batch(30, agency=agency_a)
    page.goto("/accountability/training/new/")
    page.get_by_label("形式").select_option(label="案例研讨")
    page.get_by_label("主题").fill("以案释法：程序违法的代价")
    page.get_by_label("日期").fill(timezone.localdate().isoformat())
    page.get_by_label("使用的典型案例").select_option(str(typical.pk))
    page.get_by_label("参训单位").select_option(label=agency_a.name)
    page.get_by_label("参训人员执法证号").fill(
        f"{trainee.certificate_number}\n{county.certificate_number}，99000001"
    )
    page.get_by_role("button", name="登记").click()
    main = page.locator("main")
    expect(main).to_contain_text("以下 1 个执法证号查无此人，请核对后重新填写：99000001。")
    expect(main).to_contain_text(f"不是{agency_a.name}的执法人员：{county.certificate_number}")
    assert not TrainingSession.objects.exists()
    _both(page, shoot, "training-numbers-refused")
    page.get_by_label("参训单位").select_option(index=0)
    page.get_by_label("参训人员执法证号").fill(
        f"{trainee.certificate_number}\n{county.certificate_number}"
    )
    page.get_by_role("button", name="登记").click()
    expect(main).to_contain_text("县执法员")
    session = TrainingSession.objects.get()
    assert set(session.attendees.all()) == {trainee, county}
    _both(page, shoot, "training-recorded")
