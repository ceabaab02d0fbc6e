"""The accountability journey in Chromium (issue 13: R24–R29, R18, R32), through the pages.

City A's supervisor refers a substantiated complaint to accountability from its page: it becomes
a clue, and reverse tracing opens a second clue at once because the complaint was acknowledged
late (R26, R27). The supervisor names a handler from outside the unit and opens the case on the
enforcement case the complaint concerns; the handler investigates, attaches evidence, confirms
the responsibility split the portal proposed from that case's record (R25), reports and notifies
(R28). The officer, logged in with his own account, submits his defence; the unit waives its own
(R29). The supervisor decides inside the proposed band: the officer's certificate is suspended
(R28); the case is transferred with its receipt and closed (R24). An anonymised typical case is
drafted, approved by the supervisor, published on the public page and used in a training
session (R18, R32).

Data the journey does not go through (the complaint's handling, the enforcement case's record)
is made by the services, as the portal would have made it earlier. Screenshots of the main
pages, at a desk's width and a phone's (390 px), go to /tmp/shots/.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accountability.models import Clue, Proceeding, Sanction, TrainingSession, TypicalCase
from complaints.models import ReceivedVia, Result
from complaints.services.decisions import complaint_accept
from complaints.services.handling import complaint_assign, complaint_close
from enforcement.models import Officer
from tests.accountability.conftest import supervisor
from tests.accountability.proceeding_fixtures import recorded_case
from tests.assessment.officer_world import officer_with_login
from tests.complaints.test_register import file_complaint
from tests.enforcement.conftest import item_a, officers_a  # noqa: F401 - fixtures

from .conftest import assert_cjk_renders, login
from .test_case_journey import PDF

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 800}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def handler(city_a):
    """Another supervisor of city A, outside agency A: a proper handler."""
    return supervisor("colleague_a", city_a)


@pytest.fixture
def officer(agency_a):
    """The officer held to account, with his own login."""
    return officer_with_login(agency_a, name="王执法", username="officer_a")


@pytest.fixture
def late_complaint(agency_a, city_supervisor, handler):
    """Received by letter a month ago, acknowledged only now, then substantiated."""
    today = timezone.localdate()
    complaint = file_complaint(
        agency_a,
        actor=city_supervisor,
        received_via=ReceivedVia.LETTER,
        received_on=today - timedelta(days=30),
        occurred_on=today - timedelta(days=40),
        description="执法人员王执法在检查中推搡个体摊主，并拒绝出示执法证件。",
    ).complaint
    complaint = complaint_accept(complaint=complaint, actor=city_supervisor)
    complaint = complaint_assign(complaint=complaint, actor=city_supervisor, handler=handler)
    return complaint_close(
        complaint=complaint,
        actor=handler,
        result=Result.SUBSTANTIATED,
        measures="责令改正。",
        feedback="经核查，投诉属实。",
    )


@pytest.fixture
def enforcement_case(agency_a, item_a, officers_a, inspector_a, legal_office_a):  # noqa: F811
    return recorded_case(agency_a, item_a, officers_a, inspector_a, legal_office_a)


def shoot(page, name: str) -> None:
    """The page at a desk's width and at a phone's, whole, into /tmp/shots/."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desk", DESK), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"accountability-{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESK)


def no_horizontal_scroll(page) -> None:
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(DESK)
    assert width <= PHONE["width"] + 1


def test_from_a_complaint_to_a_transferred_decision_and_a_typical_case_in_training(
    page,
    live_server,
    bundled_calendar,
    media,
    city_supervisor,
    handler,
    officer,
    inspector_a,
    agency_a,
    late_complaint,
    enforcement_case,
):
    """R26, R27, R24, R25, R28, R29, R18, R32 in a real browser."""
    page.set_viewport_size(DESK)
    today = f"{timezone.localdate():%Y-%m-%d}"

    # R26, R27: the substantiated complaint becomes a clue; its late acknowledgement is traced.
    login(page, "city_supervisor")
    page.goto(f"/complaints/staff/{late_complaint.pk}/")
    refer = page.locator("#action-refer")
    refer.get_by_label("移送说明").fill("投诉核查属实，执法人员推搡摊主，移送责任追究。")
    refer.get_by_role("button", name="移送责任追究并登记线索").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("问责线索")
    origin = Clue.objects.get(complaint=late_complaint)
    traced = Clue.objects.get(traced_from=origin)
    assert traced.trace_check == Clue.TraceCheck.LATE_ACKNOWLEDGEMENT
    assert traced.traced_person == city_supervisor
    traces = page.locator("#traces")
    expect(traces).to_contain_text(traced.number)
    expect(traces).to_contain_text("逾期作出受理决定")
    expect(traces).to_contain_text(agency_a.name)
    assert_cjk_renders(page)
    shoot(page, "clue")
    no_horizontal_scroll(page)
    traces.get_by_role("link", name=traced.number).click()
    expect(page.locator("dl.facts")).to_contain_text(origin.number)
    expect(page.locator("dl.facts")).to_contain_text("主体责任")
    shoot(page, "traced-clue")

    # R24: a handler from outside the unit; the case opened on the enforcement case.
    page.goto(f"/accountability/clues/{origin.pk}/")
    page.locator("#assign").get_by_label("承办人").select_option(str(handler.pk))
    page.locator("#assign").get_by_role("button", name="指定").click()
    expect(page.locator("dl.facts")).to_contain_text("colleague_a")
    page.get_by_role("link", name="问责立案").click()
    page.get_by_label(re.compile("王执法")).check()
    page.get_by_label("涉及的执法案件编号（内部 ID）").fill(str(enforcement_case.pk))
    page.get_by_role("button", name="立案").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("问责案件")
    proceeding = Proceeding.objects.get(clue=origin)
    assert proceeding.handler == handler and proceeding.enforcement_case == enforcement_case

    # R24, R25: the handler investigates, attaches evidence, confirms the proposed split.
    login(page, "colleague_a")
    page.goto(f"/accountability/cases/{proceeding.pk}/")
    shares = page.locator("#shares")
    for stage in ("线索发现与立案", "调查取证", "法制审核", "作出决定"):
        expect(shares).to_contain_text(stage)
    expect(shares).to_contain_text(inspector_a.name)
    page.locator("#investigation").get_by_label("调查情况").fill(
        "调取执法记录仪视频并询问摊主，执法人员推搡摊主属实。"
    )
    page.get_by_role("button", name="保存调查情况").click()
    expect(page.locator("#investigation")).to_contain_text("推搡摊主属实")
    evidence = page.locator("#evidence")
    evidence.get_by_label("证据说明").fill("摊主询问笔录")
    evidence.get_by_label("证据文件").set_input_files(
        files=[{"name": "询问笔录.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    evidence.get_by_role("button", name="上传证据").click()
    expect(page.locator("#evidence")).to_contain_text("询问笔录.pdf")
    page.get_by_role("button", name="确认责任划分").click()
    expect(page.locator("#shares")).to_contain_text("已由")
    assert not proceeding.shares.filter(percent__isnull=True).exists()
    shoot(page, "case-handling")

    # R28: the report; the officer's band read from the region's table.
    page.get_by_role("link", name="撰写并提交调查报告").click()
    page.get_by_label("查明的事实").fill("执法人员在检查中推搡摊主，并拒绝出示执法证件。")
    page.get_by_label("主观过错").select_option(label="重大过失")
    page.get_by_label("行为情节").fill("执法方式粗暴。")
    page.get_by_label("危害后果").select_option(label="后果严重")
    page.get_by_label("社会影响").select_option(label="造成不良影响")
    shoot(page, "report")
    accused = {a.is_unit: a for a in proceeding.accused.all()}
    officer_one, unit_one = accused[False], accused[True]
    page.locator(f"#id_responsible_{officer_one.pk}").select_option("yes")
    page.locator(f"#id_kind_{officer_one.pk}").select_option(label="暂扣执法证件")
    page.locator(f"#id_responsible_{unit_one.pk}").select_option("yes")
    page.locator(f"#id_kind_{unit_one.pk}").select_option(label="通报批评")
    page.get_by_role("button", name="提交调查报告").click()
    expect(page.locator("#accused")).to_contain_text("调离执法岗位—收回执法证件")

    # R29: the notices.
    page.get_by_role("link", name="告知当事人").click()
    page.get_by_label("告知内容").fill("经调查，你在检查中推搡摊主。拟暂扣执法证件，请陈述申辩。")
    page.get_by_role("button", name="发送告知").click()
    expect(page.locator("#accused")).to_contain_text("未提交")

    # R29: the officer, with his own login, submits his defence; the unit waives its own.
    login(page, "officer_a")
    page.goto("/accountability/defences/")
    # His own notice, beside his unit's (his account is its staff too).
    mine = page.locator("tbody tr", has_text="王执法")
    expect(mine).to_have_count(1)
    mine.get_by_role("link", name=proceeding.number).click()
    expect(page.locator("dl.facts")).to_contain_text("暂扣执法证件")
    page.get_by_label("提交书面陈述申辩意见").check()
    page.get_by_label("陈述申辩意见", exact=True).fill(
        "当时摊主情绪激动，本人意在制止其掀翻摊位，并无伤人故意。"
    )
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#defence")).to_contain_text("并无伤人故意")
    shoot(page, "defence")
    login(page, "inspector_a")
    page.goto(f"/accountability/defences/{unit_one.defence.pk}/")
    page.get_by_label("书面明确放弃陈述申辩").check()
    page.get_by_label("放弃声明", exact=True).fill("本单位自愿放弃陈述申辩的权利。")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#defence")).to_contain_text("已书面明确放弃陈述申辩")

    # R24, R28: the decision inside the band, the defence beside the findings; the
    # certificate suspended through the officers' service.
    login(page, "city_supervisor")
    page.goto(f"/accountability/cases/{proceeding.pk}/decision/")
    expect(page.locator("#accused")).to_contain_text("并无伤人故意")
    decide = page.locator("#decide")
    decide.get_by_label("决定理由").fill("推搡摊主属实，在建议档次内暂扣执法证件，对单位通报批评。")
    decide.get_by_label("需要移送监察机关、任免机关或司法机关").check()
    decide.locator(f"#id_responsible_{officer_one.pk}").select_option("yes")
    decide.locator(f"#id_sanction_{officer_one.pk}").select_option(label="暂扣执法证件")
    decide.locator(f"#id_responsible_{unit_one.pk}").select_option("yes")
    decide.locator(f"#id_sanction_{unit_one.pk}").select_option(label="通报批评")
    shoot(page, "decision-form")
    decide.get_by_role("button", name="作出决定").click()
    expect(page.locator("#decision")).to_contain_text("需要移送")
    suspended = Sanction.objects.get(accused=officer_one)
    assert suspended.kind == "suspension" and not suspended.outside_band
    officer.refresh_from_db()
    assert officer.certificate_status == Officer.CertificateStatus.SUSPENDED
    assert proceeding.number in officer.status_reason
    shoot(page, "decision")

    # R24: transferred with its receipt, then closed.
    page.get_by_role("link", name="移送与回执").click()
    transfer = page.locator("#transfer")
    transfer.get_by_label("移送机关类别").select_option(label="监察委员会")
    transfer.get_by_label("移送机关名称").fill("甲市监察委员会")
    transfer.get_by_label("移送事由").fill("执法人员粗暴执法，移送监察机关依法处置。")
    transfer.get_by_label("移送日期").fill(today)
    transfer.get_by_role("button", name="登记移送").click()
    rows = page.locator("#transfers")
    expect(rows).to_contain_text("甲市监察委员会")
    rows.get_by_label("回执日期").fill(today)
    rows.get_by_label("回执编号").fill("甲监收〔2026〕9号")
    rows.get_by_role("button", name="登记回执").click()
    expect(page.locator("#transfers")).to_contain_text("甲监收〔2026〕9号")
    shoot(page, "transfers")
    page.locator("#transfers").get_by_role("button", name="办结").click()
    proceeding.refresh_from_db()
    assert proceeding.step == Proceeding.Step.CLOSED
    origin.refresh_from_db()
    assert origin.status == Clue.Status.CLOSED and origin.finding == Clue.Finding.RESPONSIBLE

    # R18: the handler drafts the typical case from the case's page; names are masked.
    login(page, "colleague_a")
    page.goto(f"/accountability/cases/{proceeding.pk}/")
    expect(page.get_by_role("heading", level=2, name="移送与回执")).to_be_visible()
    shoot(page, "case-closed")
    page.get_by_role("link", name="撰写典型案例").click()
    page.get_by_label("标题").fill("某市场监管局执法人员粗暴执法被暂扣执法证件案")
    page.get_by_label("基本案情").fill("执法人员王执法在检查中推搡个体摊主，并拒绝出示执法证件。")
    page.get_by_label("案例剖析").fill("执法人员以推搡代替说服教育，违反文明执法规范。")
    page.get_by_label("警示教育意义").fill("严格规范公正文明执法。")
    page.get_by_role("button", name="保存草稿").click()
    typical = TypicalCase.objects.get(proceeding=proceeding)
    assert "王执法" not in typical.facts and "王**" in typical.facts
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("待审核")).to_be_visible()

    # R18: the supervisor approves and circulates; the public page shows it anonymised.
    login(page, "city_supervisor")
    page.goto(f"/accountability/typical/{typical.pk}/")
    page.get_by_role("button", name="审核通过并发布").click()
    expect(page.get_by_text("已发布")).to_be_visible()
    page.get_by_label("通报文号").fill("甲司通〔2026〕3号")
    page.get_by_role("button", name="通报本地区执法部门").click()
    expect(page.get_by_text("甲司通〔2026〕3号")).to_be_visible()
    shoot(page, "typical")
    page.context.clear_cookies()
    page.goto("/typical-cases/")
    expect(page.get_by_role("link", name=typical.title)).to_be_visible()
    shoot(page, "public-list")
    page.get_by_role("link", name=typical.title).click()
    expect(page.locator("main")).to_contain_text("王**")
    expect(page.locator("main")).not_to_contain_text("王执法")
    shoot(page, "public-detail")
    no_horizontal_scroll(page)

    # R32: a training session uses it; the officer attended.
    login(page, "city_supervisor")
    page.goto("/accountability/training/new/")
    page.get_by_label("形式").select_option(label="案例研讨")
    page.get_by_label("主题").fill("以案释法：文明执法典型案例研讨")
    page.get_by_label("日期").fill(today)
    page.get_by_label("使用的典型案例").select_option(str(typical.pk))
    page.get_by_label("参训人员").fill(officer.certificate_number)
    page.get_by_role("button", name=re.compile("登记|保存")).click()
    session = TrainingSession.objects.get()
    assert list(session.cases.all()) == [typical]
    assert list(session.attendees.all()) == [officer]
    expect(page.locator("main")).to_contain_text(typical.title)
    shoot(page, "training")
