"""The outbox: every notice about a complaint is a row written in the transaction of the change
that causes it, and delivered after commit by a task or, if the broker was down, by the periodic
sweep. A notice whose key exists already is not written again, so each is sent once.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import sms
from ..models import Complaint, Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12  # an hour of five-minute retries: a longer outage is an operator's matter


def notice(*, key: str, complaint: Complaint, channel: str, recipients, subject: str, body: str):
    """An unsaved notice (None when it would reach nobody), for `queue`."""
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return None
    return Notification(
        key=key,
        complaint=complaint,
        channel=channel,
        recipients=recipients,
        subject=subject[:200],
        body=body,
    )


def queue(notices) -> list[Notification]:
    """Write notices in one statement inside the caller's transaction, and deliver them in one
    task once it commits. A notice whose key exists is left as it is (its row is returned), so
    a change or a sweep that runs twice never writes or sends a second one."""
    by_key = {n.key: n for n in notices if n is not None}
    if not by_key:
        return []
    written = Notification.objects.bulk_create(
        by_key.values(), update_conflicts=True, unique_fields=["key"], update_fields=["key"]
    )
    pks = [n.pk for n in written]
    transaction.on_commit(lambda: _deliver_soon(pks))
    return written


def notify(*, key: str, complaint: Complaint, channel: str, recipients, subject: str, body: str):
    """Queue one notice; returns it, with the pk of the existing row if its key was written."""
    one = notice(
        key=key,
        complaint=complaint,
        channel=channel,
        recipients=recipients,
        subject=subject,
        body=body,
    )
    if one is None:
        return None
    return queue([one])[0]


def complainant_notices(*, complaint: Complaint, key: str, subject: str, body: str) -> list:
    """The notices to the complainant, through the channels it gave: e-mail, and SMS to a phone
    (R16, R17); none for an anonymous complaint."""
    if complaint.anonymous:
        return []
    footer = _("登记号：%(number)s。请凭登记号和查询码在投诉查询页面查看详情。") % {
        "number": complaint.number
    }
    return [
        notice(
            key=f"{key}:email",
            complaint=complaint,
            channel=Notification.Channel.EMAIL,
            recipients=[complaint.email],
            subject=subject,
            body=f"{body}\n\n{footer}",
        ),
        notice(
            key=f"{key}:sms",
            complaint=complaint,
            channel=Notification.Channel.SMS,
            recipients=[complaint.phone],
            subject=subject,
            body=f"【{subject}】{body} {footer}",
        ),
    ]


def notify_complainant(*, complaint: Complaint, key: str, subject: str, body: str) -> None:
    queue(complainant_notices(complaint=complaint, key=key, subject=subject, body=body))


def _deliver_soon(pks: list[int]) -> None:
    from ..tasks import deliver_notifications

    try:
        deliver_notifications.delay(pks)
    except Exception:  # noqa: BLE001 - a broker outage must not fail the request; the sweep sends
        logger.warning("Could not queue notices %s; the sweep will send them", pks, exc_info=True)


def notification_deliver(*, pk: int) -> bool:
    """Send one queued notice unless it was sent already or another worker holds it."""
    return notifications_deliver(pks=[pk]) == 1


def notifications_deliver(*, pks=None, limit: int = 500) -> int:
    """Send unsent notices (these `pks`, or the oldest `limit`), each once; returns how many.

    Each notice is locked, sent and marked sent in its own transaction, so two workers never
    send the same one and a worker that dies midway (acks_late: the task runs again) keeps the
    marks of the notices it had sent: only the one being handed over at that instant can go
    twice. A failure is recorded and left for the next sweep, up to MAX_ATTEMPTS times (then it
    stays unsent, with its last error, for a person to look at).
    """
    rows = Notification.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
    if pks is not None:
        rows = rows.filter(pk__in=pks)
    candidates = list(rows.order_by("pk").values_list("pk", flat=True)[:limit])
    return sum(_deliver_one(pk) for pk in candidates)


@transaction.atomic
def _deliver_one(pk: int) -> int:
    notification = (
        Notification.objects.select_for_update(skip_locked=True)
        .filter(pk=pk, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .first()
    )
    if notification is None:  # sent meanwhile, or another worker holds it
        return 0
    notification.attempts += 1
    try:
        _send(notification)
    except Exception as exc:  # noqa: BLE001 - one bad address must not stop the others
        logger.warning("Notification %s failed: %s", notification.pk, exc)
        notification.last_error = str(exc)[:500]
        notification.save(update_fields=["attempts", "last_error"])
        return 0
    notification.sent_at = timezone.now()
    notification.save(update_fields=["attempts", "sent_at"])
    return 1


def _send(notification: Notification) -> None:
    if notification.channel == Notification.Channel.SMS:
        for phone in notification.recipients:
            sms.send(phone, notification.body)
    else:
        send_mail(
            notification.subject,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            notification.recipients,
            fail_silently=False,
        )
