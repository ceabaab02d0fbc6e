"""R24: transfers (移送) through the API, scoped as the pages are: list, read one, and record its
receipt."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from portal.fields import ApiDateField
from portal.roles import Role, role_of

from ..models import Transfer
from ..selectors import decisions as selectors
from ..services.transfers import may_transfer, transfer_receipt
from .common import RegisterPagination, TextField
from .defences import call

READERS = (Role.SUPERVISOR, Role.SYSADMIN)


class TransferSerializer(serializers.ModelSerializer):
    proceeding_number = serializers.CharField(source="proceeding.number", read_only=True)
    body_display = serializers.CharField(source="get_body_display", read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "proceeding",
            "proceeding_number",
            "body",
            "body_display",
            "body_name",
            "reason",
            "sent_on",
            "receipt_on",
            "receipt_number",
        ]


class ReceiptInputSerializer(serializers.Serializer):
    receipt_on = ApiDateField()
    receipt_number = TextField(max_length=100)


def _reader(request) -> None:
    if role_of(request.user) not in READERS:
        raise PermissionDenied(_("只有政府法制监督人员可以查看移送。"))


class TransferList(GenericAPIView):
    serializer_class = TransferSerializer
    pagination_class = RegisterPagination
    filter_backends: list = []

    def get_queryset(self):
        return Transfer.objects.none()

    @extend_schema(
        operation_id="accountability_transfers_list",
        summary=gettext_lazy("问责案件移送"),
        description=gettext_lazy("R24：本人辖区及下级地区问责案件的移送及回执。"),
        responses={200: TransferSerializer(many=True)},
    )
    def get(self, request):
        _reader(request)
        page = self.paginate_queryset(selectors.transfers_list(user=request.user))
        return self.get_paginated_response(TransferSerializer(page, many=True).data)


class TransferDetail(GenericAPIView):
    serializer_class = TransferSerializer

    def get_queryset(self):
        return Transfer.objects.none()

    @extend_schema(
        operation_id="accountability_transfer_detail",
        summary=gettext_lazy("移送详情"),
        responses={
            200: TransferSerializer,
            404: OpenApiResponse(description=gettext_lazy("没有这项移送，或不在可查看范围内")),
        },
    )
    def get(self, request, pk: int):
        _reader(request)
        return Response(TransferSerializer(selectors.transfer_for(user=request.user, pk=pk)).data)

    @extend_schema(
        operation_id="accountability_transfer_receipt",
        summary=gettext_lazy("登记移送回执"),
        description=gettext_lazy("R24：本案承办人或有权作出决定的监督人员登记回执，一次。"),
        request=ReceiptInputSerializer,
        responses={
            200: TransferSerializer,
            400: OpenApiResponse(description=gettext_lazy("参数有误：中文说明")),
            403: OpenApiResponse(description=gettext_lazy("无权登记")),
            404: OpenApiResponse(description=gettext_lazy("没有这项移送")),
        },
    )
    def post(self, request, pk: int):
        _reader(request)
        transfer = selectors.transfer_for(user=request.user, pk=pk)
        if not may_transfer(request.user, transfer.proceeding):  # permission before the body
            raise PermissionDenied(_("只有本案承办人或有权作出决定的监督人员可以登记回执。"))
        body = ReceiptInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        call(transfer_receipt, transfer=transfer, actor=request.user, **body.validated_data)
        return Response(TransferSerializer(selectors.transfer_for(user=request.user, pk=pk)).data)
