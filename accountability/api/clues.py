"""R26: clues through the API, scoped as the pages are: list, read one, register."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from assessment.models import Inspection
from enforcement.models import CaseFileReview, Officer
from portal.fields import ApiDateField
from portal.params import MAX_ID
from portal.roles import Role, role_of
from portal.scoping import scope, visible_agencies

from ..forms.clues import FORM_SOURCES
from ..models import Clue
from ..selectors import clues as selectors
from ..services.clues import clue_register
from .common import LargeRegisterPagination, TextField

READERS = (Role.SUPERVISOR, Role.SYSADMIN)


class ClueSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    finding_display = serializers.CharField(source="get_finding_display", read_only=True)
    handler_name = serializers.SerializerMethodField()

    class Meta:
        model = Clue
        fields = [
            "id",
            "number",
            "agency",
            "agency_name",
            "source",
            "source_display",
            "complaint",
            "inspection",
            "file_review",
            "remedy_outcome",
            "traced_from",
            "traced_complaint",
            "trace_check",
            "traced_person",
            "responsibility",
            "supervising_office",
            "external_body",
            "external_reference",
            "external_date",
            "summary",
            "received_on",
            "registered_at",
            "status",
            "status_display",
            "handler",
            "handler_name",
            "assigned_at",
            "due_on",
            "escalated_on",
            "finding",
            "finding_display",
            "reasons",
            "closed_at",
        ]

    def get_handler_name(self, clue) -> str:
        handler = clue.handler
        return (handler.get_full_name() or handler.get_username()) if handler else ""


class ClueInputSerializer(serializers.Serializer):
    agency = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    source = serializers.ChoiceField(choices=FORM_SOURCES)
    summary = TextField(max_length=5000)
    received_on = ApiDateField()
    inspection = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    file_review = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    officers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, max_length=50
    )
    external_body = TextField(max_length=100, required=False, allow_blank=True)
    external_reference = TextField(max_length=100, required=False, allow_blank=True)
    external_date = ApiDateField(required=False, allow_null=True)


def _reader(request) -> None:
    if role_of(request.user) not in READERS:
        raise PermissionDenied(_("只有政府法制监督人员可以查看问责线索。"))


def _one(queryset, pk, field: str, message: str):
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [message]})
    return found


class ClueList(GenericAPIView):
    serializer_class = ClueSerializer
    pagination_class = LargeRegisterPagination
    filter_backends: list = []

    def get_queryset(self):
        return Clue.objects.none()  # every read goes through the selector

    @extend_schema(
        operation_id="accountability_clues_list",
        summary=gettext_lazy("问责线索"),
        description=gettext_lazy("R26：本人辖区及下级地区的问责线索，可按状态、来源筛选。"),
        parameters=[
            OpenApiParameter("status", str, enum=Clue.Status.values),
            OpenApiParameter("source", str, enum=Clue.Source.values),
        ],
        responses={200: ClueSerializer(many=True), 400: OpenApiResponse(description="参数有误")},
    )
    def get(self, request):
        _reader(request)
        params = request.query_params
        state, source = params.get("status") or None, params.get("source") or None
        if state is not None and state not in Clue.Status.values:
            raise ValidationError({"status": [_("状态应为 registered、handling 或 closed。")]})
        if source is not None and source not in Clue.Source.values:
            raise ValidationError({"source": [_("没有这种线索来源。")]})
        rows = selectors.clues_list(user=request.user, status=state, source=source)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ClueSerializer(page, many=True).data)

    @extend_schema(
        operation_id="accountability_clues_register",
        summary=gettext_lazy("登记问责线索"),
        description=gettext_lazy(
            "R26：管辖涉及单位的政府法制监督人员登记线索（检查暗访、案卷评查、监察或审计移送、"
            "媒体、举报），编号按本人辖区和年度连续编排。"
        ),
        request=ClueInputSerializer,
        responses={
            201: ClueSerializer,
            400: OpenApiResponse(description=gettext_lazy("参数有误：中文说明")),
            403: OpenApiResponse(description=gettext_lazy("无权登记")),
        },
    )
    def post(self, request):
        if role_of(request.user) != Role.SUPERVISOR:  # permission before the body
            raise PermissionDenied(_("只有政府法制监督人员可以登记问责线索。"))
        body = ClueInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        user = request.user
        data["agency"] = _one(
            visible_agencies(user), data["agency"], "agency", _("没有这个单位，或不在您的辖区内。")
        )
        data["inspection"] = _one(
            scope(Inspection.objects.all(), user),
            data.get("inspection"),
            "inspection",
            _("没有这项检查暗访记录。"),
        )
        data["file_review"] = _one(
            scope(CaseFileReview.objects.all(), user, agency_field="case__agency"),
            data.get("file_review"),
            "file_review",
            _("没有这项案卷评查。"),
        )
        wanted = set(data.pop("officers", []))
        officers = list(Officer.objects.filter(pk__in=wanted, agency=data["agency"]))
        if len(officers) != len(wanted):
            raise ValidationError({"officers": [_("涉及人员须是涉及单位的执法人员。")]})
        try:
            clue = clue_register(region=user.region, actor=user, officers=officers, **data)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from exc
        except DjangoValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise ValidationError(exc.message_dict) from exc
            raise ValidationError({"detail": exc.messages}) from exc
        clue = selectors.clue_for(user=user, pk=clue.pk)
        return Response(ClueSerializer(clue).data, status=status.HTTP_201_CREATED)


class ClueDetail(GenericAPIView):
    serializer_class = ClueSerializer

    def get_queryset(self):
        return Clue.objects.none()

    @extend_schema(
        operation_id="accountability_clue_detail",
        summary=gettext_lazy("问责线索详情"),
        responses={
            200: ClueSerializer,
            404: OpenApiResponse(description=gettext_lazy("没有这条线索，或不在可查看范围内")),
        },
    )
    def get(self, request, pk: int):
        _reader(request)
        return Response(ClueSerializer(selectors.clue_for(user=request.user, pk=pk)).data)
