"""Refusals in the user's language: the error pages (400, 403, 404, 429, 500) and the API's error
bodies, in one place.

A page gets the portal's layout with the reason and a way back; a request under /api/ gets JSON
`{"detail": ...}`. Where a service or a view gave a reason (`PermissionDenied(_("…"))`,
`Http404(_("…"))`), that reason is shown; Django's and DRF's English defaults never are.
"""

import logging
import re

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import requires_csrf_token
from rest_framework import exceptions as drf
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
# A reason worth showing holds Chinese; Django's and DRF's defaults are English sentences that
# may have been raised with no argument or with an object's English class name.
_CJK = re.compile(r"[\u3400-\u9fff]")

TITLES = {
    400: gettext_lazy("请求有误"),
    403: gettext_lazy("没有权限"),
    404: gettext_lazy("页面不存在"),
    405: gettext_lazy("不支持的请求方式"),
    429: gettext_lazy("请求过于频繁"),
    500: gettext_lazy("系统出错"),
}


def default_reason(status: int) -> str:
    reasons = {
        400: _("提交的内容无法处理，请检查后重新提交。"),
        403: _("您没有权限访问此页面或执行此操作。如需访问，请联系本单位管理员。"),
        404: _("您要找的页面或对象不存在，或者您无权查看。"),
        405: _("不支持这种请求方式。"),
        429: _("请求过于频繁，请稍后再试。"),
        500: _("系统暂时出现故障，我们已记录该问题。请稍后再试；如情况紧急，请拨打投诉举报热线。"),
    }
    return reasons[status]


def title(status: int) -> str:
    return str(TITLES[status])


def _bad_request_reason(exception) -> str:
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return _(
            "提交的内容过大（表单文字部分不能超过 %(mb)s MB）。请精简内容，或把材料作为附件上传。"
        ) % {"mb": limit}
    if isinstance(exception, TooManyFieldsSent):
        return _("提交的字段过多，请检查表单后重新提交。")
    if isinstance(exception, TooManyFilesSent):
        return _("一次上传的文件过多，请减少文件数量后重新提交。")
    if isinstance(exception, MultiPartParserError):
        return _("表单的上传格式有误（multipart 分隔符无效），请刷新页面后重新提交。")
    if isinstance(exception, SuspiciousOperation):
        return _("请求不符合要求，已被拒绝。")
    return default_reason(400)


def reason_of(exception, status: int) -> str:
    """The reason the raiser gave, if it is one a user can read; else the status's default."""
    message = str(exception.args[0]) if exception is not None and exception.args else ""
    if status == 400 and not _CJK.search(message):
        return _bad_request_reason(exception)
    return message if _CJK.search(message) else default_reason(status)


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _way_back(request: HttpRequest) -> str:
    """The referring page of this site, else the home page."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return "/"


def refusal(
    request: HttpRequest, status: int, reason: str = "", *, headers: dict | None = None
) -> HttpResponse:
    """The answer to a refused request: JSON under /api/, else the error page."""
    reason = reason or default_reason(status)
    if is_api(request):
        response = JsonResponse(
            {"detail": reason}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    else:
        context = {
            "status": status,
            "title": title(status),
            "reason": reason,
            "back": _way_back(request),
            "PORTAL_NAME": settings.PORTAL_NAME,
        }
        # The 400 and 500 pages render without the request's context processors: the failure
        # may lie in the session or the database they would read.
        needs_request = status not in (400, 500)
        body = loader.get_template(f"{status}.html").render(
            context, request if needs_request else None
        )
        response = HttpResponse(body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# --- Django's error handlers (portal/urls/__init__.py names them)


@requires_csrf_token
def bad_request(request, exception=None, template_name="400.html"):
    return refusal(request, 400, reason_of(exception, 400))


@requires_csrf_token
def permission_denied(request, exception=None, template_name="403.html"):
    return refusal(request, 403, reason_of(exception, 403))


@requires_csrf_token
def page_not_found(request, exception=None, template_name="404.html"):
    return refusal(request, 404, reason_of(exception, 404))


@requires_csrf_token
def server_error(request, template_name="500.html"):
    return refusal(request, 500)


def csrf_failure(request, reason="", template_name="403_csrf.html"):
    """CSRF_FAILURE_VIEW: a form without its token, or from a page left open too long."""
    return refusal(
        request,
        403,
        _(
            "页面已过期或缺少安全令牌，提交未被接受。请刷新页面后重新填写提交；请勿从其他网站提交本站表单。"
        ),
    )


class BlankRefusals:
    """Middleware: a refusal that a decorator answered with an empty body (`require_POST`'s
    405, say) gets the same page or JSON as every other refusal, keeping its headers (Allow)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code in TITLES
            and not getattr(response, "streaming", False)
            and not response.content
        ):
            kept = {name: response[name] for name in ("Allow", "Retry-After") if name in response}
            return refusal(request, response.status_code, headers=kept)
        return response


# --- The API (REST_FRAMEWORK["EXCEPTION_HANDLER"])

_PARSE_REASONS = {
    "application/json": gettext_lazy(
        "请求体不是合法的 JSON，请检查格式（例如引号、逗号和括号是否配对）。"
    ),
    "multipart/form-data": gettext_lazy(
        "请求体不是合法的 multipart/form-data 格式，请检查分隔符（boundary）。"
    ),
    "application/x-www-form-urlencoded": gettext_lazy("请求体不是合法的表单编码格式。"),
}


def _api_reason(exc, request) -> str | None:
    """A Chinese reason for the exceptions whose default text is English or technical."""
    if isinstance(exc, drf.ParseError):
        given = str(exc.detail)
        if _CJK.search(given) and not given.startswith(("JSON", "Multipart")):
            return given
        content_type = (request.content_type or "").split(";")[0].strip() if request else ""
        return str(_PARSE_REASONS.get(content_type, _("请求体无法解析，请检查格式。")))
    if isinstance(exc, Http404):
        return reason_of(exc, 404)
    if isinstance(exc, drf.NotFound):
        given = str(exc.detail)
        return (
            given
            if _CJK.search(given) and given != str(exc.default_detail)
            else default_reason(404)
        )
    if isinstance(exc, drf.NotAuthenticated | drf.AuthenticationFailed):
        return _("请先登录。")
    if isinstance(exc, PermissionDenied | drf.PermissionDenied):
        given = str(exc.args[0]) if isinstance(exc, PermissionDenied) and exc.args else ""
        if isinstance(exc, drf.PermissionDenied):
            given = str(exc.detail)
        return given if _CJK.search(given) else default_reason(403)
    if isinstance(exc, drf.Throttled):
        if exc.wait:
            return _("请求过于频繁，请 %(seconds)d 秒后再试。") % {"seconds": int(exc.wait) + 1}
        return default_reason(429)
    if isinstance(exc, drf.UnsupportedMediaType):
        return _(
            "不支持该请求体格式（%(type)s），请使用 application/json 或 multipart/form-data。"
        ) % {"type": exc.args[0] if exc.args else ""}
    if isinstance(exc, drf.MethodNotAllowed):
        return _("不支持 %(method)s 请求。") % {"method": request.method if request else ""}
    if isinstance(exc, drf.NotAcceptable):
        return _("无法以请求的格式返回结果，请接受 application/json。")
    return None


def api_exception_handler(exc, context):
    """DRF's handler, with every refusal's detail in the request's language."""
    request = context.get("request")
    reason = _api_reason(exc, request)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handler answers
    if reason is not None:
        response.data = {"detail": reason}
    return response
