"""Writes of the complaints app. Each is atomic and records who acted."""

from django.db import transaction

from ..models import ComplaintChannel


@transaction.atomic
def complaint_channel_save(*, channel: ComplaintChannel, actor) -> ComplaintChannel:
    """R14: publish (or correct) how a government receives complaints."""
    channel.full_clean()
    channel._history_user = actor
    channel.save()
    return channel
