"""Who may take each step of a complaint: the services check it first, and the pages and the API
ask it before they read a request's body (so that nobody learns the shape of a body they may
not send)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ..models import Complaint
from ..privacy import supervises


def may_handle(user, complaint: Complaint) -> bool:
    """The complaint's handler, or a supervisor of its register's region."""
    return complaint.handler_id == user.pk or supervises(user, complaint)


def _refusals():
    decide = (supervises, _("只有本辖区的政府法制监督人员可以作出受理决定。"))
    handle = (may_handle, _("只有承办人或本辖区的政府法制监督人员可以办理该投诉。"))
    return {
        "accept": decide,
        "refuse": decide,
        "transfer": decide,
        "assign": (supervises, _("只有本辖区的政府法制监督人员可以指定承办人。")),
        "ask": handle,
        "step": handle,
        "material": handle,
        "extend": handle,
        "close": handle,
        "refer": (supervises, _("只有本辖区的政府法制监督人员可以移送责任追究。")),
    }


def complaint_may(*, actor, complaint: Complaint, action: str) -> bool:
    """Whether `actor` may take `action` on `complaint` (its state aside: see `steps`)."""
    allowed, _reason = _refusals()[action]
    return bool(allowed(actor, complaint))


def complaint_check_permission(*, actor, complaint: Complaint, action: str) -> None:
    """PermissionDenied, with the reason, unless `actor` may take `action` on `complaint`."""
    allowed, reason = _refusals()[action]
    if not allowed(actor, complaint):
        raise PermissionDenied(reason)
