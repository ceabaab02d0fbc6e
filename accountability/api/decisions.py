"""R24, R28, R29: decisions through the API, scoped as the pages are (supervisors over the unit
concerned, the case's handler, the administrator): list and read one, with each sanction, its
outside-band justification and its review."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from portal.roles import Role, role_of

from ..models import Decision, Sanction
from ..selectors import decisions as selectors
from .common import RegisterPagination

READERS = (Role.SUPERVISOR, Role.SYSADMIN)


class SanctionSerializer(serializers.ModelSerializer):
    accused = serializers.CharField(source="accused.__str__", read_only=True)
    is_unit = serializers.BooleanField(source="accused.is_unit", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Sanction
        fields = [
            "id",
            "accused",
            "is_unit",
            "responsible",
            "kind",
            "kind_display",
            "outside_band",
            "justification",
            "rectify_by",
            "counts_in_year",
            "revoked",
        ]


class DecisionSerializer(serializers.ModelSerializer):
    proceeding_number = serializers.CharField(source="proceeding.number", read_only=True)
    agency = serializers.IntegerField(source="proceeding.agency_id", read_only=True)
    agency_name = serializers.CharField(source="proceeding.agency.name", read_only=True)
    sanctions = SanctionSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "proceeding",
            "proceeding_number",
            "agency",
            "agency_name",
            "reasons",
            "transfer_needed",
            "decided_on",
            "decided_at",
            "sanctions",
        ]


def _reader(request) -> None:
    if role_of(request.user) not in READERS:
        raise PermissionDenied(_("只有政府法制监督人员可以查看问责决定。"))


class DecisionList(GenericAPIView):
    serializer_class = DecisionSerializer
    pagination_class = RegisterPagination
    filter_backends: list = []

    def get_queryset(self):
        return Decision.objects.none()

    @extend_schema(
        operation_id="accountability_decisions_list",
        summary=gettext_lazy("问责决定"),
        description=gettext_lazy("R24、R28：本人辖区及下级地区的问责决定及每个对象的处理。"),
        responses={200: DecisionSerializer(many=True)},
    )
    def get(self, request):
        _reader(request)
        page = self.paginate_queryset(selectors.decisions_list(user=request.user))
        return self.get_paginated_response(DecisionSerializer(page, many=True).data)


class DecisionDetail(GenericAPIView):
    serializer_class = DecisionSerializer

    def get_queryset(self):
        return Decision.objects.none()

    @extend_schema(
        operation_id="accountability_decision_detail",
        summary=gettext_lazy("问责决定详情"),
        responses={
            200: DecisionSerializer,
            404: OpenApiResponse(description=gettext_lazy("没有这项决定，或不在可查看范围内")),
        },
    )
    def get(self, request, pk: int):
        _reader(request)
        return Response(DecisionSerializer(selectors.decision_for(user=request.user, pk=pk)).data)
