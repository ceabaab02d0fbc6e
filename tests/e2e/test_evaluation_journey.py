"""The evaluation's acceptance journey in Chromium (issue 12, R19–R23).

City A's supervisor opens the 2026 cycle through the form and the portal derives who evaluates
whom: the local department by the city's legal office, the vertically managed one by its province
department, the dual-managed one by both with the weights the form set (R19). The supervisor
records an unannounced visit with a photo and a hotline opinion; a citizen fills the agency's
evaluation card once, and a second card from the same browser is refused (R20). The evaluators
score every indicator of their assignments with evidence, a score above the indicator's maximum
refused; the results are computed and graded, one department unqualified (R20, R23). The
officers' results are computed and published; an officer objects and the objection is decided
with reasons (R21). Unqualified in 2025 too, the officer's repeat decision opens once 2026 is
final and the qualification is withdrawn, the certificate with it (R22). The unqualified
department is ordered to rectify and the order is closed with evidence (R23).

Data the journey does not go through (the 2025 cycle and its final result) is made by the
services, as the portal would have made it a year earlier."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessment.models import (
    AgencyResult,
    Assignment,
    Cycle,
    Grade,
    Inspection,
    Objection,
    OfficerResult,
    PublicOpinion,
    RectificationOrder,
    RepeatDecision,
    Score,
)
from assessment.services.cycles import cycle_close, cycle_open
from assessment.services.officers import (
    china_today,
    officer_results_compute,
    officer_results_finalise,
    officer_results_publish,
)
from enforcement.models import Agency, Officer
from portal.roles import Role
from portal.services import user_assign_role
from tests.assessment.officer_world import officer_with_login
from tests.factories import AgencyFactory, UserFactory

from .conftest import assert_cjk_renders, login
from .test_case_journey import PDF
from .test_complaint_journey import PNG

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 800}
DUAL_VERTICAL_WEIGHT = 40


# --- the world --------------------------------------------------------------------------------


@pytest.fixture
def province_department(province):
    return AgencyFactory(name="测试省药品监督管理局", region=province)


@pytest.fixture
def vertical_department(city_a, province_department):
    return AgencyFactory(
        name="测试省药品监督管理局甲市检查分局",
        region=city_a,
        management=Agency.Management.VERTICAL,
        supervising_agency=province_department,
    )


@pytest.fixture
def dual_department(city_a, province_department):
    return AgencyFactory(
        name="甲市药品监督管理局",
        region=city_a,
        management=Agency.Management.DUAL,
        supervising_agency=province_department,
    )


@pytest.fixture
def province_legal(province_department):
    """The province department's legal office, which scores the departments it manages."""
    user = UserFactory(username="province_legal", name="省药监局法规处")
    return user_assign_role(
        user=user, role=Role.LEGAL_OFFICE, actor=None, agency=province_department
    )


@pytest.fixture
def officer(agency_a):
    """An officer of agency A with a login, who sat no test in either year: everyday 80 (no
    reviewed case), special 0, total 48 under the default formula: unqualified both years."""
    return officer_with_login(agency_a, name="王执法", username="officer_a")


@pytest.fixture
def year_2025(bundled_calendar, city_a, city_supervisor, officer):
    """2025, as it ended: the officer's result published and final, unqualified (R22's first
    year). Made by the services the supervisor's pages call."""
    cycle = cycle_open(region=city_a, year=2025, actor=city_supervisor)
    officer_results_compute(cycle=cycle, actor=city_supervisor)
    due = officer_results_publish(cycle=cycle, actor=city_supervisor)
    assert officer_results_finalise(today=due + timedelta(days=1)) == 1
    result = OfficerResult.objects.get(cycle=cycle, officer=officer)
    assert result.grade == Grade.UNQUALIFIED and result.final_at is not None
    return cycle_close(cycle=cycle, actor=city_supervisor)


# --- helpers ----------------------------------------------------------------------------------


def at_both_widths(page, shoot, name: str, sections: tuple[str, ...] = ("main",)) -> None:
    """Screenshots at 1280 px and 390 px; at 390 px nothing in `sections` is wider than its box
    (tables stack their cells, long names wrap)."""
    shoot(page, name)
    page.set_viewport_size(PHONE)
    shoot(page, f"{name}-390")
    for selector in sections:
        boxes = page.locator(selector)
        for i in range(boxes.count()):
            fits = boxes.nth(i).evaluate("e => e.scrollWidth <= e.clientWidth")
            assert fits, f"{name}: {selector} #{i} overflows at 390 px"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    page.set_viewport_size(DESK)


def rate(container, choice: str = "4 分（较好）") -> None:
    """The three 1–5 ratings of an evaluation card or a staff-entered opinion."""
    for name in ("lawful", "civil", "efficient"):
        container.locator(f"#id_{name}").get_by_label(choice).check()


def score_all(page, assignment: Assignment, points_for, *, inspection=None) -> None:
    """On the assignment's sheet, score each indicator with its evidence, one form a time."""
    form = page.locator("form.score-form")
    for indicator in assignment.cycle.indicators.order_by("order"):
        form.get_by_label(re.compile("^指标")).select_option(str(indicator.pk))
        form.get_by_label("得分").fill(str(points_for(indicator)))
        form.get_by_label("评分依据").fill(f"{indicator.code}：查阅台账和案卷，核实相关材料。")
        if inspection is not None and indicator.code == "B1":
            form.get_by_label(str(inspection)).check()
        form.get_by_role("button", name="保存评分").click()
        expect(page.get_by_text(f"已保存“{indicator}”的评分。")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("折合百分制")


def open_sheet(page, agency: Agency) -> None:
    page.goto("/assessment/scoring/")
    page.get_by_role("link", name=agency.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(agency.name)


# --- the journey ------------------------------------------------------------------------------


def test_a_year_of_evaluation_from_opening_the_cycle_to_the_consequences(
    page, shoot, tmp_path, settings, bundled_calendar, city_a, agency_a, city_a_legal_office,
    city_supervisor, inspector_a, province_department, vertical_department, dual_department,
    province_legal, officer, year_2025,
):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "media"
    photo, document = tmp_path / "暗访照片.png", tmp_path / "整改报告.pdf"
    photo.write_bytes(PNG)
    document.write_bytes(PDF)

    # R19: the supervisor opens 2026 through the form, setting the dual weight.
    login(page, "city_supervisor")
    page.goto("/assessment/cycles/new/")
    page.get_by_label("区划").select_option(str(city_a.pk))
    page.get_by_label("考核年度").fill("2026")
    page.get_by_label("双重管理部门上级评议权重（%，本地选择）").fill(str(DUAL_VERTICAL_WEIGHT))
    page.get_by_role("button", name="开启").click()
    expect(page).to_have_url(re.compile(r"/assessment/cycles/\d+/$"))  # opened, then read
    cycle = Cycle.objects.get(region=city_a, year=2026)
    assert page.url.endswith(f"/assessment/cycles/{cycle.pk}/")
    assert cycle.dual_vertical_weight == DUAL_VERTICAL_WEIGHT
    assert cycle.indicators.count() == 9  # the scheme of 2025, copied

    rows = page.locator("#assignments tbody tr")
    local_row = rows.filter(has_text=agency_a.name)
    expect(local_row).to_have_count(1)
    expect(local_row).to_contain_text("本级政府评议")
    expect(local_row).to_contain_text(city_a_legal_office.name)
    expect(local_row.locator("td").nth(3)).to_have_text("100")
    vertical_row = rows.filter(has_text=vertical_department.name)
    expect(vertical_row).to_have_count(1)
    expect(vertical_row).to_contain_text("上级主管部门评议")
    expect(vertical_row.locator("td").nth(2)).to_have_text(province_department.name)
    expect(vertical_row.locator("td").nth(3)).to_have_text("100")
    expect(vertical_row).to_contain_text("尚未录入")  # the local government's opinion
    dual_name = re.compile(f"^{dual_department.name}$")
    dual_rows = rows.filter(has=page.locator("td", has_text=dual_name))
    expect(dual_rows).to_have_count(2)
    expect(dual_rows.filter(has_text="上级主管部门评议").locator("td").nth(3)).to_have_text(
        str(DUAL_VERTICAL_WEIGHT)
    )
    expect(dual_rows.filter(has_text="本级政府评议").locator("td").nth(3)).to_have_text(
        str(100 - DUAL_VERTICAL_WEIGHT)
    )
    # The city's own legal office has nobody above to evaluate it: shown, not skipped.
    expect(page.locator("#problems")).to_contain_text(city_a_legal_office.name)
    assignments = {
        (a.agency_id, a.role): a for a in Assignment.objects.filter(cycle=cycle)
    }  # fmt: skip
    assert {(k, (a.evaluator_id, a.weight)) for k, a in assignments.items()} == {
        ((agency_a.pk, "local"), (city_a_legal_office.pk, 100)),
        ((vertical_department.pk, "vertical"), (province_department.pk, 100)),
        ((dual_department.pk, "vertical"), (province_department.pk, DUAL_VERTICAL_WEIGHT)),
        ((dual_department.pk, "local"), (city_a_legal_office.pk, 100 - DUAL_VERTICAL_WEIGHT)),
    }
    assert_cjk_renders(page)
    # Stacked at 390 px, a cell's label is drawn beside its text: an empty cell would leave the
    # label over the next row's.
    assert page.locator("#assignments td").evaluate_all(
        "cells => cells.every(c => c.innerText.trim() !== '')"
    )
    at_both_widths(page, shoot, "evaluation-cycle", ("main", "#assignments", "#scheme"))

    # R20: an unannounced visit to agency A, with a photo.
    page.goto(f"/assessment/cycles/{cycle.pk}/inspections/new/")
    page.get_by_label("被检查单位").select_option(str(agency_a.pk))
    page.get_by_label("类型").select_option(label="暗访")
    visited_on = date(2026, 6, 1)
    page.get_by_label("检查日期").fill(f"{visited_on:%Y-%m-%d}")
    page.get_by_label("地点").fill("甲市市场监督管理局政务服务窗口")
    page.get_by_label("检查人员").fill("张监督、李监督")
    page.get_by_label("发现的问题").fill("窗口未公示执法人员信息，一名执法人员未佩戴执法证。")
    page.get_by_label("照片").set_input_files(str(photo))
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(r"/assessment/inspections/\d+/$"))
    inspection = Inspection.objects.get(cycle=cycle)
    assert page.url.endswith(f"/assessment/inspections/{inspection.pk}/")
    assert inspection.kind == Inspection.Kind.UNANNOUNCED and inspection.photos.count() == 1
    image = page.locator("ul.photos img")
    expect(image).to_have_count(1)
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") == 1  # served, the 1×1 PNG

    # R20: a hotline opinion, with its source.
    page.goto("/assessment/opinions/new/")
    page.get_by_label("被评议单位").select_option(str(vertical_department.pk))
    page.get_by_label("评议年度").fill("2026")
    page.get_by_label("来源", exact=True).select_option(label="热线电话")
    page.get_by_label("来源说明").fill("12345 热线工单 2026-1201-0042")
    rate(page, "5 分（很好）")
    page.get_by_role("button", name="保存").click()
    expect(
        page.get_by_text(f"已录入对{vertical_department.name}的社会评议意见（热线电话）")
    ).to_be_visible()
    hotline = PublicOpinion.objects.get(source=PublicOpinion.Source.HOTLINE)
    assert (hotline.agency, hotline.period, hotline.lawful) == (vertical_department, 2026, 5)

    # R20: a citizen fills agency A's evaluation card once; a second card is refused.
    page.context.clear_cookies()
    page.goto(f"/assessment/card/{agency_a.pk}/")
    rate(page)
    page.get_by_role("button", name="提交评议").click()
    expect(page.get_by_role("heading", name="评议已提交，谢谢！")).to_be_visible()
    page.goto(f"/assessment/card/{agency_a.pk}/")
    rate(page, "1 分（很差）")
    page.get_by_role("button", name="提交评议").click()
    expect(page.locator("main")).to_contain_text(
        f"本设备已经提交过2026年度对“{agency_a.name}”的评议卡，每个年度只能提交一次。"
    )
    cards = PublicOpinion.objects.filter(source=PublicOpinion.Source.CARD)
    assert list(cards.values_list("agency", "lawful")) == [(agency_a.pk, 4)]

    # R20: the supervisor scores for the city's legal office; a score above the maximum first.
    login(page, "city_supervisor")
    open_sheet(page, agency_a)
    local = assignments[(agency_a.pk, "local")]
    first = cycle.indicators.order_by("order").first()
    form = page.locator("form.score-form")
    form.get_by_label(re.compile("^指标")).select_option(str(first.pk))
    form.get_by_label("得分").fill(str(first.max_points + 1))
    form.get_by_label("评分依据").fill("超出分值的评分。")
    form.get_by_role("button", name="保存评分").click()
    expect(page.locator("main")).to_contain_text(
        f"“{first.name}”的得分应在 0 至 {first.max_points.normalize():f} 分之间。"
    )
    assert not Score.objects.exists()
    # Agency A earns 3 points an indicator: 27 of 100, unqualified.
    score_all(page, local, lambda i: 3, inspection=inspection)
    b1 = Score.objects.get(assignment=local, indicator__code="B1")
    assert list(b1.inspections.all()) == [inspection] and b1.scored_by == city_supervisor
    at_both_widths(page, shoot, "evaluation-scoring", ("main", "table.list", ".card"))
    open_sheet(page, dual_department)
    score_all(page, assignments[(dual_department.pk, "local")], lambda i: i.max_points / 2)

    # R19, R20: the province department's legal office scores the departments it manages.
    login(page, "province_legal")
    open_sheet(page, vertical_department)
    score_all(page, assignments[(vertical_department.pk, "vertical")], lambda i: i.max_points)
    open_sheet(page, dual_department)
    score_all(page, assignments[(dual_department.pk, "vertical")], lambda i: i.max_points)
    assert Score.objects.count() == 4 * 9
    assert not Score.objects.filter(scored_by=province_legal, assignment__role="local").exists()

    # R23: the results are computed, never typed; the grades follow the thresholds.
    login(page, "city_supervisor")
    page.goto(f"/assessment/cycles/{cycle.pk}/results/")
    page.get_by_role("button", name="计算考核结果").click()
    table = page.locator("table.list tbody tr")
    expect(table).to_have_count(3)
    expect(table.filter(has_text=agency_a.name)).to_contain_text("不合格")
    expect(table.filter(has_text=agency_a.name)).to_contain_text("27.00")
    expect(table.filter(has_text=vertical_department.name)).to_contain_text("优秀")
    dual_result = table.filter(has=page.get_by_role("link", name=dual_department.name, exact=True))
    expect(dual_result).to_contain_text("70.00")  # 100 × 40% + 50 × 60%
    expect(dual_result).to_contain_text("合格")
    results = {r.agency_id: r for r in AgencyResult.objects.filter(cycle=cycle)}
    assert results[agency_a.pk].grade == Grade.UNQUALIFIED
    assert results[agency_a.pk].total == Decimal("27.00")
    assert results[vertical_department.pk].grade == Grade.EXCELLENT
    dual = results[dual_department.pk]
    assert (dual.local_total, dual.vertical_total, dual.total) == (
        Decimal("50.00"),
        Decimal("100.00"),
        Decimal("70.00"),
    )
    at_both_widths(page, shoot, "evaluation-results", ("main", "table.list", ".card"))

    # R21: the officers' results, computed and published by the supervisor.
    page.goto(f"/assessment/cycles/{cycle.pk}/officer-results/")
    page.get_by_role("button", name="计算考核结果").click()
    officer_row = page.locator("table.list tbody tr").filter(has_text=officer.name)
    expect(officer_row).to_contain_text("未公布")
    page.get_by_role("button", name="公布考核结果").click()
    expect(officer_row).to_contain_text("已公布，异议截止")
    result = OfficerResult.objects.get(cycle=cycle, officer=officer)
    assert result.published_at is not None and result.grade == Grade.UNQUALIFIED
    assert result.total == Decimal("48.00")

    # R21: the officer reads the composition of the score and objects within the period.
    login(page, "officer_a")
    page.goto("/assessment/my-results/")
    mine = page.locator(f"#result-{result.pk}")
    expect(mine.locator("dl.composition")).to_contain_text("日常考核得分")
    expect(mine.locator("dl.composition")).to_contain_text("80.00")
    expect(mine.locator("dl.composition")).to_contain_text("未参加，按 0 分计")
    expect(mine.locator("dl.composition")).to_contain_text("48.00")
    expect(mine).to_contain_text("不合格")
    mine.get_by_label("异议理由").fill("本人参加了法律知识测试，成绩未录入，请核实。")
    mine.get_by_role("button", name="提出异议").click()
    expect(page.get_by_text("异议已提交，处理结果将在本页显示。")).to_be_visible()
    objection = Objection.objects.get(result=result)
    assert objection.status == Objection.Status.PENDING and objection.filed_by == officer.user
    at_both_widths(page, shoot, "evaluation-my-results", ("main", ".card"))

    # R21: the supervisor decides the objection with reasons, from the queue.
    login(page, "city_supervisor")
    page.goto("/assessment/officer-queue/")
    page.get_by_role("link", name=officer.name).click()
    page.get_by_label("异议不成立").check()
    page.get_by_label("处理理由").fill("经核查，该执法人员未参加 2026 年度法律知识测试，计分无误。")
    page.get_by_role("button", name="作出处理").click()
    expect(page.get_by_text("异议已处理。")).to_be_visible()
    expect(page.locator("main")).to_contain_text("计分无误")
    objection.refresh_from_db()
    assert objection.status == Objection.Status.REJECTED
    assert objection.decided_by == city_supervisor

    # R22: decided, the result becomes final (the daily job); unqualified in 2025 too, the
    # repeat decision opens and must be completed.
    assert officer_results_finalise(today=china_today()) == 1
    result.refresh_from_db()
    assert result.final_at is not None and result.barred_from_excellent
    decision = RepeatDecision.objects.get(officer=officer)
    assert decision.previous_result.cycle == year_2025 and decision.outcome == ""
    page.goto("/assessment/officer-queue/")
    expect(page.locator("main")).to_contain_text("2025、2026")
    at_both_widths(page, shoot, "evaluation-queue", ("main", "table.list"))
    page.get_by_role("link", name=officer.name).first.click()
    expect(page).to_have_url(re.compile(rf"/assessment/repeat-decisions/{decision.pk}/$"))
    expect(page.locator("main")).to_contain_text("证件状态：有效")
    page.get_by_label("取消行政执法资格（收回执法证）").check()
    page.get_by_label("决定理由").fill("连续两年考核不合格，依照规定取消其行政执法资格。")
    page.get_by_role("button", name="作出决定").click()
    expect(page.get_by_text("已作出处理决定。")).to_be_visible()
    expect(page.locator("main")).to_contain_text("证件状态：收回")
    expect(page.get_by_role("heading", name="取消行政执法资格（收回执法证）")).to_be_visible()
    at_both_widths(page, shoot, "evaluation-repeat-decision")
    officer.refresh_from_db()
    assert officer.certificate_status == Officer.CertificateStatus.WITHDRAWN
    assert officer.history.filter(certificate_status="valid").exists()  # with its history
    decision.refresh_from_db()
    assert decision.outcome == RepeatDecision.Outcome.WITHDRAW

    # R23: the unqualified department is ordered to rectify from the results page, then the
    # order is closed with the department's evidence.
    page.goto(f"/assessment/cycles/{cycle.pk}/results/")
    page.locator("table.list tbody tr").filter(has_text=agency_a.name).get_by_role(
        "link", name="责令整改"
    ).click()
    due = timezone.localdate() + timedelta(days=30)
    page.get_by_label("整改要求").fill("完善执法公示，落实持证上岗，30 日内报送整改报告。")
    page.get_by_label("整改期限").fill(f"{due:%Y-%m-%d}")
    page.get_by_role("button", name="下达整改通知").click()
    expect(page.get_by_text(f"已向{agency_a.name}下达整改通知。")).to_be_visible()
    order = RectificationOrder.objects.get(result=results[agency_a.pk])
    assert order.due == due and order.status == RectificationOrder.Status.OPEN
    expect(page.locator("dl.facts")).to_contain_text(f"{due:%Y-%m-%d}")
    expect(page.locator("dl.facts")).to_contain_text("整改中")
    page.get_by_label("整改情况").fill("已在窗口公示执法人员信息，组织全员持证上岗培训。")
    page.get_by_label("整改证明材料（PDF、Word 文档或照片）").set_input_files(str(document))
    page.get_by_role("button", name="确认整改完成").click()
    expect(page.get_by_text(f"已确认{agency_a.name}整改完成。")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("已完成整改")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载").click()
    assert download.value.suggested_filename == f"整改证明材料-{agency_a.name}.pdf"
    at_both_widths(page, shoot, "evaluation-rectification-closed")
    order.refresh_from_db()
    assert order.status == RectificationOrder.Status.CLOSED and order.closing_file
    page.goto(f"/assessment/cycles/{cycle.pk}/results/")
    closed = page.locator("table.list tbody tr").filter(has_text=agency_a.name)
    expect(closed.get_by_role("link", name="已完成整改")).to_be_visible()
    shoot(page, "evaluation-results-rectified")

    # The department's staff read their order, closed.
    login(page, "inspector_a")
    page.goto(f"/assessment/rectifications/{order.pk}/")
    expect(page.locator("dl.facts")).to_contain_text("已完成整改")
    expect(page.get_by_role("button", name="确认整改完成")).to_have_count(0)
