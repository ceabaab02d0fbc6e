"""R12: referrals to and from supervision and audit bodies through the API, scoped as the pages
are: list and read one."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from portal.roles import Role, role_of

from ..models import BodyKind, Referral
from ..selectors import cooperation as selectors
from .common import RegisterPagination

READERS = (Role.SUPERVISOR, Role.SYSADMIN)


class ReferralSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    clue_number = serializers.SerializerMethodField()
    direction_display = serializers.CharField(source="get_direction_display", read_only=True)
    body_kind_display = serializers.CharField(source="get_body_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "direction",
            "direction_display",
            "body_kind",
            "body_kind_display",
            "body_name",
            "subject",
            "summary",
            "region",
            "region_name",
            "agency",
            "agency_name",
            "clue",
            "clue_number",
            "reference",
            "sent_on",
            "received_on",
            "status",
            "status_display",
            "receipt_number",
            "receipt_on",
            "outcome",
            "outcome_on",
            "recorded_at",
        ]

    def get_clue_number(self, referral) -> str:
        return referral.clue.number if referral.clue_id else ""


def _reader(request) -> None:
    if role_of(request.user) not in READERS:
        raise PermissionDenied(_("只有政府法制监督人员可以查看移送事项。"))


CHOICES = {
    "direction": Referral.Direction.values,
    "body_kind": BodyKind.values,
    "status": Referral.Status.values,
}


class ReferralList(GenericAPIView):
    serializer_class = ReferralSerializer
    pagination_class = RegisterPagination
    filter_backends: list = []

    def get_queryset(self):
        return Referral.objects.none()  # every read goes through the selector

    @extend_schema(
        operation_id="accountability_referrals_list",
        summary=gettext_lazy("移送与来函"),
        description=gettext_lazy(
            "R12：本人辖区及下级地区与监察委员会、审计机关之间的移送和来函，可按方向、机关类别、"
            "状态筛选。"
        ),
        parameters=[OpenApiParameter(name, str, enum=values) for name, values in CHOICES.items()],
        responses={
            200: ReferralSerializer(many=True),
            400: OpenApiResponse(description=gettext_lazy("参数有误")),
        },
    )
    def get(self, request):
        _reader(request)
        filters = {}
        for name, values in CHOICES.items():
            value = request.query_params.get(name) or None
            if value is not None and value not in values:
                raise ValidationError({name: [_("筛选条件无效。")]})
            filters[name] = value
        rows = selectors.referrals_list(user=request.user, **filters)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ReferralSerializer(page, many=True).data)


class ReferralDetail(GenericAPIView):
    serializer_class = ReferralSerializer

    def get_queryset(self):
        return Referral.objects.none()

    @extend_schema(
        operation_id="accountability_referral_detail",
        summary=gettext_lazy("移送事项详情"),
        responses={
            200: ReferralSerializer,
            404: OpenApiResponse(description=gettext_lazy("没有这项移送，或不在可查看范围内")),
        },
    )
    def get(self, request, pk: int):
        _reader(request)
        return Response(ReferralSerializer(selectors.referral_for(user=request.user, pk=pk)).data)
