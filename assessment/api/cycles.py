"""The cycles API (R19, R20): the cycles a user may see, one cycle with its local choices and
scheme, and its assignments (who evaluates whom), scoped like the pages: a cycle out of scope is a
404. Read-only; the writes are the pages' (through the same services)."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.pagination import PageNumberPagination

from ..models import Assignment, Cycle, Indicator
from ..selectors import cycles as selectors

MISSING = OpenApiResponse(
    description=gettext_lazy("没有这个评议考核周期，或不在本人可查看的范围内")
)


class CyclePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


# The choices travel as their values (plain strings): as enums they would collide in the schema
# with the other apps' fields of the same names ("status", "category", "role").
class IndicatorSerializer(serializers.ModelSerializer):
    category = serializers.CharField(read_only=True)
    figure = serializers.CharField(read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "category", "max_points", "figure", "guidance", "order"]


class CycleSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    status = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Cycle
        fields = [
            "id",
            "region",
            "region_name",
            "year",
            "status",
            "status_display",
            "merged_with_rule_of_law",
            "excellent_from",
            "qualified_from",
            "objection_working_days",
            "dual_vertical_weight",
            "opened_at",
            "closed_at",
        ]


class CycleDetailSerializer(CycleSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta(CycleSerializer.Meta):
        fields = [*CycleSerializer.Meta.fields, "indicators"]


class AssignmentSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    evaluator_name = serializers.CharField(source="evaluator.name", read_only=True)
    role = serializers.CharField(read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "agency",
            "agency_name",
            "role",
            "role_display",
            "evaluator",
            "evaluator_name",
            "weight",
            "local_opinion",
            "local_opinion_at",
        ]


class CycleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CycleSerializer
    pagination_class = CyclePagination
    filter_backends: list = []
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.cycles_visible_to(self.request.user).order_by("-year", "region__path")

    def get_object(self):
        return selectors.cycle_for(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self):
        if self.action == "retrieve":
            return CycleDetailSerializer
        if self.action == "assignments":
            return AssignmentSerializer
        return CycleSerializer

    @extend_schema(
        summary=gettext_lazy("评议考核周期"),
        description=gettext_lazy(
            "监督人员可查看本区划及下级区划的周期；执法部门可查看本单位参与评议或被评议的周期。"
        ),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("评议考核周期详情（本地选择和指标体系）"),
        responses={200: CycleDetailSerializer, 404: MISSING},
    )
    def retrieve(self, request, *args, **kwargs):
        cycle = self.get_object()
        cycle = (
            Cycle.objects.select_related("region").prefetch_related("indicators").get(pk=cycle.pk)
        )
        return Response(CycleDetailSerializer(cycle).data)

    @extend_schema(
        summary=gettext_lazy("评议关系（谁评议谁，R19）"),
        responses={200: AssignmentSerializer(many=True), 404: MISSING},
    )
    @action(detail=True, methods=["get"])
    def assignments(self, request, pk=None):
        cycle = self.get_object()
        rows = selectors.assignments_for(user=request.user, cycle=cycle)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AssignmentSerializer(page, many=True).data)
