"""R15: the register as supervisors read it, and complaints they register from a phone call,
a letter, an e-mail or a visit."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.timezone import localdate

from complaints import access_codes
from complaints.models import Complaint, ComplaintEvent, ReceivedVia
from complaints.services.register import acknowledge_deadline
from tests.conftest import client_for

from .staff_pages import PDF, registered

pytestmark = pytest.mark.django_db

REGISTER = reverse("complaints:staff-register")
NEW = reverse("complaints:staff-new")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def form_data(agency, **overrides):
    data = {
        "received_via": ReceivedVia.PHONE,
        "received_on": f"{localdate() - timedelta(days=2):%Y-%m-%d}",
        "agency": agency.pk,
        "category": "uncivil",
        "occurred_on": f"{localdate() - timedelta(days=10):%Y-%m-%d}",
        "description": "执法人员在检查中辱骂店主。",
        "complainant_name": "李四",
        "phone": "13900000000",
    }
    data.update(overrides)
    return data


def access_code_in(html: str) -> str | None:
    found = re.search(r'id="access-code".*?<strong>([^<]+)</strong>', html, re.S)
    return found.group(1) if found else None


def test_the_register_lists_the_region_and_below_with_identities_masked(
    city_supervisor, agency_a, county_agency_a, agency_b
):
    """R15: a city's supervisor reads the city's and its counties' register, not another city's;
    the list never shows a complainant's name."""
    mine, county = registered(agency_a), registered(county_agency_a)
    other = registered(agency_b)
    html = client_for(city_supervisor).get(REGISTER).content.decode()
    assert mine.number in html and county.number in html
    assert other.number not in html
    assert "张三" not in html and "张*" in html
    assert "13800000000" not in html


def test_the_register_filters_by_status_agency_number_and_year(
    city_supervisor, agency_a, county_agency_a
):
    first, second = registered(agency_a), registered(county_agency_a)
    Complaint.objects.filter(pk=second.pk).update(status=Complaint.Status.CLOSED, result="partly")
    client = client_for(city_supervisor)

    def shown(**query):
        html = client.get(REGISTER, query).content.decode()
        return {c.number for c in (first, second) if c.number in html}

    assert shown(status="closed") == {second.number}
    assert shown(agency=agency_a.pk) == {first.number}
    assert shown(number=first.number[:6]) == {first.number}
    assert shown(year=first.year) == {first.number, second.number}
    assert shown(year=first.year - 1) == set()
    assert shown(status="nonsense") == {first.number, second.number}


def test_the_register_marks_overdue_red_and_due_soon_yellow(city_supervisor, agency_a):
    """R16: a deadline passed shows red, one within two working days yellow, others plain."""
    late, soon, calm = (registered(agency_a) for _ in range(3))
    today = localdate()
    Complaint.objects.filter(pk=late.pk).update(due_on=today - timedelta(days=1))
    Complaint.objects.filter(pk=soon.pk).update(due_on=today)
    Complaint.objects.filter(pk=calm.pk).update(due_on=today + timedelta(days=30))
    html = client_for(city_supervisor).get(REGISTER).content.decode()
    rows = {
        c.number: re.search(rf"{c.number}</a>.*?</tr>", html, re.S).group(0)
        for c in (late, soon, calm)
    }
    assert 'data-due="red"' in rows[late.number]
    assert 'data-due="yellow"' in rows[soon.number]
    assert "data-due" not in rows[calm.number]


@pytest.mark.parametrize("count", [3, 10])
def test_the_register_page_queries_do_not_grow_with_rows(
    city_supervisor, agency_a, count, django_assert_max_num_queries
):
    for _ in range(count):
        complaint = registered(agency_a)
    Complaint.objects.filter(pk=complaint.pk).update(handler=city_supervisor)
    client = client_for(city_supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(REGISTER)
    assert response.status_code == 200
    assert len(re.findall(r'href="/complaints/staff/\d+/"', response.content.decode())) == count


def test_a_supervisor_registers_a_phone_complaint_with_its_real_receipt_date(
    city_supervisor, agency_a
):
    """R15, R16: numbered and registered; the 5 working days count from the day it came in."""
    client = client_for(city_supervisor)
    data = form_data(agency_a)
    response = client.post(NEW, data)
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == complaint.get_absolute_url()
    assert complaint.received_via == ReceivedVia.PHONE
    assert complaint.received_on == localdate() - timedelta(days=2)
    assert complaint.registered_by == city_supervisor
    assert complaint.acknowledge_by == acknowledge_deadline(complaint.received_on).deadline
    assert complaint.timeline.filter(kind=ComplaintEvent.Kind.REGISTERED).exists()


def test_the_access_code_is_shown_once_on_the_next_page_and_never_in_a_url(
    city_supervisor, agency_a
):
    """The supervisor passes the code to the complainant; it is not kept anywhere to show again."""
    client = client_for(city_supervisor)
    response = client.post(NEW, form_data(agency_a))
    complaint = Complaint.objects.get()
    first = client.get(response["Location"]).content.decode()
    code = access_code_in(first)
    assert code and access_codes.matches(code, complaint.access_code_hash)
    assert code not in response["Location"]
    assert access_code_in(client.get(response["Location"]).content.decode()) is None


def test_a_registered_letter_keeps_its_scan_and_it_downloads_through_the_register(
    city_supervisor, agency_a, media
):
    client = client_for(city_supervisor)
    scan = SimpleUploadedFile("来信.pdf", PDF, content_type="application/pdf")
    client.post(NEW, form_data(agency_a, received_via=ReceivedVia.LETTER, attachments=[scan]))
    complaint = Complaint.objects.get()
    attachment = complaint.attachments.get()
    url = reverse("complaints:staff-attachment", args=[complaint.pk, attachment.pk])
    assert url in client.get(complaint.get_absolute_url()).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF


def test_a_renamed_executable_is_refused_and_nothing_is_registered(
    city_supervisor, agency_a, media
):
    fake = SimpleUploadedFile("来信.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = client_for(city_supervisor).post(NEW, form_data(agency_a, attachments=[fake]))
    assert response.status_code == 400
    assert "不是可接受的" in response.content.decode()
    assert not Complaint.objects.exists()


def test_registration_refuses_missing_facts_in_chinese(city_supervisor, agency_a):
    client = client_for(city_supervisor)
    html = client.post(NEW, form_data(agency_a, description="")).content.decode()
    assert "请填写投诉事项。" in html
    html = client.post(NEW, form_data(agency_a, phone="", email="")).content.decode()
    assert "请至少留下联系电话或电子信箱" in html
    future = f"{localdate() + timedelta(days=1):%Y-%m-%d}"
    html = client.post(NEW, form_data(agency_a, received_on=future)).content.decode()
    assert "收到日期不能晚于今天。" in html
    assert not Complaint.objects.exists()


def test_a_supervisor_cannot_register_against_an_agency_outside_the_region(
    city_supervisor, agency_b
):
    """Only agencies the supervisor supervises are offered; another city's is refused."""
    client = client_for(city_supervisor)
    assert agency_b.name not in client.get(NEW).content.decode()
    response = client.post(NEW, form_data(agency_b))
    assert response.status_code == 400
    assert not Complaint.objects.exists()
