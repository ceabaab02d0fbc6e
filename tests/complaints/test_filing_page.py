"""R15, R16: the public files a complaint on the web page and takes away a receipt.

The page is a plain form: a GET form chooses the region, then the complaint is posted with its
files; the receipt (number, access code, acknowledgement date) is the POST's own response.
"""

import re
import struct
import uuid
import zlib
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.timezone import localdate

from complaints import uploads
from complaints.forms import public as public_forms
from complaints.models import Attachment, Complaint, ComplaintEvent
from complaints.services import register
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

URL = "/complaints/file/"


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def filing_data(to, **extra) -> dict:
    data = {
        "region": to.region.code,
        "agency": str(to.pk),
        "officer": "张三 22000001",
        "occurred_on": (localdate() - timedelta(days=3)).isoformat(),
        "place": "人民大街 1 号",
        "case_number": "甲市监罚〔2026〕1号",
        "category": "arbitrary",
        "description": "执法人员未出示证件即查封店铺。",
        "request": "请依法查处。",
        "complainant_name": "李四",
        "phone": "13800000000",
        "email": "",
        "submission_token": uuid.uuid4().hex,
        "website": "",
    }
    return data | extra


def file_on_page(client, to, *, files=(), **extra):
    data = filing_data(to, **extra)
    if files:
        data["attachments"] = list(files)
    return client.post(URL, data)


def access_code_in(page: str) -> str:
    match = re.search(r'id="access-code"[^>]*>([0-9A-Z-]+)<', page)
    assert match, "no access code on the receipt"
    return match.group(1)


def media_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_page_lists_the_regions_then_the_agencies_of_the_chosen_region_and_below(
    public_client, agency_a, county_agency_a, agency_b
):
    """Choosing a region (a GET form, no script needed) lists its agencies and those below."""
    page = public_client.get(URL).content.decode()
    assert "甲市" in page and "丙市" in page
    assert agency_a.name not in page
    page = public_client.get(URL, {"region": "220100"}).content.decode()
    assert agency_a.name in page and county_agency_a.name in page
    assert agency_b.name not in page


def test_the_form_states_the_limits_and_the_anonymous_consequence_before_upload(
    public_client, agency_a, settings
):
    settings.COMPLAINT_MAX_ATTACHMENTS = 5
    response = public_client.get(URL, {"region": "220100"})
    page = response.content.decode()
    assert "最多 5 个附件" in page
    assert page.index("最多 5 个附件") < page.index('type="file"')
    assert f'accept="{uploads.accept_attribute()}" multiple' in page
    assert "不超过 5000 字" in page
    assert "我们无法与您联系" in page and "不会通知您" in page
    assert 'name="website"' in page and 'name="submission_token"' in page
    assert "no-store" in response["Cache-Control"]


def test_filing_with_a_photo_gives_a_number_and_a_code_and_stores_the_file(
    public_client, agency_a, media_root
):
    """R15: numbered and registered; the photo is kept under a random name."""
    response = file_on_page(public_client, agency_a, files=[png()])
    assert response.status_code == 200
    page = response.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.number in page
    code = access_code_in(page)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    assert "no-store" in response["Cache-Control"]
    assert "只显示这一次" in page
    attachment = Attachment.objects.get()
    assert attachment.complaint == complaint and attachment.original_name == "photo.png"
    assert attachment.file.read() == png_bytes()
    assert len(media_files(media_root)) == 1
    assert complaint.timeline.filter(kind=ComplaintEvent.Kind.REGISTERED).exists()


def test_a_pdf_is_accepted(public_client, agency_a):
    pdf = SimpleUploadedFile("decision.pdf", pdf_bytes(), content_type="application/pdf")
    response = file_on_page(public_client, agency_a, files=[pdf])
    assert response.status_code == 200
    assert Attachment.objects.get().extension == "pdf"


def test_it_rejects_an_exe_renamed_to_pdf_and_keeps_nothing(public_client, agency_a, media_root):
    exe = SimpleUploadedFile("x.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    response = file_on_page(public_client, agency_a, files=[exe])
    assert response.status_code == 400
    assert "不是可接受的照片、PDF、Word 文档或视频" in response.content.decode()
    assert not Complaint.objects.exists() and not Attachment.objects.exists()
    assert media_files(media_root) == []


def test_a_sixth_attachment_is_refused(public_client, agency_a, settings, media_root):
    settings.COMPLAINT_MAX_ATTACHMENTS = 5
    response = file_on_page(public_client, agency_a, files=[png(f"p{i}.png") for i in range(6)])
    assert response.status_code == 400
    assert "附件最多 5 个，您选择了 6 个" in response.content.decode()
    assert not Complaint.objects.exists() and media_files(media_root) == []


def test_an_oversized_photo_is_refused(public_client, agency_a, settings, media_root):
    settings.COMPLAINT_MAX_IMAGE_MB = 1
    big = SimpleUploadedFile("big.png", png_bytes() + b"\x00" * (1024 * 1024), "image/png")
    response = file_on_page(public_client, agency_a, files=[big])
    assert response.status_code == 400
    assert "超过了照片的大小上限" in response.content.decode()
    assert not Complaint.objects.exists() and media_files(media_root) == []


@pytest.mark.parametrize(
    ("description", "message"),
    [("", "请填写投诉事项"), ("   ", "请填写投诉事项"), ("字" * 100_000, "不能超过 5000 个字")],
)
def test_an_empty_or_huge_description_is_refused(public_client, agency_a, description, message):
    response = file_on_page(public_client, agency_a, description=description)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("occurred_on", "message"),
    [
        ((date.today() + timedelta(days=30)).isoformat(), "发生日期不能晚于今天"),
        ("2026-02-30", "发生日期格式不正确"),
        ("yesterday", "发生日期格式不正确"),
        ("", "请填写发生日期"),
    ],
)
def test_a_future_or_malformed_date_is_refused(public_client, agency_a, occurred_on, message):
    response = file_on_page(public_client, agency_a, occurred_on=occurred_on)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("agency_id", ["999999", "abc", ""])
def test_a_forged_or_unknown_agency_is_refused(public_client, agency_a, agency_id):
    response = file_on_page(public_client, agency_a, agency=agency_id)
    assert response.status_code == 400
    assert "被投诉单位" in response.content.decode()
    assert not Complaint.objects.exists()


def test_an_agency_outside_the_chosen_region_is_refused(public_client, agency_a, agency_b):
    """The agency must be one the page offered: of the chosen region or below."""
    response = file_on_page(public_client, agency_a, agency=str(agency_b.pk))
    assert response.status_code == 400
    assert "请从列表中选择所选地区的行政执法单位" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_named_complaint_without_any_contact_is_refused_by_its_field(public_client, agency_a):
    """The service's message lands by the field it names."""
    response = file_on_page(public_client, agency_a, phone="", email="")
    page = response.content.decode()
    assert response.status_code == 400
    assert "请至少留下联系电话或电子信箱" in page
    assert page.index("请至少留下联系电话或电子信箱") > page.index('id="field-phone"')
    assert not Complaint.objects.exists()


def test_an_anonymous_complaint_keeps_no_identity(public_client, agency_a):
    response = file_on_page(
        public_client, agency_a, anonymous="on", complainant_name="李四", phone="13800000000"
    )
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.anonymous and complaint.complainant_name == complaint.phone == ""
    assert "不会通知您" in response.content.decode()


def test_script_and_formulas_are_refused_with_the_field_named_and_nothing_filed(
    public_client, agency_a
):
    script = "<script>alert(1)</script>"
    response = file_on_page(public_client, agency_a, description=f"{script} 执法人员辱骂当事人")
    page = response.content.decode()
    assert response.status_code == 400
    assert script not in page  # what was typed comes back escaped in the form
    assert "投诉事项中不能包含网页代码" in page
    response = file_on_page(public_client, agency_a, place="=cmd|' /C calc'!A0")
    assert response.status_code == 400
    assert "发生地点不能以公式开头" in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_same_form_sent_twice_gives_the_number_not_a_second_complaint(public_client, agency_a):
    """R15: a double click or a reload files once; the repeat is told the number."""
    data = filing_data(agency_a)
    first = public_client.post(URL, data)
    assert first.status_code == 200
    number = Complaint.objects.get().number
    second = public_client.post(URL, data | {"description": "另一段文字，同一张表单。"})
    assert second.status_code == 409
    page = second.content.decode()
    assert f"这份投诉已经提交过，登记号为 {number}" in page
    assert 'id="access-code"' not in page
    assert Complaint.objects.count() == 1


def test_a_filled_honeypot_stores_nothing_and_says_nothing_specific(public_client, agency_a):
    response = file_on_page(public_client, agency_a, website="http://spam.example")
    assert response.status_code == 400
    assert "提交未成功，请稍后重试" in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_receipt_shows_the_acknowledgement_date_five_working_days_later(
    public_client, agency_a, monkeypatch
):
    """R16: filed Wed 30 Sep 2026; 1–7 Oct are the National Day holiday; Thu 8 (1), Fri 9 (2),
    Sat 10 Oct (调休) (3), Mon 12 (4), Tue 13 Oct (5): told by 13 Oct 2026."""
    monkeypatch.setattr(register, "localdate", lambda: date(2026, 9, 30))
    monkeypatch.setattr(public_forms, "localdate", lambda: date(2026, 9, 30))
    response = file_on_page(public_client, agency_a, occurred_on="2026-09-28")
    page = response.content.decode()
    assert Complaint.objects.get().acknowledge_by == date(2026, 10, 13)
    assert "2026年10月13日" in page
    assert "/workdays/calculator/?start=2026-09-30&amp;count=5&amp;unit=working_days" in page


def test_the_receipt_links_to_the_deadline_calculator_that_gives_the_same_date(
    public_client, agency_a
):
    page = file_on_page(public_client, agency_a).content.decode()
    link = re.search(r'href="(/workdays/calculator/\?[^"]+)"', page).group(1)
    explained = public_client.get(link.replace("&amp;", "&")).content.decode()
    assert f"{Complaint.objects.get().acknowledge_by:%Y-%m-%d}" in explained or (
        f"{Complaint.objects.get().acknowledge_by:%Y年%-m月%-d日}" in explained
    )


def test_the_access_code_never_travels_in_a_url(public_client, agency_a):
    response = file_on_page(public_client, agency_a)
    code = access_code_in(response.content.decode())
    assert "Location" not in response
    hrefs = re.findall(r'(?:href|action)="([^"]*)"', response.content.decode())
    assert all(code not in href and code.replace("-", "") not in href for href in hrefs)


def test_the_channels_page_leads_to_filing_and_tracking(public_client):
    page = public_client.get("/complaints/channels/").content.decode()
    assert 'href="/complaints/file/"' in page and 'href="/complaints/track/"' in page


def test_the_filing_page_runs_a_bounded_number_of_queries(
    public_client, city_a, county_a, django_assert_max_num_queries
):
    AgencyFactory.create_batch(10, region=city_a)
    AgencyFactory.create_batch(10, region=county_a)
    with django_assert_max_num_queries(4):
        response = public_client.get(URL, {"region": city_a.code})
    assert response.status_code == 200
    assert response.content.decode().count("<option") >= 20


def test_filing_runs_a_bounded_number_of_queries(
    public_client, agency_a, django_assert_max_num_queries
):
    with django_assert_max_num_queries(45):
        response = file_on_page(public_client, agency_a, files=[png()])
    assert response.status_code == 200


def test_the_receipt_leads_to_the_result_without_typing_the_code_again(public_client, agency_a):
    """The browser that filed may follow its complaint for a while; another browser may not."""
    file_on_page(public_client, agency_a)
    page = public_client.get("/complaints/track/result/").content.decode()
    assert Complaint.objects.get().number in page and "已登记，待受理" in page
    assert "李四" not in page and "13800000000" not in page
    stranger = type(public_client)()
    assert stranger.get("/complaints/track/result/").status_code == 302
