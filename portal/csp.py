"""The content security policy's middleware: django-csp's, with the policy of an ordinary
response built once per process.

django-csp builds the header anew for every response (the settings' directives copied, turned
into a dataclass, then into text, twice: the policy and the report-only one): a fifth of the
cost of the cheapest page (issue 15, the trivial view). A response is ordinary when no
decorator set its own policy (`csp_update`, `csp_replace`, `csp` on the view: attributes on the
response) and the page asked for no nonce; its header depends on the settings alone, so it is
built once and rebuilt when the settings change (tests). Any other response goes through
django-csp's own code, unchanged.
"""

from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

POLICY = "CONTENT_SECURITY_POLICY"
# What a decorator leaves on a response to change its policy (django-csp's names).
PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@cache
def _ordinary_headers() -> tuple[str, str]:
    """The policy and the report-only policy of an ordinary response, as django-csp builds
    them (its own code, on a response with nothing of its own and a request with no nonce)."""
    request, response = HttpRequest(), HttpResponse()
    CSPMiddleware(lambda request: response).process_response(request, response)
    return response.get(HEADER, ""), response.get(HEADER_REPORT_ONLY, "")


@receiver(setting_changed)
def _policy_changed(*, setting, **kwargs):
    if setting.startswith(POLICY) or setting == "DEBUG":
        _ordinary_headers.cache_clear()


def _excluded(request, setting: str) -> bool:
    prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
    return request.path_info.startswith(tuple(prefixes))


class PolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        ordinary = getattr(request, "_csp_nonce", None) is None and not any(
            hasattr(response, name) for name in PER_RESPONSE
        )
        if not ordinary:
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response  # django-csp leaves the debug pages alone
        policy, report_only = _ordinary_headers()
        for header, value, exempt, setting in (
            (HEADER, policy, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (
                HEADER_REPORT_ONLY,
                report_only,
                "_csp_exempt_ro",
                "CONTENT_SECURITY_POLICY_REPORT_ONLY",
            ),
        ):
            if (
                value
                and header not in response
                and getattr(response, exempt, False) is False
                and not _excluded(request, setting)
            ):
                response[header] = value
        # As django-csp: a nonce asked for once the header is written would not be in it.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
