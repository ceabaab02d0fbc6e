"""R20: the public summary of opinions on agencies: counted (approved) opinions only, never a
device key nor who entered what."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from enforcement.models import Agency
from portal.params import object_id, optional_int

from ..selectors.opinions import opinion_summary
from ..services.opinions import current_period

MAX_AGENCIES = 50


class AveragesSerializer(serializers.Serializer):
    lawful = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    civil = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    efficient = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)


class CountsSerializer(serializers.Serializer):
    card = serializers.IntegerField()
    hotline = serializers.IntegerField()
    symposium = serializers.IntegerField()
    questionnaire = serializers.IntegerField()


class CommentSerializer(serializers.Serializer):
    date = serializers.DateField()
    source = serializers.CharField(
        help_text=gettext_lazy("来源：card、hotline、symposium 或 questionnaire")
    )
    comment = serializers.CharField()


class AgencySummarySerializer(serializers.Serializer):
    agency = serializers.IntegerField()
    agency_name = serializers.CharField()
    period = serializers.IntegerField()
    counted = serializers.IntegerField(help_text=gettext_lazy("计入统计的意见数（已通过审核）"))
    counts = CountsSerializer(help_text=gettext_lazy("按来源计入统计的意见数"))
    averages = AveragesSerializer(help_text=gettext_lazy("三项评分的平均分（1–5）"))
    comments = CommentSerializer(many=True)


class OpinionSummary(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        operation_id="assessment_opinion_summary",
        summary=gettext_lazy("社会评议结果"),
        description=gettext_lazy(
            "R20：各单位某年度计入统计的社会评议意见数（按来源）、三项评分平均分和已审核公开的"
            "意见建议。不含设备标识和录入人。agency 可重复，最多 50 个。"
        ),
        parameters=[
            OpenApiParameter(
                "agency",
                OpenApiTypes.INT,
                many=True,
                required=True,
                description=gettext_lazy("单位编号"),
            ),
            OpenApiParameter("period", OpenApiTypes.INT, description=gettext_lazy("评议年度")),
        ],
        responses={
            200: AgencySummarySerializer(many=True),
            400: OpenApiResponse(description=gettext_lazy("参数有误：中文说明")),
        },
    )
    def get(self, request):
        params = request.query_params
        raw = [value for item in params.getlist("agency") for value in item.split(",") if value]
        if not raw:
            raise ValidationError({"agency": [_("请指明单位编号（agency）。")]})
        if len(raw) > MAX_AGENCIES:
            raise ValidationError({"agency": [_("一次最多查询 50 个单位。")]})
        try:
            ids = [object_id(value, label=_("单位编号")) for value in raw]
        except DjangoValidationError as exc:
            raise ValidationError({"agency": exc.messages}) from None
        try:
            period = optional_int(
                params.get("period"),
                label=_("评议年度"),
                default=current_period(),
                minimum=2000,
                maximum=2100,
            )
        except DjangoValidationError as exc:
            raise ValidationError({"period": exc.messages}) from None
        names = dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name"))
        unknown = [pk for pk in dict.fromkeys(ids) if pk not in names]
        if unknown:
            raise ValidationError(
                {
                    "agency": [
                        _("没有编号为 %(ids)s 的单位。") % {"ids": "、".join(map(str, unknown))}
                    ]
                }
            )
        summary = opinion_summary(agency_ids=list(names), period=period)
        rows = [
            {"agency": pk, "agency_name": name, "period": period, **summary[pk]}
            for pk, name in names.items()
        ]
        return Response(AgencySummarySerializer(rows, many=True).data)
