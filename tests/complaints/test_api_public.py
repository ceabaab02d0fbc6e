"""The public complaints API: POST /api/v1/complaints/ and /api/v1/complaints/track/ (R15–R17)."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.timezone import localdate

from complaints.models import Attachment, Complaint
from complaints.services.decisions import complaint_accept
from complaints.services.handling import complaint_record_step
from complaints.services.register import complaint_register

pytestmark = pytest.mark.django_db
FILE = reverse("api:complaint-file")
TRACK = reverse("api:complaint-track")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + b" " * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def body(agency, **overrides) -> dict:
    return {
        "agency": agency.pk,
        "category": "arbitrary",
        "description": "执法人员未出示证件即查封店铺。",
        "occurred_on": f"{localdate() - timedelta(days=3):%Y-%m-%d}",
        "complainant_name": "张三",
        "phone": "13812345678",
        "email": "",
        "anonymous": False,
        "place": "人民大街 1 号",
    } | overrides


def register(agency, **overrides):
    """A complaint filed by the public through the service; returns its receipt."""
    data = body(agency, **overrides)
    data["agency"] = agency
    data["occurred_on"] = localdate() - timedelta(days=3)
    return complaint_register(actor=None, **data)


def post_json(client, data, **headers):
    return client.post(FILE, data, content_type="application/json", **headers)


def test_filing_returns_the_number_access_code_and_acknowledgement_date(public_client, agency_a):
    """R15, R16: numbered in the register; told by when acceptance will be decided."""
    response = post_json(public_client, body(agency_a))
    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) >= {"number", "access_code", "acknowledge_by"}
    assert re.fullmatch(r"220100-\d{4}-\d{6}", data["number"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["acknowledge_by"])
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", data["access_code"])
    complaint = Complaint.objects.get(number=data["number"])
    assert f"{complaint.acknowledge_by:%Y-%m-%d}" == data["acknowledge_by"]
    assert complaint.registered_by is None and complaint.received_via == "web"


def test_anonymous_json_needs_no_csrf_token(agency_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert post_json(client, body(agency_a, anonymous=True, complainant_name="")).status_code == 201


def test_multipart_with_attachments(public_client, agency_a):
    files = [
        SimpleUploadedFile("现场.png", PNG, content_type="image/png"),
        SimpleUploadedFile("决定书.pdf", PDF, content_type="application/pdf"),
    ]
    response = public_client.post(FILE, body(agency_a, anonymous="false") | {"attachments": files})
    assert response.status_code == 201, response.content
    stored = Attachment.objects.filter(complaint__number=response.json()["number"])
    assert sorted(a.original_name for a in stored) == ["决定书.pdf", "现场.png"]


def test_a_repeated_idempotency_key_is_a_409_with_the_first_number(public_client, agency_a):
    first = post_json(public_client, body(agency_a), HTTP_IDEMPOTENCY_KEY="k-1")
    again = post_json(public_client, body(agency_a), HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 409
    assert again.json()["number"] == first.json()["number"]
    assert "请勿重复提交" in again.json()["detail"]
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"description": ""}, "description", "请填写投诉事项"),
        ({"description": "字" * 100_000}, "description", "不能超过 5000"),
        ({"occurred_on": "2024/05/01"}, "occurred_on", "YYYY-MM-DD"),
        ({"occurred_on": "2024-02-30"}, "occurred_on", "YYYY-MM-DD"),
        ({"agency": 987654}, "agency", "没有这个执法主体"),
        ({"agency": "甲市"}, "agency", "执法主体编号"),
        ({"category": "nonsense"}, "category", "投诉类型"),
        ({"phone": "12345"}, "phone", "联系电话格式不正确"),
        ({"complainant_name": ""}, "complainant_name", "请填写姓名"),
    ],
)
def test_bad_input_is_a_400_keyed_by_field_in_chinese(
    public_client, agency_a, overrides, field, words
):
    response = post_json(public_client, body(agency_a) | overrides)
    assert response.status_code == 400
    assert words in response.json()[field][0]
    assert not Complaint.objects.exists()


def test_a_future_date_is_refused(public_client, agency_a):
    tomorrow = f"{localdate() + timedelta(days=1):%Y-%m-%d}"
    response = post_json(public_client, body(agency_a, occurred_on=tomorrow))
    assert response.status_code == 400
    assert "不能晚于今天" in response.json()["occurred_on"][0]


def test_an_exe_disguised_as_a_pdf_is_refused_and_nothing_is_kept(public_client, agency_a):
    files = [SimpleUploadedFile("证据.pdf", EXE, content_type="application/pdf")]
    response = public_client.post(FILE, body(agency_a) | {"attachments": files})
    assert response.status_code == 400
    assert "证据.pdf" in response.json()["attachments"][0]
    assert not Complaint.objects.exists() and not Attachment.objects.exists()


def test_a_sixth_file_is_refused(public_client, agency_a):
    files = [SimpleUploadedFile(f"{n}.png", PNG, content_type="image/png") for n in range(6)]
    response = public_client.post(FILE, body(agency_a) | {"attachments": files})
    assert response.status_code == 400
    assert "附件最多 5 个" in response.json()["attachments"][0]


def test_filing_too_often_from_one_address_is_a_429(public_client, agency_a, settings):
    settings.COMPLAINT_FILE_RATE_IP = "2/h"
    for n in range(2):
        data = body(agency_a, description=f"第{n}件", phone=f"1381234567{n}")
        assert post_json(public_client, data).status_code == 201
    refused = post_json(public_client, body(agency_a, description="第三件", phone="13912345678"))
    assert refused.status_code == 429
    assert "频繁" in refused.json()["detail"]
    assert Complaint.objects.count() == 2


def test_filing_too_often_with_one_phone_is_a_429(public_client, agency_a, settings):
    settings.COMPLAINT_FILE_RATE_PHONE = "2/h"
    for n in range(2):
        data = body(agency_a, description=f"第{n}件")
        assert post_json(public_client, data, REMOTE_ADDR=f"10.0.0.{n}").status_code == 201
    third = post_json(public_client, body(agency_a, description="三"), REMOTE_ADDR="10.0.0.9")
    assert third.status_code == 429


# --- Tracking --------------------------------------------------------------------------------


def track(client, number, code, **extra):
    data = {"number": number, "access_code": code}
    return client.post(TRACK, data, content_type="application/json", **extra)


def test_tracking_shows_status_deadlines_and_public_steps_only(
    public_client, agency_a, city_supervisor, django_assert_max_num_queries
):
    """R17: progress is fed back; internal steps and the complainant's identity never are."""
    receipt = register(agency_a)
    complaint_accept(complaint=receipt.complaint, actor=city_supervisor)
    complaint_record_step(
        complaint=receipt.complaint,
        actor=city_supervisor,
        note="内部：调取执法记录仪",
        public=False,
    )
    complaint_record_step(
        complaint=receipt.complaint, actor=city_supervisor, note="已约谈执法人员", public=True
    )
    with django_assert_max_num_queries(4):
        response = track(public_client, receipt.number, receipt.access_code.lower())
    assert response.status_code == 200
    data = response.json()
    assert data["number"] == receipt.number
    assert data["status"] == "handling" and data["status_display"] == "办理中"
    assert data["agency"] == {"id": agency_a.pk, "name": agency_a.name}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["handling_due"])
    assert [s["kind"] for s in data["steps"]] == ["registered", "accepted", "progress"]
    assert data["steps"][-1]["note"] == "已约谈执法人员"
    text = response.content.decode()
    for secret in ("张三", "13812345678", "调取执法记录仪", "city_supervisor"):
        assert secret not in text


def test_a_wrong_code_and_an_unknown_number_get_the_same_404(public_client, agency_a):
    receipt = register(agency_a)
    wrong = track(public_client, receipt.number, "2222-2222-2222")
    unknown = track(public_client, "220100-2000-999999", receipt.access_code)
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.content == unknown.content
    assert "登记号或查询码不正确" in wrong.json()["detail"]


def test_the_access_code_is_refused_in_the_url(public_client, agency_a):
    receipt = register(agency_a)
    response = public_client.get(TRACK, {"number": receipt.number, "code": receipt.access_code})
    assert response.status_code == 405


def test_too_many_failed_attempts_on_a_number_are_a_429(public_client, agency_a, settings):
    settings.COMPLAINT_TRACK_RATE_NUMBER = "2/h"
    receipt = register(agency_a)
    for n in range(2):
        assert track(public_client, receipt.number, f"2222-2222-222{n + 2}").status_code == 404
    refused = track(public_client, receipt.number, receipt.access_code)
    assert refused.status_code == 429
    assert "次数过多" in refused.json()["detail"]
    # From another address the number is not locked: the attempt must carry a solved challenge.
    elsewhere = track(public_client, receipt.number, receipt.access_code, REMOTE_ADDR="10.1.1.1")
    assert elsewhere.status_code == 429
    assert "challenge" in elsewhere.json()


def test_checking_often_with_the_right_code_is_never_throttled(public_client, agency_a, settings):
    settings.COMPLAINT_TRACK_RATE_IP = settings.COMPLAINT_TRACK_RATE_NUMBER = "2/h"
    receipt = register(agency_a)
    for _ in range(4):
        assert track(public_client, receipt.number, receipt.access_code).status_code == 200


def test_a_closed_complaint_shows_its_result_and_feedback(public_client, agency_a, city_supervisor):
    from complaints.services.handling import complaint_close

    receipt = register(agency_a)
    complaint_accept(complaint=receipt.complaint, actor=city_supervisor)
    complaint_close(
        complaint=receipt.complaint,
        actor=city_supervisor,
        result="substantiated",
        measures="责令改正",
        feedback="经核查属实，已责令改正。",
    )
    data = track(public_client, receipt.number, receipt.access_code).json()
    assert data["status"] == "closed"
    assert data["result"] == "substantiated" and data["result_display"] == "投诉属实"
    assert data["feedback"] == "经核查属实，已责令改正。"
    assert "责令改正" not in data.get("measures", "")


def test_the_endpoints_are_in_the_openapi_schema(public_client):
    schema = public_client.get("/api/v1/schema/", {"format": "json"}).json()
    filing = schema["paths"]["/api/v1/complaints/"]["post"]
    assert {"201", "400", "409", "429"} <= set(filing["responses"])
    assert "multipart/form-data" in filing["requestBody"]["content"]
    assert "Idempotency-Key" in {p["name"] for p in filing["parameters"]}
    tracking = schema["paths"]["/api/v1/complaints/track/"]["post"]
    assert {"200", "404", "429"} <= set(tracking["responses"])


def test_the_whole_schema_generates_without_warnings(tmp_path):
    """Every endpoint declares its request and responses: a warning fails the build."""
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
