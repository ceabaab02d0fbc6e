"""The public deadline API: GET /api/v1/workdays/deadline/."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import deadlines
from ..forms import DeadlineQueryForm
from ..serializers import DeadlineQueryErrorSerializer, DeadlineSerializer


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
            "周一至周五，并按2025年1月1日起施行的《全国年节及纪念日放假办法》扣除元旦、春节"
            "（除夕至正月初三）、清明节、劳动节（5月1日至2日）、端午节、中秋节和国庆节"
            "（10月1日至3日）计算，节日逢星期六、星期日的在其后的第一个工作日补假；这样算出的"
            "结果标注为暂定（provisional），因为调休安排要待国务院公布。skipped 列出跳过的每个"
            "休息日及原因，worked 列出作为工作日计入的每个星期六、星期日（调休上班日）及原因。"
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
                    "worked": [],
                },
                response_only=True,
            ),
            OpenApiExample(
                "working_saturday",
                summary="计入调休上班日（start=2026-09-28&working_days=5）",
                value={
                    "deadline": "2026-10-10",
                    "provisional": False,
                    "skipped": [{"date": f"2026-10-0{d}", "reason": "国庆节"} for d in range(1, 8)],
                    "worked": [{"date": "2026-10-10", "reason": "国庆节调休上班日"}],
                },
                response_only=True,
            ),
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
