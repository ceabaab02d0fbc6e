"""R29: the accused's notices through the API, scoped as the pages are (their own officer
record's, their unit's; a supervisor's region; the administrator's all), and their written
defence or waiver."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from portal.roles import Role, role_of

from ..models import Defence
from ..selectors import decisions as selectors
from ..services.defences import defence_submit, defence_waive, speaks_for
from .common import RegisterPagination, TextField

READERS = (Role.AGENCY_STAFF, Role.LEGAL_OFFICE, Role.SUPERVISOR, Role.SYSADMIN)


def call(service, **kwargs):
    """Run a service; its Django refusals become the API's 403 / 400 with the Chinese message."""
    try:
        return service(**kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from exc
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise ValidationError(exc.message_dict) from exc
        raise ValidationError({"detail": exc.messages}) from exc


class DefenceSerializer(serializers.ModelSerializer):
    proceeding = serializers.IntegerField(source="accused.proceeding_id", read_only=True)
    proceeding_number = serializers.CharField(source="accused.proceeding.number", read_only=True)
    accused = serializers.CharField(source="accused.__str__", read_only=True)
    is_unit = serializers.BooleanField(source="accused.is_unit", read_only=True)

    class Meta:
        model = Defence
        fields = [
            "id",
            "proceeding",
            "proceeding_number",
            "accused",
            "is_unit",
            "notice",
            "notified_on",
            "due_on",
            "due_provisional",
            "statement",
            "waived",
            "waiver",
            "submitted_at",
        ]


class DefenceInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[("submit", gettext_lazy("提交陈述申辩")), ("waive", gettext_lazy("放弃陈述申辩"))]
    )
    statement = TextField(max_length=20000, required=False, allow_blank=True)
    waiver = TextField(max_length=2000, required=False, allow_blank=True)


def _reader(request) -> None:
    if role_of(request.user) not in READERS:
        raise PermissionDenied(_("您无权查看问责告知。"))


class DefenceList(GenericAPIView):
    serializer_class = DefenceSerializer
    pagination_class = RegisterPagination
    filter_backends: list = []

    def get_queryset(self):
        return Defence.objects.none()  # every read goes through the selector

    @extend_schema(
        operation_id="accountability_defences_list",
        summary=gettext_lazy("问责告知与陈述申辩"),
        description=gettext_lazy(
            "R29：被追究人员本人的告知（单位的告知由本单位工作人员查看）；监督人员查看辖区内的。"
        ),
        responses={200: DefenceSerializer(many=True)},
    )
    def get(self, request):
        _reader(request)
        page = self.paginate_queryset(selectors.defences_list(user=request.user))
        return self.get_paginated_response(DefenceSerializer(page, many=True).data)


class DefenceDetail(GenericAPIView):
    serializer_class = DefenceSerializer

    def get_queryset(self):
        return Defence.objects.none()

    @extend_schema(
        operation_id="accountability_defence_detail",
        summary=gettext_lazy("问责告知详情"),
        responses={
            200: DefenceSerializer,
            404: OpenApiResponse(description=gettext_lazy("没有这份告知，或不在可查看范围内")),
        },
    )
    def get(self, request, pk: int):
        _reader(request)
        return Response(DefenceSerializer(selectors.defence_for(user=request.user, pk=pk)).data)

    @extend_schema(
        operation_id="accountability_defence_answer",
        summary=gettext_lazy("提交陈述申辩或书面放弃"),
        description=gettext_lazy(
            "R29：被追究的本人（单位为其工作人员）在期限内提交一次书面陈述申辩意见，"
            "或书面明确放弃。"
        ),
        request=DefenceInputSerializer,
        responses={
            200: DefenceSerializer,
            400: OpenApiResponse(description=gettext_lazy("参数有误或已过期限：中文说明")),
            403: OpenApiResponse(description=gettext_lazy("不是被追究的本人")),
            404: OpenApiResponse(description=gettext_lazy("没有这份告知")),
        },
    )
    def post(self, request, pk: int):
        _reader(request)
        defence = selectors.defence_for(user=request.user, pk=pk)
        if not speaks_for(request.user, defence.accused):  # permission before the body
            raise PermissionDenied(_("只有被追究的本人（单位为其工作人员）可以陈述申辩。"))
        body = DefenceInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data["action"] == "submit":
            call(
                defence_submit,
                defence=defence,
                statement=data.get("statement", ""),
                actor=request.user,
            )
        else:
            call(defence_waive, defence=defence, waiver=data.get("waiver", ""), actor=request.user)
        return Response(DefenceSerializer(selectors.defence_for(user=request.user, pk=pk)).data)
