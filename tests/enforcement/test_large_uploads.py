"""Large audio-video records of a case (R6, issue 5): the upload streams to a temporary file and
on to storage, and is hashed in chunks, so a video is never held whole in a worker's memory.
bench/upload_stream.py proves the same with a 500 MB file through gunicorn."""

import datetime
import hashlib
import tracemalloc

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import (
    SimpleUploadedFile,
    TemporaryUploadedFile,
    UploadedFile,
)
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from enforcement.models import Case, CaseRecord, Party
from enforcement.services.cases import PartyInput, case_open, record_limits
from enforcement.views import cases as case_views
from portal import uploads
from tests.conftest import client_for
from tests.enforcement.staff_factories import make_published
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024
FTYP = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


def mp4(size: int) -> bytes:
    """A video by its content: the ftyp box, then filler that differs along the file."""
    body = bytearray(FTYP)
    n = 0
    while len(body) < size:
        body += n.to_bytes(4, "big") * 16384
        n += 1
    return bytes(body[:size])


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Storage and the upload handler's temporary files, each in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "upload-tmp"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def officers(agency_a):
    return [OfficerFactory(agency=agency_a), OfficerFactory(agency=agency_a)]


@pytest.fixture
def case(agency_a, inspector_a, legal_office_a, city_supervisor, officers):
    return case_open(
        agency=agency_a,
        power_item=make_published(agency_a, inspector_a, legal_office_a, city_supervisor),
        source=Case.Source.INSPECTION,
        summary="涉嫌销售过期食品",
        parties=[
            PartyInput(kind=Party.Kind.LEGAL_PERSON, name="某超市", identifier="91350100M000100Y43")
        ],
        officers=officers,
        actor=inspector_a,
    )


def form_data(officer, data: bytes, name: str = "执法记录仪.mp4") -> dict:
    return {
        "add-kind": CaseRecord.Kind.AUDIO_VIDEO,
        "add-evidence_type": "audiovisual",
        "add-title": "执法记录仪视频",
        "add-recorded_by": officer.pk,
        "add-recorded_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "add-recorded_place": "某超市",
        "add-file": SimpleUploadedFile(name, data, content_type="video/mp4"),
    }


def files_in(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def stored_sha256(record: CaseRecord) -> str:
    digest = hashlib.sha256()
    with record.file.open("rb") as handle:
        for chunk in handle.chunks():
            digest.update(chunk)
    return digest.hexdigest()


@pytest.fixture
def received(monkeypatch):
    """What the record service is handed by the page: the upload's class and where it lies."""
    seen = {}
    service = case_views.case_record_add

    def spy(**kwargs):
        upload = kwargs["file"]
        seen["class"] = type(upload)
        seen["on_disk"] = hasattr(upload, "temporary_file_path")
        return service(**kwargs)

    monkeypatch.setattr(case_views, "case_record_add", spy)
    return seen


@pytest.mark.parametrize(
    ("memory_limit", "size"),
    [(None, 8 * MIB), (64 * 1024, MIB)],
    ids=["project-setting-8MiB", "64KiB-limit-1MiB"],
)
def test_a_multi_megabyte_video_goes_to_a_temporary_file_and_is_stored_with_its_digest(
    settings,
    media,
    inspector_a,
    case,
    officers,
    received,
    memory_limit,
    size,
    django_assert_max_num_queries,
):
    """Above FILE_UPLOAD_MAX_MEMORY_SIZE (the project keeps Django's 2.5 MB) Django's temporary
    file handler takes the body: the service gets a TemporaryUploadedFile, and the stored file
    has the upload's size and SHA-256; the temporary file is gone afterwards."""
    if memory_limit is not None:
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = memory_limit
    assert size > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    data = mp4(size)
    client = client_for(inspector_a)
    with django_assert_max_num_queries(28):
        response = client.post(
            reverse("cases:record-add", args=[case.pk]), form_data(officers[0], data)
        )
    assert response.status_code == 302
    assert received == {"class": TemporaryUploadedFile, "on_disk": True}
    record = case.records.get()
    assert (record.size, record.extension) == (size, "mp4")
    assert record.sha256 == hashlib.sha256(data).hexdigest() == stored_sha256(record)
    assert files_in(settings.FILE_UPLOAD_TEMP_DIR) == []


class ReadRecorder:
    """A file that notes the size of every read asked of it."""

    def __init__(self, file):
        self.file, self.sizes = file, []

    def read(self, size=-1):
        self.sizes.append(size)
        return self.file.read(size)

    def __getattr__(self, name):
        return getattr(self.file, name)


def temporary_upload(data: bytes) -> TemporaryUploadedFile:
    upload = TemporaryUploadedFile("执法记录仪.mp4", "video/mp4", len(data), None)
    upload.write(data)
    upload.seek(0)
    return upload


def test_the_sha256_is_computed_in_chunks_never_by_reading_the_whole_file():
    """The content check reads the head and then one bounded chunk at a time."""
    data = mp4(12 * MIB)
    upload = temporary_upload(data)
    recorder = upload.file = ReadRecorder(upload.file)
    checked = uploads.check_file(upload, limits=record_limits(CaseRecord.Kind.AUDIO_VIDEO))
    assert checked.sha256 == hashlib.sha256(data).hexdigest() and checked.size == len(data)
    chunk = UploadedFile.DEFAULT_CHUNK_SIZE
    assert all(size is not None and 0 < size <= chunk for size in recorder.sizes)
    assert len(recorder.sizes) > len(data) // chunk


def test_the_upload_path_holds_only_a_small_part_of_the_file_in_memory(
    media, inspector_a, case, officers
):
    """From the request body to the stored record (form, content check, SHA-256, storage), the
    page allocates well under 10 % of a 16 MiB video at any moment; the body itself is built
    before measuring, as a server's socket would hold it."""
    data = mp4(16 * MIB)
    url = reverse("cases:record-add", args=[case.pk])
    request = RequestFactory().post(url, form_data(officers[0], data))
    request.user = inspector_a
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    tracemalloc.start()
    try:
        response = case_views.record_add(request, pk=case.pk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        request.close()  # as the handler does: the temporary file, moved to storage, is let go
    assert response.status_code == 302
    assert case.records.get().sha256 == hashlib.sha256(data).hexdigest()
    assert peak < len(data) // 10, f"peak {peak / MIB:.1f} MiB"


def test_a_video_over_the_limit_is_refused_in_chinese_and_nothing_is_kept(
    settings, media, inspector_a, case, officers
):
    """R6 bad input: the limit (CASE_MAX_VIDEO_MB) is told in Chinese; no record, no stored
    file, no temporary file is left."""
    settings.CASE_MAX_VIDEO_MB = 1
    response = client_for(inspector_a).post(
        reverse("cases:record-add", args=[case.pk]), form_data(officers[0], mp4(3 * MIB))
    )
    assert response.status_code == 400
    assert "“执法记录仪.mp4”超过了视频的大小上限 1.0\xa0MB。" in response.content.decode()
    assert not case.records.exists()
    assert files_in(media) == [] and files_in(settings.FILE_UPLOAD_TEMP_DIR) == []


def test_the_outsider_uploading_a_large_video_is_refused_and_nothing_is_kept(
    settings, media, outsider_b, case, officers
):
    """Agency B's staff cannot add a record to agency A's case, however large the file."""
    response = client_for(outsider_b).post(
        reverse("cases:record-add", args=[case.pk]), form_data(officers[0], mp4(4 * MIB))
    )
    assert response.status_code == 404
    assert not case.records.exists()
    assert files_in(media) == [] and files_in(settings.FILE_UPLOAD_TEMP_DIR) == []
