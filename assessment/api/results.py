"""The results API (R20, R23): a cycle's results and scores for staff (scoped as the pages are),
scoring by JSON, and the results disclosed to the public (no login)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from portal.pagination import PageNumberPagination
from portal.params import is_object_id

from ..models import AgencyResult, Assignment, Indicator, Inspection, Score
from ..selectors import results as result_selectors
from ..selectors import scoring as scoring_selectors
from ..services.scoring import score_save

BAD = OpenApiResponse(description=gettext_lazy("输入有误：按字段列出中文说明"))
MISSING = OpenApiResponse(description=gettext_lazy("没有这个考核周期，或不在本人可查看的范围内"))
REFUSED = OpenApiResponse(description=gettext_lazy("无权评分"))


class ResultsPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class AgencyResultSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name")
    agency_id = serializers.IntegerField()
    grade_display = serializers.CharField(source="get_grade_display")

    class Meta:
        model = AgencyResult
        fields = [
            "id",
            "agency_id",
            "agency",
            "local_total",
            "vertical_total",
            "total",
            "grade",
            "grade_display",
            "performance_score",
            "award_share_rule_of_law",
            "award_share_enforcement",
            "disclosure",
            "disclosed_at",
            "computed_at",
        ]


class PublicResultSerializer(serializers.ModelSerializer):
    cycle_id = serializers.IntegerField()
    year = serializers.IntegerField(source="cycle.year")
    region = serializers.CharField(source="cycle.region.name")
    agency = serializers.CharField(source="agency.name")
    grade_display = serializers.CharField(source="get_grade_display")

    class Meta:
        model = AgencyResult
        fields = ["cycle_id", "year", "region", "agency", "total", "grade", "grade_display"]


class ScoreSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="assignment.agency.name")
    evaluator = serializers.CharField(source="assignment.evaluator.name")
    indicator_code = serializers.CharField(source="indicator.code")
    max_points = serializers.DecimalField(
        source="indicator.max_points", max_digits=6, decimal_places=2
    )
    inspections = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Score
        fields = [
            "id",
            "assignment",
            "agency",
            "evaluator",
            "indicator",
            "indicator_code",
            "max_points",
            "points",
            "evidence",
            "inspections",
            "scored_at",
        ]


class StrictText(serializers.CharField):
    """Text that must arrive as a JSON string: a number or a list is a wrong type."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictId(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class ScoreInputSerializer(serializers.Serializer):
    """A score as JSON: ids as integers, points as a number (or its text), evidence as text. A
    total or grade sent along is not a field and is never read."""

    assignment = StrictId(
        min_value=1,
        error_messages={
            "required": _("请提供评议关系编号。"),
            "invalid": _("评议关系编号应为整数。"),
            "min_value": _("评议关系编号应为整数。"),
        },
    )
    indicator = StrictId(
        min_value=1,
        error_messages={
            "required": _("请提供指标编号。"),
            "invalid": _("指标编号应为整数。"),
            "min_value": _("指标编号应为整数。"),
        },
    )
    points = serializers.JSONField(
        error_messages={"required": _("请提供得分。"), "invalid": _("得分应为数字。")}
    )
    evidence = StrictText(
        allow_blank=True,
        max_length=2000,
        error_messages={
            "required": _("请填写评分依据。"),
            "invalid": _("评分依据应为文字。"),
            "max_length": _("评分依据不能超过 %(max_length)s 个字。"),
        },
    )
    inspections = serializers.ListField(
        child=StrictId(
            min_value=1,
            error_messages={
                "invalid": _("检查暗访编号应为整数。"),
                "min_value": _("检查暗访编号应为整数。"),
            },
        ),
        required=False,
        max_length=100,
        error_messages={"not_a_list": _("依据的检查暗访应为编号列表。")},
    )

    def validate_points(self, value):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValidationError(_("得分应为数字。"))
        return value


def service_call(func, **kwargs):
    try:
        return func(**kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from exc
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise ValidationError(exc.message_dict) from exc
        raise ValidationError({"detail": exc.messages}) from exc


def _cycle(request, pk):
    if not is_object_id(pk):
        raise ValidationError({"detail": [_("考核周期编号有误。")]})
    return result_selectors.cycle_for(user=request.user, pk=int(pk))


class CycleResults(GenericAPIView):
    queryset = AgencyResult.objects.none()  # every read goes through the selectors
    pagination_class = ResultsPagination
    serializer_class = AgencyResultSerializer

    @extend_schema(
        operation_id="assessment_cycle_results",
        summary=gettext_lazy("考核周期的单位考核结果"),
        description=gettext_lazy(
            "R23：本人可查看的考核结果（按公开范围：内部通报、本地区公开、向社会公开），总分高者在前。"
        ),
        responses={200: AgencyResultSerializer(many=True), 404: MISSING},
    )
    def get(self, request, pk):
        cycle = _cycle(request, pk)
        rows = result_selectors.results_visible(user=request.user, cycle=cycle)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AgencyResultSerializer(page, many=True).data)


class CycleScores(GenericAPIView):
    queryset = Score.objects.none()
    pagination_class = ResultsPagination
    serializer_class = ScoreSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="assessment_cycle_scores",
        summary=gettext_lazy("考核周期的评分"),
        description=gettext_lazy(
            "R20：本人所在评议单位的评分及依据；本地区监督人员可查看全部评分。"
        ),
        responses={200: ScoreSerializer(many=True), 404: MISSING},
    )
    def get(self, request, pk):
        cycle = _cycle(request, pk)
        rows = scoring_selectors.cycle_scores(user=request.user, cycle=cycle).order_by(
            "assignment__agency__name", "assignment__role", "indicator__order", "pk"
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ScoreSerializer(page, many=True).data)

    @extend_schema(
        operation_id="assessment_cycle_score_save",
        summary=gettext_lazy("评分（新增或修改）"),
        description=gettext_lazy(
            "R20：评议单位对一项指标评分，得分在 0 至该指标分值之间，须写明评分依据；总分和等次"
            "由系统计算，提交的总分或等次不被采用。"
        ),
        request=ScoreInputSerializer,
        responses={200: ScoreSerializer, 400: BAD, 403: REFUSED, 404: MISSING},
    )
    def post(self, request, pk):
        cycle = _cycle(request, pk)
        if not scoring_selectors.may_score_in(request.user, cycle):
            if cycle.status != cycle.Status.OPEN:
                raise ValidationError({"detail": [_("该考核周期已结束，不能再评分。")]})
            raise PermissionDenied(_("只有评议单位可以评分。"))
        body = ScoreInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        assignment = (
            Assignment.objects.filter(cycle=cycle, pk=data["assignment"])
            .select_related("cycle")
            .first()
        )
        if assignment is None:
            raise ValidationError({"assignment": [_("本考核周期没有这个评议关系。")]})
        indicator = Indicator.objects.filter(cycle=cycle, pk=data["indicator"]).first()
        if indicator is None:
            raise ValidationError({"indicator": [_("该指标不属于本考核周期。")]})
        wanted = set(data.get("inspections", []))
        inspections = list(Inspection.objects.filter(pk__in=wanted))
        if len(inspections) != len(wanted):
            raise ValidationError({"inspections": [_("没有这项检查暗访记录。")]})
        score = service_call(
            score_save,
            assignment=assignment,
            indicator=indicator,
            points=data["points"],
            evidence=data["evidence"],
            inspections=inspections,
            actor=request.user,
        )
        score = Score.objects.select_related(
            "assignment__agency", "assignment__evaluator", "indicator"
        ).get(pk=score.pk)
        return Response(ScoreSerializer(score).data)


class PublicResults(GenericAPIView):
    queryset = AgencyResult.objects.none()
    permission_classes = [AllowAny]
    authentication_classes: list = []
    pagination_class = ResultsPagination
    serializer_class = PublicResultSerializer

    @extend_schema(
        operation_id="assessment_public_results",
        summary=gettext_lazy("向社会公开的考核结果"),
        description=gettext_lazy("R23：已向社会公开的单位考核总分和等次，无需登录。"),
        parameters=[
            OpenApiParameter("cycle", OpenApiTypes.INT, description=gettext_lazy("考核周期编号"))
        ],
        responses={200: PublicResultSerializer(many=True), 400: BAD},
    )
    def get(self, request):
        raw = request.query_params.get("cycle", "")
        if raw and not is_object_id(raw):
            raise ValidationError({"cycle": [_("考核周期编号应为整数。")]})
        rows = result_selectors.public_results(cycle_id=int(raw) if raw else None)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(PublicResultSerializer(page, many=True).data)
