"""The officers' evaluation API (R21, R22): a cycle's officer results as the caller may read
them, the objections of the caller's scope (or their own), and an officer's objection.

Every read goes through `assessment.selectors.officers` (out of scope: 404); the objection goes
through `objection_file`, whose refusals come back as 400/403 with the Chinese message. JSON of
the wrong type (a number for the reason, a string or a boolean for the result) is refused."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from complaints.api.public import field_errors
from portal.pagination import PageNumberPagination
from portal.params import MAX_ID

from ..models import Objection, OfficerResult
from ..selectors import officers as selectors
from ..services.objections import objection_file

REFUSED = OpenApiResponse(description=gettext_lazy("无权查看或办理"))
MISSING = OpenApiResponse(description=gettext_lazy("没有该记录，或不在本人可查看的范围内"))
BAD = OpenApiResponse(description=gettext_lazy("输入或状态有误：中文说明"))


class StrictText(serializers.CharField):
    """Text that must arrive as a JSON string (DRF's CharField also takes numbers)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise ValidationError(_("应为文字（字符串）。"))
        return super().to_internal_value(data)


class StrictId(serializers.IntegerField):
    """An id that must arrive as a JSON integer (not a string, a boolean or a fraction)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            raise ValidationError(_("应为整数编号。"))
        return super().to_internal_value(data)


class OfficerResultSerializer(serializers.ModelSerializer):
    officer_name = serializers.CharField(source="officer.name")
    certificate_number = serializers.CharField(source="officer.certificate_number")
    agency_name = serializers.CharField(source="agency.name")
    grade_display = serializers.CharField(source="get_grade_display")

    class Meta:
        model = OfficerResult
        fields = [
            "id",
            "officer",
            "officer_name",
            "certificate_number",
            "agency",
            "agency_name",
            "cases_handled",
            "case_review_average",
            "complaints_substantiated",
            "commendations",
            "trainings_attended",
            "sanctions",
            "legal_test",
            "conformity_test",
            "everyday_score",
            "special_score",
            "total",
            "grade",
            "grade_display",
            "computed_at",
            "published_at",
            "objection_due",
            "final_at",
            "barred_from_excellent",
        ]


class ObjectionSerializer(serializers.ModelSerializer):
    officer_name = serializers.CharField(source="result.officer.name")
    agency_name = serializers.CharField(source="result.agency.name")
    year = serializers.IntegerField(source="result.cycle.year")
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = Objection
        fields = [
            "id",
            "result",
            "officer_name",
            "agency_name",
            "year",
            "reason",
            "filed_at",
            "status",
            "status_display",
            "decision_reason",
            "revised_total",
            "decided_at",
        ]


class ObjectionFileSerializer(serializers.Serializer):
    result = StrictId(min_value=1, max_value=MAX_ID, help_text=gettext_lazy("考核结果编号"))
    reason = StrictText(max_length=2000, help_text=gettext_lazy("异议理由"))


class CycleOfficerResults(GenericAPIView):
    serializer_class = OfficerResultSerializer
    pagination_class = PageNumberPagination
    queryset = OfficerResult.objects.none()

    @extend_schema(
        summary=gettext_lazy("考核周期的执法人员考核结果"),
        description=gettext_lazy(
            "R21、R22：本人可查看范围内的执法人员考核结果及其构成（监督人员：本辖区；"
            "部门法制机构：本单位）。"
        ),
        parameters=[OpenApiParameter("agency", int, description=gettext_lazy("单位编号"))],
        responses={200: OfficerResultSerializer(many=True), 403: REFUSED, 404: MISSING},
    )
    def get(self, request, pk: int):
        if not selectors.reads_results(request.user):
            raise PermissionDenied(
                _("只有政府法制监督人员和本单位法制机构可以查看执法人员考核结果。")
            )
        cycle = selectors.cycle_for(user=request.user, pk=pk)
        raw = request.query_params.get("agency", "")
        if raw and not (raw.isascii() and raw.isdigit() and len(raw) < 19):
            raise ValidationError({"agency": [_("单位编号应为数字。")]})
        rows = selectors.officer_results(
            user=request.user, cycle=cycle, agency_id=int(raw) if raw else None
        )
        page = selectors.in_order(self.paginate_queryset(rows.values_list("pk", flat=True)))
        return self.get_paginated_response(OfficerResultSerializer(page, many=True).data)


class Objections(GenericAPIView):
    serializer_class = ObjectionSerializer
    pagination_class = PageNumberPagination
    queryset = Objection.objects.none()

    @extend_schema(
        summary=gettext_lazy("考核异议"),
        description=gettext_lazy(
            "R21：监督人员和部门法制机构看到本人可查看范围内的异议；执法人员看到本人提出的异议。"
        ),
        parameters=[OpenApiParameter("status", str, enum=Objection.Status.values)],
        responses={200: ObjectionSerializer(many=True), 400: BAD},
    )
    def get(self, request):
        wanted = request.query_params.get("status", "")
        if wanted and wanted not in Objection.Status.values:
            raise ValidationError({"status": [_("没有这个状态。")]})
        rows = selectors.objections(user=request.user, status=wanted)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ObjectionSerializer(page, many=True).data)

    @extend_schema(
        summary=gettext_lazy("对本人的考核结果提出异议"),
        description=gettext_lazy(
            "R21：仅限被考核的执法人员本人，在异议期限届满之日（北京时间）结束前，每项结果一次。"
        ),
        request=ObjectionFileSerializer,
        responses={201: ObjectionSerializer, 400: BAD, 403: REFUSED, 404: MISSING},
    )
    def post(self, request):
        if not hasattr(request.user, "officer"):  # permission before the body
            raise PermissionDenied(_("只有被考核的执法人员本人可以提出异议。"))
        body = ObjectionFileSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            result = selectors.my_result_for(user=request.user, pk=body.validated_data["result"])
        except Http404 as exc:  # not this officer's own published result
            raise NotFound(_("没有这项考核结果，或不是您本人的考核结果。")) from exc
        try:
            objection = objection_file(
                result=result, reason=body.validated_data["reason"], actor=request.user
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from exc
        except DjangoValidationError as exc:
            raise ValidationError(field_errors(exc, default_field="detail")) from exc
        objection = selectors.objections(user=request.user).get(pk=objection.pk)
        return Response(ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)
