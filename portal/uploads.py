"""Uploaded files, accepted by what the bytes are, never by the name they carry.

The type is read from the file's content (the `filetype` library's signatures); the name's
extension must agree with it, so an executable renamed to .pdf, or a photo called .docx, is
refused. Each use (a complaint's attachments, a case's records) says which kinds it accepts and
the largest size of each (`limits`, kind -> bytes), shown on its form before upload.
"""

import hashlib
import os
from dataclasses import dataclass

import filetype
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
    "audio": {"mp3": {"mp3"}, "m4a": {"m4a"}, "wav": {"wav"}, "amr": {"amr"}, "aac": {"aac"}},
}
KIND_NAMES = {
    "image": gettext_lazy("照片"),
    "document": gettext_lazy("PDF、Word 文档"),
    "video": gettext_lazy("视频"),
    "audio": gettext_lazy("录音"),
}


def accept_attribute(limits: dict[str, int]) -> str:
    """The file input's `accept` for these kinds: a hint for the browser's picker, not a check."""
    extensions = (
        ext for kind in limits for names in ACCEPTED[kind].values() for ext in sorted(names)
    )
    return ",".join(f".{ext}" for ext in dict.fromkeys(extensions))


def limits_text(limits: dict[str, int], *, max_count: int) -> str:
    """The limits in words ("最多 5 个附件；照片不超过 10 MB，…"), shown before uploading."""
    return _("最多 %(count)s 个附件；%(limits)s。") % {
        "count": max_count,
        "limits": _("，").join(
            _("%(kind)s不超过 %(size)s") % {"kind": KIND_NAMES[k], "size": filesizeformat(v)}
            for k, v in limits.items()
        ),
    }


def _kinds_text(limits: dict[str, int]) -> str:
    """ "照片、PDF、Word 文档或视频"."""
    names = [str(KIND_NAMES[kind]) for kind in limits]
    if len(names) == 1:
        return names[0]
    return _("%(some)s或%(last)s") % {"some": _("、").join(names[:-1]), "last": names[-1]}


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    original_name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def check_files(files, *, limits: dict[str, int], max_count: int) -> list[CheckedFile]:
    """Every file checked, or a ValidationError naming each refused one; nothing is saved."""
    files = list(files or [])
    if len(files) > max_count:
        raise ValidationError(
            _("附件最多 %(count)s 个，您选择了 %(chosen)s 个。")
            % {"count": max_count, "chosen": len(files)},
            code="too_many_files",
        )
    checked, errors = [], []
    for upload in files:
        try:
            checked.append(check_file(upload, limits=limits))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors, code="bad_file")
    return checked


def check_file(upload: UploadedFile, *, limits: dict[str, int]) -> CheckedFile:
    """One file of a kind in `limits` and within its size, read in chunks (never whole)."""
    name = os.path.basename(upload.name or "")[:200] or "file"
    claimed = os.path.splitext(name)[1].lower().lstrip(".")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    detected = filetype.guess(head)
    kind = next((k for k in limits if detected and detected.extension in ACCEPTED[k]), None)
    if kind is None or claimed not in ACCEPTED[kind][detected.extension]:
        raise ValidationError(
            _("“%(name)s”不是可接受的%(kinds)s（按文件内容识别）。")
            % {"name": name, "kinds": _kinds_text(limits)},
            code="bad_type",
        )
    if upload.size > limits[kind]:
        raise ValidationError(
            _("“%(name)s”超过了%(kind)s的大小上限 %(size)s。")
            % {"name": name, "kind": KIND_NAMES[kind], "size": filesizeformat(limits[kind])},
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
