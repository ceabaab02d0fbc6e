"""R24, R25, R28: accountability cases through the API, scoped as the pages are (supervisors over
the unit concerned, the case's handler, the administrator): the list, one case with the persons
concerned, the shares of responsibility, the report and the step's limit, and the handler's
report."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from portal.params import MAX_ID
from portal.roles import Role, role_of

from ..models import (
    Accused,
    Consequence,
    Fault,
    Impact,
    Proceeding,
    Proposal,
    Report,
    ResponsibilityShare,
    SanctionKind,
)
from ..selectors import proceedings as selectors
from ..services.reports import report_submit
from .common import LargeRegisterPagination, TextField

READERS = (Role.SUPERVISOR, Role.SYSADMIN)


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


class ProceedingSerializer(serializers.ModelSerializer):
    clue_number = serializers.CharField(source="clue.number", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    step_display = serializers.CharField(source="get_step_display", read_only=True)
    handler_name = serializers.SerializerMethodField()

    class Meta:
        model = Proceeding
        fields = [
            "id",
            "number",
            "clue",
            "clue_number",
            "agency",
            "agency_name",
            "enforcement_case",
            "handler",
            "handler_name",
            "step",
            "step_display",
            "step_started_on",
            "step_due_on",
            "step_due_provisional",
            "opened_at",
            "closed_at",
        ]

    def get_handler_name(self, proceeding) -> str:
        return _name(proceeding.handler)


class ProposalSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Proposal
        fields = ["responsible", "kind", "kind_display", "band_low", "band_high", "justification"]


class AccusedSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)
    is_unit = serializers.BooleanField(read_only=True)
    proposal = serializers.SerializerMethodField()

    class Meta:
        model = Accused
        fields = ["id", "name", "is_unit", "officer", "agency", "proposal"]

    @extend_schema_field(ProposalSerializer(allow_null=True))
    def get_proposal(self, accused) -> dict | None:
        proposal = getattr(accused, "proposal", None)
        return ProposalSerializer(proposal).data if proposal is not None else None


class ShareSerializer(serializers.ModelSerializer):
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    person_name = serializers.SerializerMethodField()

    class Meta:
        model = ResponsibilityShare
        fields = [
            "id",
            "stage",
            "stage_display",
            "person",
            "person_name",
            "officer",
            "acted_at",
            "source_note",
            "proposed_percent",
            "percent",
            "reason",
            "confirmed_at",
        ]

    def get_person_name(self, share) -> str:
        return _name(share.person)


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Report
        fields = [
            "facts",
            "fault",
            "conduct",
            "consequence",
            "impact",
            "mitigating",
            "aggravating",
            "good_faith",
            "submitted_at",
        ]


class ProceedingDetailSerializer(ProceedingSerializer):
    accused = AccusedSerializer(many=True, read_only=True)
    shares = ShareSerializer(many=True, read_only=True)
    report = serializers.SerializerMethodField()

    class Meta(ProceedingSerializer.Meta):
        fields = [*ProceedingSerializer.Meta.fields, "investigation", "accused", "shares", "report"]

    @extend_schema_field(ReportSerializer(allow_null=True))
    def get_report(self, proceeding) -> dict | None:
        report = getattr(proceeding, "report", None)
        return ReportSerializer(report).data if report is not None else None


class ProposalInputSerializer(serializers.Serializer):
    accused = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    responsible = serializers.BooleanField()
    kind = serializers.ChoiceField(choices=SanctionKind.choices, required=False, allow_blank=True)
    justification = TextField(max_length=5000, required=False, allow_blank=True)


class ReportInputSerializer(serializers.Serializer):
    facts = TextField(max_length=20000)
    fault = serializers.ChoiceField(choices=Fault.choices)
    conduct = TextField(max_length=5000)
    consequence = serializers.ChoiceField(choices=Consequence.choices)
    impact = serializers.ChoiceField(choices=Impact.choices)
    mitigating = TextField(max_length=5000, required=False, allow_blank=True)
    aggravating = TextField(max_length=5000, required=False, allow_blank=True)
    good_faith = serializers.BooleanField(required=False, default=False)
    proposals = ProposalInputSerializer(many=True, max_length=200)


def _reader(request) -> None:
    if role_of(request.user) not in READERS:
        raise PermissionDenied(_("只有政府法制监督人员可以查看问责案件。"))


class ProceedingList(GenericAPIView):
    serializer_class = ProceedingSerializer
    pagination_class = LargeRegisterPagination
    filter_backends: list = []

    def get_queryset(self):
        return Proceeding.objects.none()  # every read goes through the selector

    @extend_schema(
        operation_id="accountability_cases_list",
        summary=gettext_lazy("问责案件"),
        description=gettext_lazy(
            "R24：本人辖区及下级地区的问责案件和本人承办的案件，可按环节筛选。"
        ),
        parameters=[OpenApiParameter("step", str, enum=Proceeding.Step.values)],
        responses={
            200: ProceedingSerializer(many=True),
            400: OpenApiResponse(description=gettext_lazy("参数有误")),
        },
    )
    def get(self, request):
        _reader(request)
        step = request.query_params.get("step") or None
        if step is not None and step not in Proceeding.Step.values:
            raise ValidationError({"step": [_("没有这个环节。")]})
        rows = selectors.proceedings_list(user=request.user, step=step)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ProceedingSerializer(page, many=True).data)


class ProceedingDetail(GenericAPIView):
    serializer_class = ProceedingDetailSerializer

    def get_queryset(self):
        return Proceeding.objects.none()

    @extend_schema(
        operation_id="accountability_case_detail",
        summary=gettext_lazy("问责案件详情"),
        description=gettext_lazy(
            "R24、R25、R28：被追究对象及处理建议、按办案环节划分的责任、调查报告、本环节期限。"
        ),
        responses={
            200: ProceedingDetailSerializer,
            404: OpenApiResponse(description=gettext_lazy("没有这个案件，或不在可查看范围内")),
        },
    )
    def get(self, request, pk: int):
        _reader(request)
        proceeding = selectors.proceeding_for(user=request.user, pk=pk)
        return Response(ProceedingDetailSerializer(proceeding).data)


class ProceedingReport(GenericAPIView):
    serializer_class = ReportInputSerializer

    def get_queryset(self):
        return Proceeding.objects.none()

    @extend_schema(
        operation_id="accountability_case_report",
        summary=gettext_lazy("提交调查报告"),
        description=gettext_lazy(
            "R24、R28：承办人提交调查报告，对每个被追究对象提出处理建议；超出建议档次的须写明理由。"
            "涉及执法案件的，须先确认责任划分（R25）。"
        ),
        request=ReportInputSerializer,
        responses={
            201: ProceedingDetailSerializer,
            400: OpenApiResponse(description=gettext_lazy("参数有误：中文说明")),
            403: OpenApiResponse(description=gettext_lazy("只有承办人可以提交")),
            404: OpenApiResponse(description=gettext_lazy("没有这个案件，或不在可查看范围内")),
        },
    )
    def post(self, request, pk: int):
        if role_of(request.user) != Role.SUPERVISOR:  # permission before the body
            raise PermissionDenied(_("只有问责案件的承办人可以提交调查报告。"))
        proceeding = selectors.proceeding_for(user=request.user, pk=pk)
        if proceeding.handler_id != request.user.pk:
            raise PermissionDenied(_("只有问责案件的承办人可以提交调查报告。"))
        body = ReportInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        proposals = {
            p["accused"]: (p["responsible"], p.get("kind", ""), p.get("justification", ""))
            for p in data.pop("proposals")
        }
        data.setdefault("mitigating", "")
        data.setdefault("aggravating", "")
        try:
            report_submit(proceeding=proceeding, actor=request.user, proposals=proposals, **data)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from exc
        except DjangoValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise ValidationError(exc.message_dict) from exc
            raise ValidationError({"detail": exc.messages}) from exc
        proceeding = selectors.proceeding_for(user=request.user, pk=pk)
        return Response(ProceedingDetailSerializer(proceeding).data, status=status.HTTP_201_CREATED)
