"""System checks of the complaints app (run by every `manage.py` command and at start)."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string


@register()
def sms_backend(app_configs, **kwargs):
    """A misspelt SMS_BACKEND would only show when the first notice fails: refuse to start."""
    try:
        backend = import_string(settings.SMS_BACKEND)
    except ImportError as exc:
        return [
            Error(
                f"SMS_BACKEND={settings.SMS_BACKEND!r} cannot be imported: {exc}",
                id="complaints.E001",
            )
        ]
    if not callable(getattr(backend, "send", None)):
        return [
            Error(
                f"SMS_BACKEND={settings.SMS_BACKEND!r} has no send(phone, text) method.",
                id="complaints.E002",
            )
        ]
    return []
