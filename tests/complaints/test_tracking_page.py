"""R16, R17: the complainant follows a complaint by its number and access code.

The code travels only in a POST body; once proved, the session remembers the complaint, so the
result page and the material and rating forms need no code in any URL.
"""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.timezone import localdate

from complaints.models import Attachment, Complaint, ComplaintEvent, RefusalReason
from complaints.services.decisions import complaint_accept, complaint_refuse
from complaints.services.handling import (
    complaint_close,
    complaint_extend,
    complaint_record_step,
    complaint_request_material,
)
from complaints.services.register import complaint_register
from tests.conftest import client_for

from .test_filing_page import media_files, png_bytes

pytestmark = pytest.mark.django_db

TRACK = "/complaints/track/"
RESULT = "/complaints/track/result/"
MATERIAL = "/complaints/track/material/"
RATE = "/complaints/track/rate/"


def filed(agency, **extra):
    fields = {
        "agency": agency,
        "category": "uncivil",
        "description": "执法人员辱骂当事人。",
        "occurred_on": localdate() - timedelta(days=2),
        "complainant_name": "王五",
        "phone": "13900000000",
        "email": "wangwu@example.com",
    }
    return complaint_register(actor=None, **(fields | extra))


@pytest.fixture
def receipt(agency_a):
    return filed(agency_a)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def track(client, number, code):
    return client.post(TRACK, {"number": number, "access_code": code})


def tracked(client, receipt):
    response = track(client, receipt.number, receipt.access_code)
    assert response.status_code == 302 and response["Location"] == RESULT
    return client.get(RESULT)


def without_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def test_the_tracking_form_is_a_post_form(public_client):
    page = public_client.get(TRACK).content.decode()
    assert 'method="post"' in page and 'name="access_code"' in page


def test_the_right_code_shows_status_deadlines_and_public_steps_only(
    public_client, receipt, city_supervisor
):
    """R17: progress is fed back; internal investigation steps and the identity are not shown."""
    complaint = complaint_accept(complaint=receipt.complaint, actor=city_supervisor)
    complaint_record_step(
        complaint=complaint, actor=city_supervisor, note="内部调查笔记", public=False
    )
    complaint_record_step(
        complaint=complaint, actor=city_supervisor, note="已调取执法记录仪视频", public=True
    )
    response = tracked(public_client, receipt)
    page = response.content.decode()
    complaint.refresh_from_db()
    assert "no-store" in response["Cache-Control"]
    assert "已受理" in page and "甲市市场监督管理局" in page and "不文明执法" in page
    assert f"{complaint.acknowledge_by:%Y-%m-%d}" in page
    assert f"{complaint.handling_due:%Y-%m-%d}" in page
    assert "已调取执法记录仪视频" in page
    assert "内部调查笔记" not in page
    for identity in ("王五", "13900000000", "wangwu@example.com"):
        assert identity not in page
    assert "/workdays/calculator/?start=" in page


def test_an_extension_shows_its_reason(public_client, receipt, city_supervisor):
    complaint = complaint_accept(complaint=receipt.complaint, actor=city_supervisor)
    complaint_extend(complaint=complaint, actor=city_supervisor, reason="需要现场勘验")
    page = tracked(public_client, receipt).content.decode()
    assert "需要现场勘验" in page and "已延长" in page


def test_a_refusal_shows_its_reason(public_client, receipt, city_supervisor):
    """R17: not accepted, the reason is told."""
    complaint_refuse(
        complaint=receipt.complaint,
        actor=city_supervisor,
        reason=RefusalReason.UNDER_REVIEW,
        note="已申请行政复议",
    )
    page = tracked(public_client, receipt).content.decode()
    assert "不予受理" in page and "已申请行政复议或提起行政诉讼" in page


def test_a_provisional_acknowledgement_date_is_marked(public_client, receipt):
    Complaint.objects.filter(pk=receipt.complaint.pk).update(acknowledge_provisional=True)
    page = tracked(public_client, receipt).content.decode()
    assert "暂定" in page


def test_a_wrong_code_and_an_unknown_number_get_the_same_answer(public_client, receipt):
    wrong_code = track(public_client, receipt.number, "AAAA-BBBB-CCCC")
    unknown = track(public_client, receipt.number[:-1] + "9", receipt.access_code)
    assert wrong_code.status_code == unknown.status_code == 400
    assert "登记号或查询码不正确" in wrong_code.content.decode()
    first = without_tokens(wrong_code.content.decode()).replace(receipt.number, "N")
    second = without_tokens(unknown.content.decode()).replace(receipt.number[:-1] + "9", "N")
    assert first == second
    assert public_client.get(RESULT).status_code == 302


def test_script_in_the_complaint_is_shown_as_text(public_client, agency_a, city_supervisor):
    """The services refuse script; a step that holds some anyway (an old row) is escaped."""
    receipt = filed(agency_a)
    complaint = complaint_accept(complaint=receipt.complaint, actor=city_supervisor)
    complaint_record_step(complaint=complaint, actor=city_supervisor, note="进展", public=True)
    ComplaintEvent.objects.filter(complaint=complaint, note="进展").update(
        note="<img src=x onerror=alert(1)>"
    )
    page = tracked(public_client, receipt).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x" in page


def test_the_access_code_never_appears_in_a_url_or_redirect(public_client, receipt):
    response = track(public_client, receipt.number, receipt.access_code)
    assert receipt.access_code not in response["Location"]
    page = public_client.get(response["Location"]).content.decode()
    assert receipt.access_code not in page
    for url in re.findall(r'(?:href|action)="([^"]*)"', page):
        assert receipt.access_code not in url


def test_material_can_be_added_only_when_requested(
    public_client, receipt, city_supervisor, media_root
):
    """R17: the handler asks; the complainant answers on the tracking page, once."""
    complaint = complaint_accept(complaint=receipt.complaint, actor=city_supervisor)
    page = tracked(public_client, receipt).content.decode()
    assert 'action="/complaints/track/material/"' not in page
    refused = public_client.post(MATERIAL, {"number": receipt.number, "note": "未请求时补充"})
    assert refused.status_code == 302
    assert not complaint.timeline.filter(kind=ComplaintEvent.Kind.MATERIAL_ADDED).exists()

    complaint_request_material(complaint=complaint, actor=city_supervisor, note="请提供现场照片")
    page = public_client.get(RESULT).content.decode()
    assert 'action="/complaints/track/material/"' in page and "请提供现场照片" in page
    photo = SimpleUploadedFile("scene.png", png_bytes(), "image/png")
    response = public_client.post(
        MATERIAL, {"number": receipt.number, "note": "现场照片一张", "files": [photo]}
    )
    assert response.status_code == 302 and response["Location"] == RESULT
    complaint.refresh_from_db()
    assert complaint.material_requested is False
    assert Attachment.objects.get().event.note == "现场照片一张"
    page = public_client.get(RESULT).content.decode()
    assert "补充材料已提交" in page and 'action="/complaints/track/material/"' not in page


def test_a_disguised_file_in_material_is_refused(
    public_client, receipt, city_supervisor, media_root
):
    complaint = complaint_accept(complaint=receipt.complaint, actor=city_supervisor)
    complaint_request_material(complaint=complaint, actor=city_supervisor, note="请提供合同")
    tracked(public_client, receipt)
    exe = SimpleUploadedFile("contract.pdf", b"MZ" + b"\x00" * 100, "application/pdf")
    response = public_client.post(
        MATERIAL, {"number": receipt.number, "note": "合同", "files": [exe]}
    )
    assert response.status_code == 400
    assert "不是可接受的" in response.content.decode()
    assert not Attachment.objects.exists()
    assert media_files(media_root) == []


def test_rating_only_when_closed_and_only_once(public_client, receipt, city_supervisor):
    complaint = complaint_accept(complaint=receipt.complaint, actor=city_supervisor)
    tracked(public_client, receipt)
    early = public_client.post(RATE, {"number": receipt.number, "rating": "5"})
    assert early.status_code == 302
    complaint.refresh_from_db()
    assert complaint.rating is None

    complaint_close(
        complaint=complaint,
        actor=city_supervisor,
        result="substantiated",
        measures="责令改正",
        feedback="经核查投诉属实，已责令改正。",
    )
    page = public_client.get(RESULT).content.decode()
    assert "投诉属实" in page and "经核查投诉属实，已责令改正。" in page
    assert 'action="/complaints/track/rate/"' in page
    response = public_client.post(
        RATE, {"number": receipt.number, "rating": "4", "comment": "及时"}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.rating, complaint.rating_comment) == (4, "及时")

    again = public_client.post(RATE, {"number": receipt.number, "rating": "1"})
    assert again.status_code == 302
    complaint.refresh_from_db()
    assert complaint.rating == 4
    page = public_client.get(RESULT).content.decode()
    assert "只能评价一次" in page and 'action="/complaints/track/rate/"' not in page


def test_a_rating_outside_one_to_five_is_refused(public_client, receipt, city_supervisor):
    complaint = complaint_accept(complaint=receipt.complaint, actor=city_supervisor)
    complaint_close(
        complaint=complaint,
        actor=city_supervisor,
        result="partly",
        measures="整改",
        feedback="部分属实",
    )
    tracked(public_client, receipt)
    response = public_client.post(RATE, {"number": receipt.number, "rating": "9"})
    assert response.status_code == 400 and "请选择 1 至 5 分" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.rating is None


def test_follow_up_forms_need_the_code_proved_in_this_session(
    public_client, receipt, city_supervisor, outsider_b
):
    """Knowing a number is not enough: without the code proved here, nothing is changed."""
    complaint = complaint_accept(complaint=receipt.complaint, actor=city_supervisor)
    complaint_request_material(complaint=complaint, actor=city_supervisor, note="请补充")
    for client in (public_client, client_for(outsider_b)):
        response = client.post(MATERIAL, {"number": receipt.number, "note": "冒充的补充"})
        assert response.status_code == 403
        assert client.get(RESULT).status_code == 302
    complaint.refresh_from_db()
    assert complaint.material_requested is True
    assert not complaint.timeline.filter(kind=ComplaintEvent.Kind.MATERIAL_ADDED).exists()


def test_a_session_that_tracked_one_complaint_cannot_act_on_another(
    public_client, agency_a, receipt, city_supervisor
):
    other = filed(agency_a, description="另一件投诉", phone="13700000000")
    complaint = complaint_accept(complaint=other.complaint, actor=city_supervisor)
    complaint_request_material(complaint=complaint, actor=city_supervisor, note="请补充")
    tracked(public_client, receipt)
    response = public_client.post(MATERIAL, {"number": other.number, "note": "不是我的"})
    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.material_requested is True


def test_the_result_page_runs_a_bounded_number_of_queries(
    public_client, receipt, city_supervisor, django_assert_max_num_queries
):
    complaint = complaint_accept(complaint=receipt.complaint, actor=city_supervisor)
    for i in range(10):
        complaint_record_step(
            complaint=complaint, actor=city_supervisor, note=f"进展{i}", public=True
        )
    track(public_client, receipt.number, receipt.access_code)
    # 4, and (since issue 11) the calendar window behind "办理期限如何计算": at most 2 more.
    with django_assert_max_num_queries(6):
        response = public_client.get(RESULT)
    assert response.content.decode().count("进展") >= 10


def test_tracking_runs_a_bounded_number_of_queries(
    public_client, receipt, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        response = track(public_client, receipt.number, receipt.access_code)
    assert response.status_code == 302
