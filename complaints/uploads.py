"""Attachments to a complaint: accepted by what the bytes are, never by the name they carry.

The type is read from the file's content (the `filetype` library's signatures); the name's
extension must agree with it, so an executable renamed to .pdf, or a photo called .docx, is
refused. Sizes are limited per kind (settings, shown on the form before upload).
"""

import hashlib
import os
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MIB = 1024 * 1024

# kind -> (detected extension -> extensions a name may carry)
ACCEPTED = {
    "image": {"jpg": {"jpg", "jpeg"}, "png": {"png"}, "webp": {"webp"}, "heic": {"heic"}},
    "document": {"pdf": {"pdf"}, "docx": {"docx"}, "doc": {"doc"}},
    "video": {"mp4": {"mp4"}, "mov": {"mov"}, "m4v": {"m4v", "mp4"}, "3gp": {"3gp"}},
}
KIND_NAMES = {
    "image": gettext_lazy("照片"),
    "document": gettext_lazy("PDF 或 Word 文档"),
    "video": gettext_lazy("视频"),
}


def limits() -> dict[str, int]:
    """The largest accepted size of each kind, in bytes."""
    return {
        "image": settings.COMPLAINT_MAX_IMAGE_MB * MIB,
        "document": settings.COMPLAINT_MAX_DOCUMENT_MB * MIB,
        "video": settings.COMPLAINT_MAX_VIDEO_MB * MIB,
    }


def accept_attribute() -> str:
    """The file input's `accept`: a hint for the browser's picker, not a check."""
    return ",".join(f".{ext}" for kinds in ACCEPTED.values() for e in kinds.values() for ext in e)


def limits_text() -> str:
    """ "照片不超过 10 MB，…" for the form, so the limits are known before uploading."""
    return _("最多 %(count)s 个附件；%(limits)s。") % {
        "count": settings.COMPLAINT_MAX_ATTACHMENTS,
        "limits": _("，").join(
            _("%(kind)s不超过 %(size)s") % {"kind": KIND_NAMES[k], "size": filesizeformat(v)}
            for k, v in limits().items()
        ),
    }


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    original_name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def check_files(files) -> list[CheckedFile]:
    """Every file checked, or a ValidationError naming each refused one; nothing is saved."""
    files = list(files or [])
    if len(files) > settings.COMPLAINT_MAX_ATTACHMENTS:
        raise ValidationError(
            _("附件最多 %(count)s 个，您选择了 %(chosen)s 个。")
            % {"count": settings.COMPLAINT_MAX_ATTACHMENTS, "chosen": len(files)},
            code="too_many_files",
        )
    checked, errors = [], []
    for upload in files:
        try:
            checked.append(_check(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors, code="bad_file")
    return checked


def _check(upload: UploadedFile) -> CheckedFile:
    name = os.path.basename(upload.name or "")[:200] or "file"
    claimed = os.path.splitext(name)[1].lower().lstrip(".")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    detected = filetype.guess(head)
    kind = next(
        (k for k, types in ACCEPTED.items() if detected and detected.extension in types), None
    )
    if kind is None or claimed not in ACCEPTED[kind][detected.extension]:
        raise ValidationError(
            _("“%(name)s”不是可接受的照片、PDF、Word 文档或视频（按文件内容识别）。")
            % {"name": name},
            code="bad_type",
        )
    if upload.size > limits()[kind]:
        raise ValidationError(
            _("“%(name)s”超过了%(kind)s的大小上限 %(size)s。")
            % {"name": name, "kind": KIND_NAMES[kind], "size": filesizeformat(limits()[kind])},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": name}, code="empty")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        upload=upload,
        original_name=name,
        extension=detected.extension,
        content_type=detected.mime,
        size=upload.size,
        sha256=digest.hexdigest(),
    )
