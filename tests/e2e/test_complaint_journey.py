"""A complaint's whole journey in Chromium (R15–R17): a citizen files with a photo and gets the
number and access code; the city supervisor accepts it; the citizen sees the acceptance; the
handler asks the agency, which answers; the handler publishes progress and closes the complaint as
substantiated; the citizen sees the result and rates the handling."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from complaints.models import Complaint

from .conftest import assert_cjk_renders, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The smallest valid PNG: a 1×1 transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def _track(page, number: str, code: str) -> None:
    page.context.clear_cookies()
    page.goto("/complaints/track/")
    page.get_by_label("登记号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name="投诉办理情况")).to_be_visible()
    assert code not in page.url and number not in page.url  # never in a URL


def _act(page, section: str, fields: dict[str, str], *, check: str | None = None) -> None:
    card = page.locator(f"#action-{section}")
    for label, value in fields.items():
        field = card.get_by_label(label, exact=True)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    if check:
        card.get_by_label(check).check()
    card.get_by_role("button").click()


def test_a_citizen_files_and_follows_a_complaint_to_its_substantiated_result(
    page, shoot, tmp_path, settings, bundled_calendar, agency_a, city_supervisor, inspector_a
):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(PNG)

    # The citizen finds the form from the channels page and files with a photo.
    page.goto("/complaints/channels/")
    page.get_by_role("link", name=re.compile("网上投诉")).first.click()
    # The choice reloads the page through complaints.js (a deferred script): choose once it has
    # run, as a person would; before, the change went unheard on a busy machine (xdist).
    page.wait_for_load_state()
    page.locator("#region").select_option(agency_a.region.code)  # the page reloads with it
    expect(page).to_have_url(re.compile(rf"region={agency_a.region.code}"))
    page.locator("#id_agency").select_option(label=f"{agency_a.name}（{agency_a.region.name}）")
    page.get_by_label("发生日期").fill("2026-11-02")
    page.get_by_label("投诉类型").select_option(label="不作为")
    page.get_by_label("投诉事项").fill(
        "举报食品摊贩无证经营，多次反映无人处理。<script>alert(1)</script>"
    )
    page.get_by_label("投诉请求").fill("依法查处")
    page.get_by_label("附件").set_input_files(str(photo))
    page.get_by_label("姓名", exact=True).fill("王小明")
    page.get_by_label("联系电话").fill("13900001111")
    assert_cjk_renders(page)
    shoot(page, "complaint-file")
    page.get_by_role("button", name="提交投诉").click()
    # Script in the text is refused with the field named; what was typed comes back as text.
    expect(page.get_by_text("投诉事项中不能包含网页代码")).to_be_visible()
    assert not Complaint.objects.exists()
    page.get_by_label("投诉事项").fill("举报食品摊贩无证经营，多次反映无人处理。")
    page.get_by_label("附件").set_input_files(str(photo))
    page.get_by_role("button", name="提交投诉").click()

    expect(page.get_by_role("heading", name="投诉已登记")).to_be_visible()
    code = page.locator("#access-code").inner_text().strip()
    complaint = Complaint.objects.get()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", code)
    expect(page.locator("#number")).to_have_text(complaint.number)
    due = complaint.acknowledge_by
    expect(page.locator("#acknowledge-by")).to_contain_text(f"{due.year}年{due.month}月{due.day}日")
    assert complaint.attachments.count() == 1
    shoot(page, "complaint-receipt")

    # The city supervisor finds it in the register and accepts it, naming itself the handler.
    login(page, "city_supervisor")
    page.goto("/complaints/staff/")
    page.get_by_role("link", name=complaint.number).click()
    expect(page.locator("body")).not_to_contain_text("王小明")  # masked until asked
    shoot(page, "complaint-staff-detail")
    _act(page, "accept", {"承办人（可稍后指定）": str(city_supervisor.name)})
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.HANDLING
    assert complaint.handler == city_supervisor

    # The citizen sees the acceptance and the handling deadline.
    _track(page, complaint.number, code.lower().replace("-", " "))
    expect(page.locator("#status")).to_have_text("办理中")
    expect(page.locator("#steps")).to_contain_text("受理")
    expect(page.locator("#handling-due")).to_contain_text(f"{complaint.handling_due:%Y-%m-%d}")
    shoot(page, "complaint-tracking-accepted")

    # The handler asks the agency for a written response; the agency's staff answer it.
    login(page, "city_supervisor")
    page.goto(complaint.get_absolute_url())
    _act(page, "ask", {"需被投诉单位书面说明的事项": "请说明接到反映后的处理情况。"})
    login(page, "inspector_a")
    page.goto("/complaints/staff/requests/")
    page.get_by_role("link", name=complaint.number).click()
    expect(page.locator("body")).not_to_contain_text("王小明")  # identity not shared
    page.get_by_label("书面说明").fill("已于11月5日现场检查并责令整改。")
    page.get_by_role("button", name=re.compile("提交")).click()
    expect(page.get_by_text("书面说明已提交。")).to_be_visible()

    # The handler publishes progress, then closes the complaint as substantiated.
    login(page, "city_supervisor")
    page.goto(complaint.get_absolute_url())
    expect(page.get_by_text("已于11月5日现场检查并责令整改。").first).to_be_visible()
    _act(page, "step", {"办理情况": "已调取执法记录，正在核实。"}, check="作为办理进展告知投诉人")
    _act(
        page,
        "close",
        {
            "核查结论": "投诉属实",
            "处理措施": "责令被投诉单位限期查处，对承办人员批评教育。",
            "反馈意见（告知投诉人）": "经核查，投诉属实，已督促依法查处。",
        },
    )
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED
    shoot(page, "complaint-staff-closed")

    # The citizen sees every public step and the result, and rates the handling.
    _track(page, complaint.number, code)
    expect(page.locator("#status")).to_have_text("已办结")
    expect(page.locator("#result")).to_have_text("投诉属实")
    expect(page.locator("#steps")).to_contain_text("已调取执法记录，正在核实。")
    expect(page.locator("#steps")).not_to_contain_text("请说明接到反映后的处理情况")  # internal
    page.get_by_label("5 分 非常满意").check()
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator("body")).to_contain_text("5 分")
    assert page.locator("#rating").count() == 0  # rated once
    shoot(page, "complaint-tracking-closed")
    complaint.refresh_from_db()
    assert complaint.rating == 5
    assert Path(settings.MEDIA_ROOT).exists()
