"""The public deadline API: GET /api/v1/workdays/deadline/."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import deadlines
from .forms import DeadlineQueryForm
from .serializers import DeadlineQueryErrorSerializer, DeadlineSerializer


def _errors(form: DeadlineQueryForm) -> dict[str, list[str]]:
    """Form errors in DRF's shape: messages per parameter, non_field_errors for the rest."""
    return {
        ("non_field_errors" if field == "__all__" else field): [str(m) for m in messages]
        for field, messages in form.errors.items()
    }


class DeadlineView(APIView):
    """Anyone may check a time limit: no login, no session needed."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        operation_id="workdays_deadline",
        summary=_("计算期限"),
        description=_(
            "按《民法典》第二百零一条至第二百零三条计算期间的最后一日：开始的当日不计入；"
            "按月计算的，到期月的对应日为最后一日，没有对应日的为月末日；最后一日是法定休假日的，"
            "顺延至休假日结束的次日。工作日依国务院节假日安排（含调休）。尚未载入安排的年份按"
            "周一至周五并扣除固定日期的法定节假日计算，结果标注为暂定（provisional）。"
            "working_days 与 months 须且只须提供一个。"
        ),
        parameters=[
            OpenApiParameter(
                "start", OpenApiTypes.DATE, required=True, description=_("开始日期，YYYY-MM-DD")
            ),
            OpenApiParameter(
                "working_days",
                OpenApiTypes.INT,
                description=_("工作日数，1 至 1000"),
            ),
            OpenApiParameter(
                "months",
                OpenApiTypes.INT,
                description=_("月数，1 至 120"),
            ),
        ],
        responses={
            200: DeadlineSerializer,
            400: OpenApiResponse(
                DeadlineQueryErrorSerializer, description=_("参数有误，消息使用请求的语言")
            ),
        },
        examples=[
            OpenApiExample(
                "national_day",
                summary="国庆节顺延（start=2026-09-30&working_days=1）",
                value={
                    "deadline": "2026-10-08",
                    "provisional": False,
                    "skipped": [{"date": f"2026-10-0{d}", "reason": "国庆节"} for d in range(1, 8)],
                },
                response_only=True,
            )
        ],
        auth=[],
    )
    def get(self, request: Request) -> Response:
        form = DeadlineQueryForm(request.query_params)
        if not form.is_valid():
            return Response(_errors(form), status=400)
        try:
            result = deadlines.calculate(**form.query())
        except ValidationError as exc:
            return Response({"non_field_errors": exc.messages}, status=400)
        return Response(DeadlineSerializer(result).data)
