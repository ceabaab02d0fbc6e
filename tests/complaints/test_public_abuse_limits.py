"""Abuse limits on the public complaint pages: filing per address and per phone number,
tracking failures per address and per number. A refused request stores nothing."""

import pytest

from complaints.models import Complaint

from .test_filing_page import filing_data
from .test_tracking_page import RESULT, TRACK, filed

pytestmark = pytest.mark.django_db

FILE = "/complaints/file/"


@pytest.fixture
def low_rates(settings):
    settings.COMPLAINT_FILE_RATE_IP = "2/h"
    settings.COMPLAINT_FILE_RATE_PHONE = "2/h"
    settings.COMPLAINT_TRACK_RATE_IP = "3/h"
    settings.COMPLAINT_TRACK_RATE_NUMBER = "2/h"


def _file(client, agency, phone, n, **meta):
    data = filing_data(agency, phone=phone, description=f"第 {n} 件投诉的内容。")
    return client.post(FILE, data, **meta)


def test_filing_is_limited_per_address(public_client, agency_a, low_rates):
    for n, phone in enumerate(["13800000001", "13800000002"]):
        assert _file(public_client, agency_a, phone, n).status_code == 200
    refused = _file(public_client, agency_a, "13800000003", 3)
    assert refused.status_code == 429
    assert "提交过于频繁" in refused.content.decode()
    assert Complaint.objects.count() == 2


def test_filing_is_limited_per_phone_number_across_addresses(public_client, agency_a, low_rates):
    for n in range(2):
        response = _file(public_client, agency_a, "13800000009", n, REMOTE_ADDR=f"10.0.0.{n + 1}")
        assert response.status_code == 200
    refused = _file(public_client, agency_a, "138 0000 0009", 3, REMOTE_ADDR="10.0.0.9")
    assert refused.status_code == 429
    assert Complaint.objects.count() == 2


def test_tracking_from_an_address_that_failed_too_often_waits_even_with_the_right_code(
    public_client, agency_a, low_rates
):
    """As many failures as the rate allows (2/h per number and address): even the right code
    waits, from that address (the complainant elsewhere is not held up: test_tracking_throttle)."""
    receipt = filed(agency_a)
    for _ in range(2):
        wrong = public_client.post(TRACK, {"number": receipt.number, "access_code": "XXXX"})
        assert wrong.status_code == 400
    refused = public_client.post(
        TRACK, {"number": receipt.number, "access_code": receipt.access_code}
    )
    assert refused.status_code == 429
    assert "失败次数过多" in refused.content.decode()
    assert public_client.get(RESULT).status_code == 302


def test_an_address_failing_on_many_numbers_must_solve_a_challenge_for_the_next(
    public_client, agency_a, low_rates
):
    for n in range(3):
        public_client.post(TRACK, {"number": f"220100-2026-{n:06d}", "access_code": "XXXX"})
    refused = public_client.post(TRACK, {"number": "220100-2026-999999", "access_code": "XXXX"})
    assert refused.status_code == 429
    assert "安全验证" in refused.content.decode()


def test_checking_often_with_the_right_code_is_never_throttled(public_client, agency_a, low_rates):
    receipt = filed(agency_a)
    for _ in range(6):
        response = public_client.post(
            TRACK, {"number": receipt.number, "access_code": receipt.access_code}
        )
        assert response.status_code == 302
