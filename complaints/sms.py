"""Text messages to complainants, behind one small interface (`send(phone, text)`).

Deployments name their operator's gateway in SMS_BACKEND; development and tests use the
logging backend, which also keeps what it sent in `outbox` as Django's locmem mail backend does.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class LogBackend:
    """Writes each message to the log instead of sending it."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)
        LogBackend.outbox.append((phone, text))


def send(phone: str, text: str) -> None:
    import_string(settings.SMS_BACKEND)().send(phone, text)
