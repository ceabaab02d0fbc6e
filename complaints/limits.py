"""Abuse limits on the public complaint forms and API (django-ratelimit on the shared cache).

Filing counts every attempt per address and per phone number; tracking counts failed attempts
(a wrong code and an unknown number alike) per address and per register number, so that nobody
can guess codes, while a complainant who knows its code is never locked out by checking often.
The rates are settings read from the environment; RATELIMIT_ENABLE=0 turns all of them off.
"""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django_ratelimit.core import get_usage, is_ratelimited


def _hit(request, *, group: str, value: str, rate: str, increment: bool) -> bool:
    return is_ratelimited(
        request, group=group, key=lambda _group, _request: value, rate=rate, increment=increment
    )


def _ip(request) -> str:
    # The client's address as the login lockout reads it: behind the reverse proxy
    # (AXES_PROXY_COUNT), REMOTE_ADDR would put the whole public in one bucket.
    return get_client_ip_address(request) or ""


def filing_refused(request, *, phone: str = "") -> bool:
    """Count this filing; True if its address or phone number has filed too often."""
    by_ip = _hit(
        request,
        group="complaints.file.ip",
        value=_ip(request),
        rate=settings.COMPLAINT_FILE_RATE_IP,
        increment=True,
    )
    by_phone = bool(phone) and _hit(
        request,
        group="complaints.file.phone",
        value=phone,
        rate=settings.COMPLAINT_FILE_RATE_PHONE,
        increment=True,
    )
    return by_ip or by_phone


def _tracking(request, number: str, *, increment: bool) -> bool:
    by_ip = _hit(
        request,
        group="complaints.track.ip",
        value=_ip(request),
        rate=settings.COMPLAINT_TRACK_RATE_IP,
        increment=increment,
    )
    by_number = _hit(
        request,
        group="complaints.track.number",
        value=_number(number),
        rate=settings.COMPLAINT_TRACK_RATE_NUMBER,
        increment=increment,
    )
    return by_ip or by_number


def tracking_refused(request, *, number: str) -> bool:
    """True if this address or this number has used up its failed attempts (a rate of 10/h
    allows 10 failures; the 11th attempt is refused, even with the right code)."""
    if not settings.RATELIMIT_ENABLE:
        return False
    checks = (
        ("complaints.track.ip", _ip(request), settings.COMPLAINT_TRACK_RATE_IP),
        ("complaints.track.number", _number(number), settings.COMPLAINT_TRACK_RATE_NUMBER),
    )
    for group, value, rate in checks:
        usage = get_usage(request, group=group, key=lambda _g, _r, v=value: v, rate=rate)
        if usage is not None and usage["count"] >= usage["limit"]:
            return True
    return False


def _number(number: str) -> str:
    return (number or "").strip().upper()


def tracking_failed(request, *, number: str) -> None:
    """Count one failed attempt against the address and the number."""
    _tracking(request, number, increment=True)
