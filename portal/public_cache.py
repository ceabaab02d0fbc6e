"""A shared cache of anonymous responses for public pages that many people read.

Entries are keyed by a generation token kept in the same shared cache (Redis in production): every
publication or withdrawal replaces the token after commit, so from that moment every cached page is
out of use and the public never sees a withdrawn item. The token is random, not a counter, so a
cache that loses it can never bring old entries back. Entries also expire after a short time, which
bounds how long other public facts (an agency's phone number) may lag.
"""

from collections.abc import Callable
from functools import wraps
from hashlib import sha256
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

GENERATION_KEY = "public-cache:generation"
TIMEOUT = 120  # seconds; the generation token, not this, keeps publications exact


def _new_generation() -> str:
    token = uuid4().hex
    cache.add(GENERATION_KEY, token, None)  # another process may have set one first
    return cache.get(GENERATION_KEY, token)


def public_cache_invalidate() -> None:
    """Retire every cached public page once the current transaction commits."""
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid4().hex, None))


def _key(request: HttpRequest) -> str:
    query = "&".join(sorted(request.GET.urlencode().split("&")))
    raw = f"{request.path}?{query}|{get_language()}"
    return f"public-cache:{sha256(raw.encode()).hexdigest()}"


def cached_for_the_public(view: Callable) -> Callable:
    """Serve anonymous GETs of `view` from the shared cache; staff always get a fresh page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if (
            not settings.PUBLIC_CACHE_ENABLED
            or request.method != "GET"
            or request.user.is_authenticated
        ):
            return view(request, *args, **kwargs)
        key = _key(request)
        # One round trip: the current generation and the entry, which says its own generation.
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY) or _new_generation()
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            return HttpResponse(entry[1], content_type=entry[2])
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, (generation, response.content, response["Content-Type"]), TIMEOUT)
        return response

    return wrapped
