"""R18, R32: typical cases through the API.

Public (no login): GET /api/v1/typical-cases/ and /api/v1/typical-cases/<id>/, published cases
only, anonymised as published. Staff: GET /api/v1/accountability/typical-cases/ (and one), scoped
as the pages are, with the status and the notice (通报).
"""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from portal.pagination import PageNumberPagination
from portal.roles import Role, role_of

from ..models import TypicalCase
from ..selectors import typical as selectors

READERS = (Role.SUPERVISOR, Role.SYSADMIN)


class PublicTypicalListSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = TypicalCase
        fields = ["id", "title", "lesson", "region_name", "published_at", "url"]


class PublicTypicalSerializer(PublicTypicalListSerializer):
    class Meta(PublicTypicalListSerializer.Meta):
        fields = [
            "id",
            "title",
            "facts",
            "analysis",
            "lesson",
            "region_name",
            "published_at",
            "url",
        ]


class StaffTypicalSerializer(serializers.ModelSerializer):
    proceeding_number = serializers.CharField(source="proceeding.number", read_only=True)
    agency_name = serializers.CharField(source="proceeding.agency.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = TypicalCase
        fields = [
            "id",
            "proceeding",
            "proceeding_number",
            "agency_name",
            "region",
            "region_name",
            "title",
            "facts",
            "analysis",
            "lesson",
            "status",
            "status_display",
            "drafted_by",
            "drafted_at",
            "approved_by",
            "published_at",
            "notice_number",
            "circulated_at",
        ]


class TypicalReturnSerializer(serializers.Serializer):
    """R18: a reviewer's return of the case to its drafter (a row of the proceeding's timeline)."""

    at = serializers.DateTimeField(read_only=True, help_text=gettext_lazy("退回时间"))
    returned_by = serializers.CharField(
        source="actor", read_only=True, help_text=gettext_lazy("退回人")
    )
    reasons = serializers.CharField(
        source="note", read_only=True, help_text=gettext_lazy("退回理由")
    )


class StaffTypicalDetailSerializer(StaffTypicalSerializer):
    returns = TypicalReturnSerializer(
        many=True, read_only=True, help_text=gettext_lazy("退回修改的记录，最新的在前")
    )

    class Meta(StaffTypicalSerializer.Meta):
        fields = [*StaffTypicalSerializer.Meta.fields, "returns"]


class TypicalPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


# --- public --------------------------------------------------------------------------------------


class PublicTypicalList(GenericAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = PublicTypicalListSerializer
    pagination_class = TypicalPagination
    filter_backends: list = []

    def get_queryset(self):
        return selectors.public_list()

    @extend_schema(
        operation_id="typical_cases_list",
        summary=gettext_lazy("典型案例"),
        description=gettext_lazy(
            "R18：经审核发布的违法或不当行政执法典型案例，最新的在前；"
            "当事人和被追究人员的姓名已部分隐去，身份证号码、手机号码和住址不予公开。"
        ),
        responses={
            200: PublicTypicalListSerializer(many=True),
            400: OpenApiResponse(description=gettext_lazy("页码有误：中文说明")),
        },
        auth=[],
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PublicTypicalListSerializer(page, many=True).data)


class PublicTypicalDetail(GenericAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = PublicTypicalSerializer

    def get_queryset(self):
        return selectors.published()

    @extend_schema(
        operation_id="typical_cases_retrieve",
        summary=gettext_lazy("典型案例详情"),
        description=gettext_lazy("R18：一件已发布典型案例的基本案情、案例剖析和警示教育意义。"),
        responses={
            200: PublicTypicalSerializer,
            404: OpenApiResponse(description=gettext_lazy("没有这个已发布的典型案例")),
        },
        auth=[],
    )
    def get(self, request, pk: int):
        try:
            typical = selectors.public_typical(pk)
        except Http404 as exc:
            raise NotFound(_("没有这个已发布的典型案例。")) from exc
        return Response(PublicTypicalSerializer(typical).data)


# --- staff ---------------------------------------------------------------------------------------


def _reader(request) -> None:
    if role_of(request.user) not in READERS:
        raise PermissionDenied(_("只有政府法制监督人员可以查看典型案例的撰写和审核情况。"))


class TypicalList(GenericAPIView):
    serializer_class = StaffTypicalSerializer
    pagination_class = TypicalPagination
    filter_backends: list = []

    def get_queryset(self):
        return TypicalCase.objects.none()  # every read goes through the selector

    @extend_schema(
        operation_id="accountability_typical_cases_list",
        summary=gettext_lazy("典型案例（撰写与审核）"),
        description=gettext_lazy(
            "R18、R32：本人管辖单位的典型案例，含草稿和待审核的，可按状态筛选。"
        ),
        parameters=[OpenApiParameter("status", str, enum=TypicalCase.Status.values)],
        responses={
            200: StaffTypicalSerializer(many=True),
            400: OpenApiResponse(description=gettext_lazy("参数有误")),
        },
    )
    def get(self, request):
        _reader(request)
        state = request.query_params.get("status") or None
        if state is not None and state not in TypicalCase.Status.values:
            raise ValidationError({"status": [_("状态应为 draft、submitted 或 published。")]})
        page = self.paginate_queryset(selectors.typical_list(user=request.user, status=state))
        return self.get_paginated_response(StaffTypicalSerializer(page, many=True).data)


class TypicalDetail(GenericAPIView):
    serializer_class = StaffTypicalDetailSerializer

    def get_queryset(self):
        return TypicalCase.objects.none()

    @extend_schema(
        operation_id="accountability_typical_case_detail",
        summary=gettext_lazy("典型案例详情（撰写与审核）"),
        description=gettext_lazy("R18：一件典型案例的内容、状态、通报和退回修改的记录（含理由）。"),
        responses={
            200: StaffTypicalDetailSerializer,
            404: OpenApiResponse(description=gettext_lazy("没有这个典型案例，或不在可查看范围内")),
        },
    )
    def get(self, request, pk: int):
        _reader(request)
        typical = selectors.typical_for(user=request.user, pk=pk)
        typical.returns = list(selectors.typical_returns(typical))
        return Response(StaffTypicalDetailSerializer(typical).data)
