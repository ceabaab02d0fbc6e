from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.public_cache import cached_for_the_public

from ..selectors import public as selectors


@require_GET
@cached_for_the_public
def channels(request: HttpRequest) -> HttpResponse:
    """R14: where and how the public may complain, per government."""
    return render(
        request, "complaints/public/channels.html", {"channels": selectors.published_channels()}
    )
