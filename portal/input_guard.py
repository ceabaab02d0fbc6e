"""Control characters are refused at the edge, before any view, with one clear message.

NUL and the other C0 and C1 control characters have no place in a path, a query string, a form
field, a file name or a JSON string; PostgreSQL cannot even store NUL. Tab, line feed and carriage
return remain allowed in submitted text (a textarea's lines), never in a path or query string.
A JSON body must also be an object: every endpoint of the API takes named fields.
"""

import json
import re

from django.utils.translation import gettext as _

from .errors import refusal

# C0 controls and DEL and C1 controls; in bodies, tab, LF and CR are text.
_IN_URL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def control_character_message() -> str:
    return _("提交的内容含有不允许的控制字符（如空字符 NUL），请删除后重新提交。")


def _json_has_control(value) -> bool:
    if isinstance(value, str):
        return bool(_IN_TEXT.search(value))
    if isinstance(value, dict):
        return any(_json_has_control(k) or _json_has_control(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_json_has_control(item) for item in value)
    return False


def _form_has_control(request) -> bool:
    for key, values in request.POST.lists():
        if _IN_TEXT.search(key) or any(_IN_TEXT.search(v) for v in values):
            return True
    return any(_IN_URL.search(f.name or "") for f in request.FILES.values())


def _json_refusal(request):
    """The JSON body's flaw, if any: not an object, or a control character in a string. A body
    that does not parse is left to the API, which says so in its own words."""
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return refusal(request, 400, _("请求体应为 JSON 对象（以 { 开头，按字段名给出各项内容）。"))
    if _json_has_control(data):
        return refusal(request, 400, control_character_message())
    return None


class ControlCharacterGuard:
    """Middleware: refuse a request carrying control characters, or a JSON body that is not an
    object, with a 400 in the request's language (after LocaleMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = self._refusal(request)
        return refused if refused is not None else self.get_response(request)

    def _refusal(self, request):
        # The query string is parsed only when there is one (most requests have none).
        if _IN_URL.search(request.path) or (
            request.META.get("QUERY_STRING")
            and any(_IN_URL.search(k) or _IN_URL.search(v) for k, v in _query_items(request))
        ):
            return refusal(request, 400, control_character_message())
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        content_type = request.content_type or ""
        if content_type in _FORMS and _form_has_control(request):
            return refusal(request, 400, control_character_message())
        if content_type == "application/json" and request.META.get("CONTENT_LENGTH") not in (
            None,
            "",
            "0",
        ):
            return _json_refusal(request)
        return None


def _query_items(request):
    for key, values in request.GET.lists():
        for value in values:
            yield key, value
