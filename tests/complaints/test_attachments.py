"""Attachments are accepted by what their bytes are, never by the name they carry, within
limits the form states before upload."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints import uploads

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
PDF = b"%PDF-1.7\n" + b"1 0 obj\n" * 20
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 100
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
REFUSED = "不是可接受的照片、PDF、Word 文档或视频（按文件内容识别）"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "data", "extension"),
    [
        ("现场照片.JPG", JPG, "jpg"),
        ("现场照片.jpeg", JPG, "jpg"),
        ("screenshot.png", PNG, "png"),
        ("处罚决定书.pdf", PDF, "pdf"),
        ("情况说明.docx", docx(), "docx"),
        ("执法过程.mp4", MP4, "mp4"),
    ],
)
def test_it_accepts_photos_documents_and_videos_by_their_content(name, data, extension):
    (checked,) = uploads.check_files([upload(name, data)])
    assert checked.extension == extension
    assert checked.original_name == name and checked.size == len(data)
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("处罚决定书.pdf", EXE),  # an executable renamed to .pdf
        ("情况说明.docx", PNG),  # a photo called a Word document
        ("现场照片.jpg", HTML),  # a web page (with a script) called a photo
        ("notes.txt", b"plain text"),
        ("照片", PNG),  # no extension to agree with the content
    ],
)
def test_it_refuses_a_file_whose_content_is_not_what_its_name_says(name, data):
    with pytest.raises(ValidationError) as caught:
        uploads.check_files([upload(name, data)])
    assert caught.value.messages == [f"“{name}”{REFUSED}。"]


def test_it_names_every_refused_file_at_once():
    with pytest.raises(ValidationError) as caught:
        uploads.check_files([upload("a.pdf", EXE), upload("ok.png", PNG), upload("b.jpg", HTML)])
    assert len(caught.value.messages) == 2
    assert "“a.pdf”" in caught.value.messages[0] and "“b.jpg”" in caught.value.messages[1]


def test_the_stored_name_never_comes_from_the_uploader():
    (checked,) = uploads.check_files([upload("../../etc/passwd.png", PNG)])
    assert checked.original_name == "passwd.png"


def test_sizes_are_limited_per_kind(settings):
    settings.COMPLAINT_MAX_IMAGE_MB = 1
    settings.COMPLAINT_MAX_DOCUMENT_MB = 2
    big = b"\x00" * (1024 * 1024)
    with pytest.raises(ValidationError, match="超过了照片的大小上限"):
        uploads.check_files([upload("big.png", PNG + big)])
    (checked,) = uploads.check_files([upload("big.pdf", PDF + big)])  # a document may be larger
    assert checked.extension == "pdf"
    with pytest.raises(ValidationError, match="超过了PDF、Word 文档的大小上限"):
        uploads.check_files([upload("huge.pdf", PDF + big + big)])


def test_a_sixth_file_is_refused(settings):
    assert settings.COMPLAINT_MAX_ATTACHMENTS == 5
    five = [upload(f"{n}.png", PNG) for n in range(5)]
    assert len(uploads.check_files(five)) == 5
    with pytest.raises(ValidationError, match="附件最多 5 个，您选择了 6 个"):
        uploads.check_files([*five, upload("6.png", PNG)])


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError):
        uploads.check_files([upload("empty.pdf", b"")])


def test_the_form_states_the_limits_before_upload(settings):
    settings.COMPLAINT_MAX_IMAGE_MB = 10
    text = uploads.limits_text()
    assert text.startswith("最多 5 个附件")
    assert re.search(r"照片不超过 10\.0\sMB", text)
    assert re.search(r"PDF、Word 文档不超过 20\.0\sMB", text)
    assert re.search(r"视频不超过 100\.0\sMB", text)


def test_the_picker_hint_lists_the_accepted_extensions():
    accepted = uploads.accept_attribute().split(",")
    assert {".jpg", ".png", ".pdf", ".docx", ".mp4"} <= set(accepted)
    assert ".exe" not in accepted and ".html" not in accepted
