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

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

GENERATION_KEY = "public-cache:generation"
TIMEOUT = 120  # seconds; the generation token, not this, keeps publications exact


def _generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = uuid4().hex
        cache.add(GENERATION_KEY, token, None)
        token = cache.get(GENERATION_KEY, token)
    return token


def public_cache_invalidate() -> None:
    """Retire every cached public page once the current transaction commits."""
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid4().hex, None))


def _key(request: HttpRequest) -> str:
    query = "&".join(sorted(request.GET.urlencode().split("&")))
    raw = f"{request.path}?{query}|{get_language()}"
    return f"public-cache:{_generation()}:{sha256(raw.encode()).hexdigest()}"


def cached_for_the_public(view: Callable) -> Callable:
    """Serve anonymous GETs of `view` from the shared cache; staff always get a fresh page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = _key(request)
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, (response.content, response["Content-Type"]), TIMEOUT)
        return response

    return wrapped
