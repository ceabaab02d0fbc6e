"""The request's language: Django's LocaleMiddleware, without its work for language prefixes in
URLs when the URL configuration has none (the portal's has none: Chinese first, English by the
browser's Accept-Language or the language cookie).

Django's reads the language from the path twice per request even then, and asks whether prefixes
are used twice: about a twentieth of the trivial view's time (bench/intake_peers.py's
trivial-against-bare target). With prefixes in use it does exactly what Django's does."""

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


def _prefixed(request) -> bool:
    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    return is_language_prefix_patterns_used(urlconf)[0]


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_request(self, request):
        if _prefixed(request):
            return super().process_request(request)
        translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        if _prefixed(request):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
