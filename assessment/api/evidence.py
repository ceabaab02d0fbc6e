"""R20: a cycle's inspections through the API, scoped as the pages are."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView

from portal.pagination import PageNumberPagination
from portal.params import optional_int
from portal.roles import Role, role_of

from ..models import Inspection
from ..selectors import evidence as selectors

READERS = (Role.SUPERVISOR, Role.SYSADMIN, Role.AGENCY_STAFF, Role.LEGAL_OFFICE)


class InspectionSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    photo_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "agency",
            "agency_name",
            "kind",
            "kind_display",
            "held_on",
            "place",
            "inspectors",
            "findings",
            "photo_count",
            "recorded_at",
        ]


class InspectionPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CycleInspections(GenericAPIView):
    serializer_class = InspectionSerializer
    pagination_class = InspectionPagination
    filter_backends: list = []

    def get_queryset(self):
        return Inspection.objects.none()  # the read goes through the selector

    @extend_schema(
        operation_id="assessment_cycle_inspections",
        summary=gettext_lazy("考核周期的专项检查与暗访"),
        description=gettext_lazy(
            "R20：本人可查看范围内的检查和暗访记录；被检查单位的工作人员只看到本单位的。"
        ),
        parameters=[
            OpenApiParameter("agency", OpenApiTypes.INT, description=gettext_lazy("被检查单位")),
            OpenApiParameter("kind", str, enum=Inspection.Kind.values),
        ],
        responses={
            200: InspectionSerializer(many=True),
            400: OpenApiResponse(description=gettext_lazy("参数有误：中文说明")),
            404: OpenApiResponse(description=gettext_lazy("没有这个考核周期，或不在可查看范围内")),
        },
    )
    def get(self, request, pk: int):
        if role_of(request.user) not in READERS:
            raise PermissionDenied(_("您无权查看考核检查记录。"))
        cycle = selectors.cycle_readable(user=request.user, pk=pk)
        params = request.query_params
        try:
            agency_id = optional_int(params.get("agency"), label=_("被检查单位"), minimum=1)
        except DjangoValidationError as exc:
            raise ValidationError({"agency": exc.messages}) from None
        kind = params.get("kind") or None
        if kind is not None and kind not in Inspection.Kind.values:
            raise ValidationError(
                {"kind": [_("类型应为 special（专项检查）或 unannounced（暗访）。")]}
            )
        rows = selectors.inspections_for(
            user=request.user, cycle=cycle, agency_id=agency_id, kind=kind
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(InspectionSerializer(page, many=True).data)
