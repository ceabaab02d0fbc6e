"""A complaint's attachments: photos, PDF or Word documents and videos, up to
COMPLAINT_MAX_ATTACHMENTS, each checked by its content (`portal.uploads`)."""

from django.conf import settings

from portal import uploads
from portal.uploads import MIB, CheckedFile

__all__ = ["CheckedFile", "accept_attribute", "check_files", "limits", "limits_text"]


def limits() -> dict[str, int]:
    """The kinds a complaint accepts and the largest size of each, in bytes (settings)."""
    return {
        "image": settings.COMPLAINT_MAX_IMAGE_MB * MIB,
        "document": settings.COMPLAINT_MAX_DOCUMENT_MB * MIB,
        "video": settings.COMPLAINT_MAX_VIDEO_MB * MIB,
    }


def check_files(files) -> list[CheckedFile]:
    return uploads.check_files(files, limits=limits(), max_count=settings.COMPLAINT_MAX_ATTACHMENTS)


def accept_attribute() -> str:
    return uploads.accept_attribute(limits())


def limits_text() -> str:
    return uploads.limits_text(limits(), max_count=settings.COMPLAINT_MAX_ATTACHMENTS)
