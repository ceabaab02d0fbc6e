"""Throttling that slows the attacker and never locks out the rightful user.

Used by staff login and by the public's complaint tracking: both check a secret (a password, an
access code) for a target (an account, a register number) and must resist guessing. A lock on the
target alone would let anyone lock out its owner (register numbers are sequential; user names are
guessable), and a lock on an address would lock out a whole office behind one address. Instead:

- A failure counts three ways, in fixed windows (django-ratelimit on the shared cache): against
  the address (the source), the target, and the pair of both.
- The pair alone is refused once it reaches its limit: only that address, for only that target
  (for login, django-axes keeps that lock; for tracking, `pair_refused` below).
- Once the target or the source has reached its limit, every attempt on that target or from that
  source must carry a solved proof-of-work challenge (ALTCHA: no third-party service; the browser
  solves it in the background). Its work grows with the failures of the requesting source: the
  attacker's cost doubles with each failure, while an owner arriving from another address pays the
  base work, which the page has already done before it is submitted.

Challenges are signed (HMAC, derived from SECRET_KEY), expire, and are accepted once each.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

import altcha
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_ratelimit.core import get_usage
from rest_framework.throttling import BaseThrottle

CHALLENGE_FIELD = "altcha"
CHALLENGE_LIFETIME = timedelta(minutes=10)
_USED = "throttle:used:"
USERNAME_MAX = 150  # the User model's username max_length


@dataclass(frozen=True)
class Limits:
    """Failures allowed per window ("10/h") before the pair is refused, and before the target or
    the source needs a challenge."""

    pair: str
    target: str
    source: str


def _scope_limits(scope: str) -> Limits:
    if scope == "login":
        minutes = settings.AXES_COOLOFF_TIME * 60
        window = f"{settings.AXES_FAILURE_LIMIT}/{round(minutes)}m"
        return Limits(pair=window, target=window, source=window)
    if scope == "track":
        return Limits(
            pair=settings.COMPLAINT_TRACK_RATE_NUMBER,
            target=settings.COMPLAINT_TRACK_RATE_NUMBER,
            source=settings.COMPLAINT_TRACK_RATE_IP,
        )
    raise ValueError(scope)


def client_address(request) -> str:
    """The client's address, read one way by the login lockout (AXES_CLIENT_IP_CALLABLE), the
    throttle and the complaint limits: behind TRUSTED_PROXY_COUNT proxies (env AXES_PROXY_COUNT),
    the address the nearest proxy appended to X-Forwarded-For (what a client writes there itself
    is ignored);
    else REMOTE_ADDR. DRF's throttling reads it so (NUM_PROXIES), and axes without django-ipware
    would read only REMOTE_ADDR: behind the proxy, every client would be the proxy."""
    return BaseThrottle().get_ident(request) or ""


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _counter(request, scope: str, kind: str, value: str, rate: str, *, increment: bool):
    return get_usage(
        request,
        group=f"throttle.{scope}.{kind}",
        key=lambda _group, _request: _digest(value),
        rate=rate,
        increment=increment,
    )


@dataclass(frozen=True)
class Failures:
    pair: int
    target: int
    source: int
    pair_limit: int
    target_limit: int
    source_limit: int

    @property
    def pair_exhausted(self) -> bool:
        return self.pair >= self.pair_limit

    @property
    def hot(self) -> bool:
        return self.target >= self.target_limit or self.source >= self.source_limit


def _failures(request, scope: str, target: str, *, increment: bool) -> Failures | None:
    if not settings.RATELIMIT_ENABLE:
        return None
    limits, source = _scope_limits(scope), client_address(request)
    usage = {
        "pair": _counter(
            request, scope, "pair", f"{source}|{target}", limits.pair, increment=increment
        ),
        "target": _counter(request, scope, "target", target, limits.target, increment=increment),
        "source": _counter(request, scope, "source", source, limits.source, increment=increment),
    }
    if any(u is None for u in usage.values()):
        return None
    return Failures(
        **{kind: u["count"] for kind, u in usage.items()},
        **{f"{kind}_limit": u["limit"] for kind, u in usage.items()},
    )


def failures(request, *, scope: str, target: str) -> Failures | None:
    """The failures counted so far in this window (None when rate limits are switched off)."""
    return _failures(request, scope, target, increment=False)


def record_failure(request, *, scope: str, target: str) -> None:
    _failures(request, scope, target, increment=True)


def pair_refused(request, *, scope: str, target: str) -> bool:
    """True if this address has used up its failures against this target."""
    counted = failures(request, scope=scope, target=target)
    return counted is not None and counted.pair_exhausted


def _work(pair_failures: int, source_failures: int, source_limit: int) -> int:
    doublings = pair_failures + source_failures // max(source_limit, 1)
    return min(settings.THROTTLE_BASE_WORK * 2**doublings, settings.THROTTLE_MAX_WORK)


def work_required(request, *, scope: str, target: str) -> int:
    """The proof of work an attempt on `target` from this address must carry (0: none)."""
    counted = failures(request, scope=scope, target=target)
    if counted is None or not counted.hot:
        return 0
    return _work(counted.pair, counted.source, counted.source_limit)


def work_offered(request, *, scope: str) -> int:
    """The work a page asks of its browser before anyone has named a target: what an owner from
    this address needs on a target under attack."""
    if not settings.RATELIMIT_ENABLE:
        return settings.THROTTLE_BASE_WORK
    limits, source = _scope_limits(scope), client_address(request)
    usage = _counter(request, scope, "source", source, limits.source, increment=False)
    return _work(0, usage["count"], usage["limit"]) if usage else settings.THROTTLE_BASE_WORK


def _hmac_key() -> str:
    return salted_hmac("portal.throttle.challenge", "altcha").hexdigest()


def challenge(*, work: int) -> dict:
    """A signed challenge that costs on average work/2 hashes to solve, valid for 10 minutes."""
    made = altcha.create_challenge_v1(
        hmac_key=_hmac_key(),
        max_number=work,
        expires=timezone.now() + CHALLENGE_LIFETIME,
        params={"work": str(work)},
    )
    return made.to_dict()


def solution_accepted(payload: str | None, *, work: int) -> bool:
    """True if `payload` solves one of our challenges of at least `work`, unexpired, and unused
    (it is used up here)."""
    if not payload or not isinstance(payload, str) or len(payload) > 2000:
        return False
    try:
        decoded = altcha.PayloadV1.from_base64(payload)
        ok, _error = altcha.verify_solution_v1(decoded, _hmac_key(), check_expires=True)
        offered = int(altcha.extract_params_v1(decoded.to_dict()).get("work", ["0"])[0])
    except (ValueError, TypeError, KeyError, AttributeError):
        return False
    if not ok or offered < work:
        return False
    lifetime = int(CHALLENGE_LIFETIME.total_seconds())
    return cache.add(_USED + decoded.signature, 1, lifetime)


def login_username(request, credentials=None) -> str | None:
    """AXES_USERNAME_CALLABLE: the user name as axes records it, cut to a user name's length."""
    data = credentials if credentials else getattr(request, "data", None) or request.POST
    value = data.get(settings.AXES_USERNAME_FORM_FIELD) if hasattr(data, "get") else None
    return value[:USERNAME_MAX] if isinstance(value, str) else value
