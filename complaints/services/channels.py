"""Writes of the complaints app. Each is atomic and records who acted.

Also the channel that serves a complaint and the handling period counted from it, read by the
decision on acceptance, the handling, the deadline recompute and the pages that explain it."""

from django.db import transaction

from workdays.deadlines import Deadline, add_days

from ..models import Complaint, ComplaintChannel


@transaction.atomic
def complaint_channel_save(*, channel: ComplaintChannel, actor) -> ComplaintChannel:
    """R14: publish (or correct) how a government receives complaints."""
    channel.full_clean()
    channel._history_user = actor
    channel.save()
    return channel


def channel_for(complaint: Complaint) -> ComplaintChannel | None:
    """The channel of the complaint's government, or of the nearest government above it."""
    return complaint.region.nearest(ComplaintChannel.objects.filter(agency__isnull=True))


def handling_deadline(complaint: Complaint):
    """The handling period from acceptance (in days, Civil Code counting), then any extension
    counted from the end of the first period."""
    first = add_days(start=complaint.handling_started_on, days=complaint.handling_days)
    if not complaint.extension_days:
        return first
    second = add_days(start=first.deadline, days=complaint.extension_days)
    return Deadline(
        deadline=second.deadline,
        provisional=first.provisional or second.provisional,
        skipped=first.skipped + second.skipped,
        worked=first.worked + second.worked,
    )
