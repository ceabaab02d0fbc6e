"""Abuse limits on the public complaint forms and API (django-ratelimit on the shared cache).

Filing counts every attempt per address and per phone number. Tracking counts failed attempts
(a wrong code and an unknown number alike) through `portal.throttle`: an address that fails too
often on one number is refused that number; a number failed from many addresses, or an address
failing on many numbers, must solve a proof-of-work challenge that grows with the guesser's
failures. Nobody can lock a complainant out, and a complainant who knows its code is never
throttled by checking often. The rates are settings; RATELIMIT_ENABLE=0 turns all of them off.
"""

from django.conf import settings
from django_ratelimit.core import is_ratelimited

from portal import throttle


def _hit(request, *, group: str, value: str, rate: str, increment: bool) -> bool:
    return is_ratelimited(
        request, group=group, key=lambda _group, _request: value, rate=rate, increment=increment
    )


def _ip(request) -> str:
    # The client's address as the login lockout reads it: behind the reverse proxy
    # (AXES_PROXY_COUNT), REMOTE_ADDR would put the whole public in one bucket.
    return throttle.client_address(request)


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


TRACK = "track"


def _number(number: str) -> str:
    return (number or "").strip().upper()


def tracking_refused(request, *, number: str) -> bool:
    """True if this address has used up its failed attempts on this number (COMPLAINT_TRACK_RATE_
    NUMBER: a rate of 10/h allows 10 failures; the 11th is refused, even with the right code).
    Only that address is refused: the complainant elsewhere still gets in."""
    return throttle.pair_refused(request, scope=TRACK, target=_number(number))


def tracking_work_required(request, *, number: str) -> int:
    """The proof of work an attempt on this number must carry now (0: none): once the number
    has failed COMPLAINT_TRACK_RATE_NUMBER times from anywhere, or this address
    COMPLAINT_TRACK_RATE_IP times on any numbers."""
    return throttle.work_required(request, scope=TRACK, target=_number(number))


def tracking_failed(request, *, number: str) -> None:
    """Count one failed attempt against the address, the number and the pair."""
    throttle.record_failure(request, scope=TRACK, target=_number(number))
