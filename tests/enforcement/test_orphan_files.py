"""Files left in storage by uploads whose transaction rolled back are swept daily (issue 5):
through the storage API only, past a grace period, never a file a row names."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from enforcement import tasks
from enforcement.models import CaseRecord
from enforcement.services.orphans import orphan_files_sweep
from tests.complaints.test_register import file_complaint
from tests.enforcement.staff_factories import make_published
from tests.enforcement.test_cases import MP4, PDF, PNG, add_record, open_case
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

PAST_GRACE = timedelta(hours=25)  # ORPHAN_FILE_GRACE_HOURS is 24
STORAGES = {
    "disk": "django.core.files.storage.FileSystemStorage",
    "memory": "django.core.files.storage.InMemoryStorage",  # no local path to walk
}


@pytest.fixture(autouse=True, params=list(STORAGES))
def storage(request, settings, tmp_path):
    """Every test runs on the local disk and on a storage that has no files on disk at all."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": STORAGES[request.param]}}
    return request.param


@pytest.fixture
def case(agency_a, inspector_a, legal_office_a, city_supervisor):
    item = make_published(agency_a, inspector_a, legal_office_a, city_supervisor)
    officers = [OfficerFactory(agency=agency_a, name=n) for n in ("李执法", "赵执法")]
    return open_case(agency_a, item, officers, inspector_a)


def rolled_back_record(case, actor) -> str:
    """A video record whose transaction rolls back after the service has stored its file."""
    with pytest.raises(RuntimeError), transaction.atomic():
        record = add_record(case, actor, name="执法记录仪.mp4", data=MP4, kind="audio_video")
        raise RuntimeError("the request failed after the record was stored")
    return record.file.name


def all_files(directory: str = "") -> list[str]:
    folders, files = default_storage.listdir(directory)
    names = [f"{directory}/{name}".lstrip("/") for name in files]
    for folder in folders:
        names += all_files(f"{directory}/{folder}".lstrip("/"))
    return names


def test_a_rolled_back_record_leaves_no_trace_after_the_sweep(case, inspector_a):
    name = rolled_back_record(case, inspector_a)
    assert not CaseRecord.objects.exists()
    assert all_files() == [name] and name.startswith("cases/")
    counts = orphan_files_sweep(now=timezone.now() + PAST_GRACE)
    assert counts == {"files": 1, "referenced": 0, "recent": 0, "deleted": 1}
    assert all_files() == []


def test_a_referenced_file_and_a_fresh_orphan_are_kept(case, inspector_a):
    """Within the grace period an unnamed file may still be awaiting its row's commit; a file a
    row names is kept however old it is."""
    kept = add_record(case, inspector_a).file.name
    fresh = rolled_back_record(case, inspector_a)
    counts = orphan_files_sweep()
    assert counts == {"files": 2, "referenced": 1, "recent": 1, "deleted": 0}
    assert sorted(all_files()) == sorted([kept, fresh])
    orphan_files_sweep(now=timezone.now() + PAST_GRACE)
    assert all_files() == [kept]


def test_the_sweep_can_run_again_and_deletes_nothing_more(case, inspector_a):
    kept = add_record(case, inspector_a).file.name
    rolled_back_record(case, inspector_a)
    later = timezone.now() + PAST_GRACE
    assert orphan_files_sweep(now=later)["deleted"] == 1
    assert orphan_files_sweep(now=later) == {
        "files": 1,
        "referenced": 1,
        "recent": 0,
        "deleted": 0,
    }
    assert all_files() == [kept]


def test_the_grace_period_is_a_setting(settings, case, inspector_a):
    settings.ORPHAN_FILE_GRACE_HOURS = 1
    name = rolled_back_record(case, inspector_a)
    assert orphan_files_sweep(now=timezone.now() + timedelta(minutes=30))["recent"] == 1
    assert orphan_files_sweep(now=timezone.now() + timedelta(hours=2))["deleted"] == 1
    assert name not in all_files()


def test_complaint_attachments_are_swept_alike_and_other_folders_are_left_alone(agency_a):
    """complaints/ holds only attachments, as cases/ holds only records; imports/ names its
    files in text fields and is never swept."""
    photo = SimpleUploadedFile("现场照片.png", PNG)
    attached = file_complaint(agency_a, attachments=[photo]).complaint.attachments.get()
    orphan = default_storage.save("complaints/2026/01/orphan.pdf", ContentFile(PDF))
    workbook = default_storage.save("imports/uploads/list.xlsx", ContentFile(b"PK\x03\x04"))
    counts = orphan_files_sweep(now=timezone.now() + PAST_GRACE)
    assert counts == {"files": 2, "referenced": 1, "recent": 0, "deleted": 1}
    assert sorted(all_files()) == sorted([attached.file.name, workbook])
    assert orphan not in all_files()


def test_the_daily_task_runs_the_sweep(settings, case, inspector_a):
    entry = settings.CELERY_BEAT_SCHEDULE["enforcement-sweep-orphan-files"]
    assert entry["task"] == tasks.sweep_orphan_files.name
    add_record(case, inspector_a)
    counts = tasks.sweep_orphan_files.delay().get()
    assert counts == {"files": 1, "referenced": 1, "recent": 0, "deleted": 0}
