"""The whole life of a case in Chromium (issue 5's acceptance journey): staff open a case and
record evidence with a photo (R6), propose a major fine and are blocked from issuing it until the
legal office agrees (R5). The legal office disagrees; staff redraft the fine below the threshold,
and issuing is still refused (R5, issue 11: 审核未通过的，不得作出执法决定); it is resubmitted, the
legal office agrees to the new draft, staff issue it naming the designated bank and serve it;
the city supervisor enters the payment from the bank's receipt (R30); staff archive and close the
case; the public reads the decision disclosed with the citizen's name masked and the identity
number and address removed, with its document number and the legal basis it applied (R9)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enforcement.models import Case, Decision, Stage
from tests.enforcement.staff_factories import make_published
from tests.factories import OfficerFactory

from .conftest import agree_in_review, assert_cjk_renders, disagree_in_review, login
from .test_complaint_journey import PNG

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NAME, RESIDENT_ID = "赵建国", "11010519491231002X"
ADDRESS = "甲市幸福路 8 号 3 单元"
AMOUNT = 8000  # the fine as redrafted after the legal office disagreed with ¥20,000


def add_record(page, *, kind: str, title: str, officer: str, path) -> None:
    form = page.locator("#action-add")
    form.get_by_label("记录类型").select_option(label=kind)
    form.get_by_label("名称", exact=True).fill(title)
    form.get_by_label("记录人").select_option(label=officer)
    form.get_by_label("记录地点").fill("甲市幸福路 8 号")
    form.get_by_label("文件", exact=True).set_input_files(str(path))
    form.get_by_role("button", name="添加记录").click()
    expect(page.locator("#records")).to_contain_text(title)


def advance(page, case: Case, stage: Stage) -> None:
    page.get_by_role("button", name="进入下一阶段").click()
    expect(page.locator(f"#stage-{stage.value}")).to_contain_text("当前阶段")
    case.refresh_from_db()
    assert case.stage == stage


def test_a_case_from_opening_to_public_disclosure(
    page, shoot, tmp_path, settings, bundled_calendar, agency_a, inspector_a, legal_office_a,
    city_supervisor,
):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "media"
    make_published(agency_a, inspector_a, legal_office_a, city_supervisor)
    first = OfficerFactory(agency=agency_a, name="李执法")
    OfficerFactory(agency=agency_a, name="王执法")
    photo, document = tmp_path / "现场照片.png", tmp_path / "文书.pdf"
    photo.write_bytes(PNG)
    document.write_bytes(PDF)

    # Staff open the case with a citizen party and two officers.
    login(page, "inspector_a")
    page.goto("/cases/new/")
    page.get_by_label("职权事项（已公布）").select_option(index=1)
    page.get_by_label("案件来源").select_option(label="现场检查")
    page.get_by_label("案由").fill("涉嫌销售过期食品")
    page.locator("select[name='party1_kind']").select_option(label="公民")
    page.locator("input[name='party1_name']").fill(NAME)
    page.locator("input[name='party1_identifier']").fill(RESIDENT_ID)
    page.locator("input[name='party1_address']").fill(ADDRESS)
    page.get_by_label(re.compile("李执法")).check()
    page.get_by_label(re.compile("王执法")).check()
    page.get_by_role("button", name="立案").click()
    case = Case.objects.get()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))

    # R6: the filing, then evidence with a photo.
    add_record(page, kind="文字记录", title="立案审批表", officer=str(first), path=document)
    advance(page, case, Stage.INVESTIGATION)
    add_record(page, kind="音像记录", title="现场检查照片", officer=str(first), path=photo)
    advance(page, case, Stage.DECISION)

    # R5: a fine of ¥20,000 on a citizen is major: issuing it is refused until the review.
    decision = page.locator("#decision")
    decision.get_by_label("决定种类").select_option(label="罚款")
    decision.get_by_label("罚款金额（元）").fill("20000")
    decision.get_by_label(re.compile("罚款代收银行")).select_option(index=1)
    decision.get_by_label("拟作出决定的情况说明").fill("当事人销售过期食品，货值较大。")
    decision.get_by_label("决定书草稿").fill(
        f"当事人{NAME}（身份证号码 {RESIDENT_ID}，住址 {ADDRESS}）销售过期食品。"
        f"决定对{NAME}处以罚款人民币贰万元。"
    )
    decision.get_by_role("button", name="保存执法决定").click()
    expect(page.locator("#decision")).to_contain_text("重大执法决定")
    page.locator("#decision").get_by_role("button", name="作出决定").click()
    expect(page.locator("#decision")).to_contain_text("重大执法决定须经法制审核同意后才能作出")
    page.locator("#decision").get_by_role("button", name="提交法制审核").click()
    expect(page.locator("[data-decision-status]")).to_have_text("法制审核中")

    # R5 (issue 11): the legal office disagrees with ¥20,000; staff redraft it to ¥8,000, below
    # the ¥10,000 threshold, and issuing is still refused: the refused decision stays subject
    # to review; resubmitted, the legal office agrees to draft 2, and only then is it issued.
    login(page, "legal_office_a")
    page.goto(case.get_absolute_url())
    expect(page.locator("#review-form")).to_contain_text("审核第 1 稿")
    disagree_in_review(page, "罚款数额明显偏高，裁量不当，请在裁量基准范围内重新拟定。")

    login(page, "inspector_a")
    page.goto(case.get_absolute_url())
    decision = page.locator("#decision")
    expect(decision.locator("[data-decision-status]")).to_have_text("退回修改")
    expect(decision.locator("#reviews")).to_contain_text("罚款数额明显偏高")
    decision.get_by_label("罚款金额（元）").fill(str(AMOUNT))
    decision.get_by_label("决定书草稿").fill(
        f"当事人{NAME}（身份证号码 {RESIDENT_ID}，住址 {ADDRESS}）销售过期食品。"
        f"决定对{NAME}处以罚款人民币捌仟元。"
    )
    decision.get_by_role("button", name="保存执法决定").click()
    expect(page.locator("[data-draft-version]")).to_have_text("第 2 稿")
    expect(page.locator("#review-required")).to_be_visible()
    page.locator("#decision").get_by_role("button", name="作出决定").click()
    expect(page.locator("#decision")).to_contain_text(
        "法制审核未通过的决定，重新拟定后仍须提交法制审核，经审核同意后才能作出"
    )
    assert Decision.objects.get().status == Decision.Status.DRAFT
    page.locator("#decision").scroll_into_view_if_needed()
    shoot(page, "case-journey-redraft-refused", section="#decision")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "case-journey-redraft-refused-390", section="#decision")
    # The decision section fits a phone's width (its review table stacks its cells).
    assert page.locator("#decision").evaluate("e => e.scrollWidth <= e.clientWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.locator("#decision").get_by_role("button", name="提交法制审核").click()
    expect(page.locator("[data-decision-status]")).to_have_text("法制审核中")

    login(page, "legal_office_a")
    page.goto(case.get_absolute_url())
    expect(page.locator("#review-form")).to_contain_text("审核第 2 稿")
    agree_in_review(page)

    login(page, "inspector_a")
    page.goto(case.get_absolute_url())
    page.locator("#decision").get_by_role("button", name="作出决定").click()
    expect(page.locator("[data-decision-status]")).to_have_text("已作出决定")
    assert Decision.objects.get().status == Decision.Status.ISSUED
    # The refusal of draft 1 stays in the file, beside the agreement of draft 2.
    reviews = page.locator("#reviews tbody tr")
    expect(reviews).to_have_count(2)
    expect(reviews.nth(0)).to_contain_text("不同意")
    expect(reviews.nth(0)).to_contain_text("第 1 稿")
    expect(reviews.nth(1)).to_contain_text("第 2 稿")
    shoot(page, "case-journey-issued-after-second-review", section="#decision")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "case-journey-issued-after-second-review-390", section="#decision")
    page.set_viewport_size({"width": 1280, "height": 800})

    # Served: the service receipt, then the service-and-execution stage.
    add_record(page, kind="文字记录", title="处罚决定书", officer=str(first), path=document)
    advance(page, case, Stage.SERVICE)
    add_record(page, kind="文字记录", title="送达回证", officer=str(first), path=document)
    # R30: the agency cannot enter the payment itself.
    expect(page.locator("#payments")).to_be_visible()
    expect(page.locator("#payments form")).to_have_count(0)

    # R30: the supervisor enters the payment from the bank's receipt.
    login(page, "city_supervisor")
    page.goto(case.get_absolute_url())
    payments = page.locator("#payments")
    payments.get_by_label("银行回执编号").fill("NS2026112400017")
    payments.get_by_label(re.compile("缴款金额")).fill(str(AMOUNT))
    # The decision's date in the portal's time zone (Asia/Shanghai), not UTC: after 16:00 UTC
    # the two differ by a day, and a payment cannot predate its decision.
    issued_on = timezone.localdate(Decision.objects.get().issued_at)
    payments.get_by_label("缴款日期").fill(f"{issued_on:%Y-%m-%d}")
    payments.get_by_role("button").click()
    expect(page.locator("#payments")).to_contain_text("NS2026112400017")
    shoot(page, "case-journey-paid")

    # Archived and closed by staff.
    login(page, "inspector_a")
    page.goto(case.get_absolute_url())
    advance(page, case, Stage.ARCHIVING)
    add_record(page, kind="文字记录", title="结案报告", officer=str(first), path=document)
    page.get_by_role("button", name="结案").click()
    case.refresh_from_db()
    assert case.closed_at is not None

    # R9: the public reads the decision, redacted.
    page.context.clear_cookies()
    page.goto("/disclosures/")
    page.get_by_role("link", name=re.compile("甲市市场监督管理局")).first.click()
    body = page.locator("main")
    expect(body).to_contain_text("赵**")
    expect(body).to_contain_text(str(AMOUNT))
    # R9: the document number in its official form, and the legal basis the decision applied.
    year = Decision.objects.get().issued_at.year
    expect(body).to_contain_text(f"甲市市场监督管理局罚〔{year}〕1号")
    expect(body).to_contain_text("第一百二十四条")
    text = body.inner_text()
    assert NAME not in text and RESIDENT_ID not in text and ADDRESS not in text
    assert_cjk_renders(page)
    shoot(page, "case-journey-disclosed")
