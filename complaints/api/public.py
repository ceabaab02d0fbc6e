"""The public complaints API: file a complaint (R15, R16) and follow it (R17).

No login and no session: `authentication_classes = []` means no CSRF token is needed either.
Abuse limits (`complaints.limits`) apply as on the pages; access codes travel only in the body.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import throttle

from .. import limits
from ..selectors.public import complaint_by_access, public_steps
from ..services.register import RepeatedSubmission, complaint_register
from .serializers import (
    ComplaintErrorSerializer,
    ComplaintFileSerializer,
    ComplaintReceiptSerializer,
    ComplaintRepeatedSerializer,
    ComplaintThrottledSerializer,
    ComplaintTrackQuerySerializer,
    ComplaintTrackSerializer,
)

FIELD_ERRORS = OpenApiResponse(description=gettext_lazy("输入有误：按字段列出中文说明"))


def field_errors(exc: DjangoValidationError, *, default_field: str) -> dict:
    """A service's ValidationError as DRF's field-keyed body; errors without a field are put
    under `default_field`."""
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if key == "__all__" else key): messages
            for key, messages in exc.message_dict.items()
        }
    return {default_field: exc.messages}


def _too_many(message: str) -> Response:
    return Response({"detail": message}, status=status.HTTP_429_TOO_MANY_REQUESTS)


class ComplaintFile(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        operation_id="complaints_create",
        summary=gettext_lazy("提交投诉"),
        description=gettext_lazy(
            "R15、R16：投诉登记编号，返回登记号、查询码和受理告知期限（收到之日起 5 个工作日）。"
            "可用 JSON，或 multipart/form-data 上传附件（重复 attachments 字段）。"
            "请求头 Idempotency-Key 可防止重复提交：同一键再次提交返回 409 和原登记号。"
        ),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description=gettext_lazy("客户端生成的唯一键（最长 64 字符），重复提交时返回 409"),
            )
        ],
        request={
            "application/json": ComplaintFileSerializer,
            "multipart/form-data": ComplaintFileSerializer,
        },
        responses={
            201: ComplaintReceiptSerializer,
            400: FIELD_ERRORS,
            409: ComplaintRepeatedSerializer,
            429: ComplaintErrorSerializer,
        },
        examples=[
            OpenApiExample(
                "receipt",
                value={
                    "number": "220100-2025-000001",
                    "access_code": "7KQM-H3TZ-P9WX",
                    "acknowledge_by": "2025-05-09",
                    "acknowledge_provisional": False,
                },
                response_only=True,
                status_codes=["201"],
            )
        ],
        auth=[],
    )
    def post(self, request):
        phone = request.data.get("phone", "")
        if limits.filing_refused(request, phone=phone if isinstance(phone, str) else ""):
            return _too_many(_("提交过于频繁，请稍后再试，或拨打投诉举报电话。"))
        body = ComplaintFileSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        token = (request.headers.get("Idempotency-Key") or "").strip()
        if len(token) > 64:
            raise ValidationError({"Idempotency-Key": [_("Idempotency-Key 不能超过 64 个字符。")]})
        try:
            receipt = complaint_register(
                actor=None, submission_token=token or None, **body.validated_data
            )
        except RepeatedSubmission as exc:
            return Response(
                {"detail": exc.messages[0], "number": exc.number}, status=status.HTTP_409_CONFLICT
            )
        except DjangoValidationError as exc:
            # Only the attachments check raises an error that names no field.
            raise ValidationError(field_errors(exc, default_field="attachments")) from None
        # ComplaintReceiptSerializer's fields, written as it writes them (its copy of its fields
        # on every filing cost more than the writing).
        data = {
            "number": receipt.number,
            "access_code": receipt.access_code,
            "acknowledge_by": receipt.acknowledge_by.isoformat(),
            "acknowledge_provisional": bool(receipt.complaint.acknowledge_provisional),
        }
        return Response(data, status=status.HTTP_201_CREATED)


class ComplaintTrack(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        operation_id="complaints_track",
        summary=gettext_lazy("查询投诉办理情况"),
        description=gettext_lazy(
            "R17：凭登记号和查询码查询状态、期限、受理决定、办理结果和公开的办理环节。"
            "查询码只在请求体中传递。登记号不存在与查询码错误返回相同的 404。"
            "同一网络地址对同一登记号失败过多时返回 429；登记号或网络地址失败较多时，"
            "返回 429 和 challenge，求解后把解放在 altcha 字段中重新提交。"
        ),
        request=ComplaintTrackQuerySerializer,
        responses={
            200: ComplaintTrackSerializer,
            400: FIELD_ERRORS,
            404: ComplaintErrorSerializer,
            429: ComplaintThrottledSerializer,
        },
        auth=[],
    )
    def post(self, request):
        body = ComplaintTrackQuerySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        number = body.validated_data["number"]
        if limits.tracking_refused(request, number=number):
            return _too_many(_("从您当前的网络地址查询这个登记号，失败次数过多，请一小时后再试。"))
        work = limits.tracking_work_required(request, number=number)
        if work and not throttle.solution_accepted(body.validated_data.get("altcha"), work=work):
            return Response(
                {
                    "detail": _(
                        "这个登记号或您所在网络近期查询失败较多，请先完成安全验证："
                        "求解 challenge，把解放在 altcha 字段中重新提交。"
                    ),
                    "challenge": throttle.challenge(work=work),
                },
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        complaint = complaint_by_access(
            number=number, access_code=body.validated_data["access_code"]
        )
        if complaint is None:
            limits.tracking_failed(request, number=number)
            return Response(
                {"detail": _("登记号或查询码不正确。")}, status=status.HTTP_404_NOT_FOUND
            )
        data = ComplaintTrackSerializer(complaint, context={"steps": public_steps(complaint)}).data
        return Response(data)
