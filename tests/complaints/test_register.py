"""R15: every complaint is numbered and registered; a failed registration leaves no trace.

Also holds the small helpers the other complaint rule tests share (`file_complaint`, `png`).
"""

import itertools
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.timezone import localdate

from complaints.models import Category, Complaint, RefusalReason, RegisterCounter
from complaints.services import register
from complaints.services.decisions import complaint_refuse
from complaints.services.register import RepeatedSubmission, complaint_register

pytestmark = pytest.mark.django_db

_serial = itertools.count(1)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
EXE = b"MZ\x90\x00" + b"\x00" * 200


def png(name: str = "photo.png", data: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def file_complaint(agency, *, actor=None, **overrides):
    """Register a complaint through the service with sensible defaults; returns the Receipt.

    Each call describes a different matter, so the repeat detector never takes it for a resend.
    """
    fields = {
        "agency": agency,
        "category": Category.ARBITRARY,
        "description": f"执法人员未出示执法证件即查封店铺（第 {next(_serial)} 件）。",
        "occurred_on": date(2025, 12, 1),
        "complainant_name": "张三",
        "phone": "13800000000",
        "email": "zhangsan@example.com",
        "actor": actor,
    }
    fields.update(overrides)
    return complaint_register(**fields)


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_numbers_are_the_region_code_the_year_and_six_digits(agency_a):
    """R15: `<region code>-<year>-<6 digits>`, in the order of registration."""
    year = localdate().year
    first = file_complaint(agency_a)
    second = file_complaint(agency_a)
    assert first.number == f"220100-{year}-000001"
    assert second.number == f"220100-{year}-000002"
    assert (second.complaint.year, second.complaint.sequence) == (year, 2)


def test_each_government_keeps_its_own_register(agency_a, county_agency_a, agency_b):
    """R15: one sequence per register (the agency's region) and year."""
    year = localdate().year
    assert file_complaint(agency_a).number == f"220100-{year}-000001"
    assert file_complaint(county_agency_a).number == f"220122-{year}-000001"
    assert file_complaint(agency_b).number == f"220200-{year}-000001"
    assert file_complaint(agency_a).number == f"220100-{year}-000002"


def test_a_new_year_restarts_the_sequence_at_one(agency_a, monkeypatch):
    """R15: the register's year is the year of registration; each year starts at 000001."""
    monkeypatch.setattr(register, "localdate", lambda: date(2026, 12, 31))
    file_complaint(agency_a)
    assert file_complaint(agency_a).number == "220100-2026-000002"
    monkeypatch.setattr(register, "localdate", lambda: date(2027, 1, 4))
    assert file_complaint(agency_a).number == "220100-2027-000001"
    assert RegisterCounter.objects.get(region=agency_a.region, year=2026).last == 2


def test_a_failure_after_the_number_is_taken_leaves_no_gap_and_no_file(
    agency_a, media, monkeypatch
):
    """R15: the number is given back with the rollback and the saved attachment is deleted."""
    year = localdate().year

    def broken(**kwargs):
        raise RuntimeError("mail server exploded")

    with monkeypatch.context() as patch:
        patch.setattr(register, "notify_complainant", broken)
        with pytest.raises(RuntimeError):
            file_complaint(agency_a, attachments=[png()])
    assert not Complaint.objects.exists()
    assert stored_files(media) == []
    receipt = file_complaint(agency_a, attachments=[png()])
    assert receipt.number == f"220100-{year}-000001"
    assert len(stored_files(media)) == 1


def test_a_bad_attachment_refuses_the_whole_complaint_before_anything_is_written(agency_a, media):
    """R15: nothing is numbered and nothing stored when one file is refused."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="按文件内容识别"):
        file_complaint(agency_a, attachments=[png(), png("report.pdf", EXE)])
    assert not Complaint.objects.exists()
    assert stored_files(media) == []
    assert file_complaint(agency_a).complaint.sequence == 1


def test_the_register_keeps_refused_complaints_with_their_reason(agency_a, city_supervisor):
    """R15, R17: a complaint not accepted stays in the register with the reason told."""
    receipt = file_complaint(agency_a)
    complaint_refuse(
        complaint=receipt.complaint, actor=city_supervisor, reason=RefusalReason.UNDER_REVIEW
    )
    row = Complaint.objects.get(number=receipt.number)
    assert row.status == Complaint.Status.REFUSED
    assert row.refusal_reason == RefusalReason.UNDER_REVIEW
    assert row.get_refusal_reason_display() == "已申请行政复议或提起行政诉讼"
    assert Complaint.objects.filter(region=agency_a.region).count() == 1


def test_the_same_form_sent_twice_gets_the_first_number_back_and_no_new_one(agency_a):
    """R15: a resend is not a second complaint (nor a gap in the sequence)."""
    first = file_complaint(agency_a, submission_token="tok-1")
    with pytest.raises(RepeatedSubmission) as caught:
        file_complaint(agency_a, submission_token="tok-1")
    assert caught.value.number == first.number
    assert file_complaint(agency_a).complaint.sequence == 2


def test_the_same_complaint_filed_again_at_once_is_a_repeat(agency_a):
    """R15: the same matter from the same person within minutes is not registered twice."""
    first = file_complaint(agency_a, description="同一件事。")
    with pytest.raises(RepeatedSubmission):
        file_complaint(agency_a, description="同 一件事。")
    assert Complaint.objects.count() == 1 and first.complaint.sequence == 1


def test_registration_writes_a_public_timeline_row(agency_a):
    """R15: the register's first step is visible to the complainant."""
    complaint = file_complaint(agency_a).complaint
    (event,) = complaint.timeline.all()
    assert event.kind == "registered" and event.public and complaint.number in event.note
