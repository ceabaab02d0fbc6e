"""The scoped staff API of enforcement cases (R6), their decisions and legal review (R5, R7).

Every case is read through `enforcement.selectors.cases`, so a case outside the user's scope is a
404 and nothing changes: agency staff and the legal office see their agencies' cases, supervisors
their region and below, administrators all. Every write is a service of
`enforcement.services.cases` or `enforcement.services.decisions`; its refusal is a 403 (not the
user's to do) or a 400 with the Chinese message, and nothing changes.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from portal.params import is_object_id
from portal.roles import Role, role_of
from portal.scoping import can_act_for, can_review_for

from ..models import Case, CaseRecord, Decision, LegalReview, Stage
from ..selectors import cases as selectors
from ..selectors.staff import acting_agencies
from ..services import cases as case_services
from ..services import decisions as decision_services
from .serializers.cases import (
    CaseAdvanceSerializer,
    CaseDecisionSerializer,
    CaseDetailSerializer,
    CaseLegalReviewSerializer,
    CaseOpenSerializer,
    CaseRecordCorrectSerializer,
    CaseRecordSerializer,
    CaseRowSerializer,
    DecisionMarkSerializer,
    DecisionUnmarkSerializer,
    LegalReviewQueueRowSerializer,
)

READERS = (Role.AGENCY_STAFF, Role.LEGAL_OFFICE, Role.SUPERVISOR, Role.SYSADMIN)
NOT_YOURS = gettext_lazy("只有本单位的执法人员可以办理本单位的案件。")
REFUSED = OpenApiResponse(description=gettext_lazy("无权办理：中文说明"))
MISSING = OpenApiResponse(description=gettext_lazy("没有这件案件，或不在本人可查看的范围内"))
BAD = OpenApiResponse(description=gettext_lazy("输入或状态有误：中文说明"))
CASE_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description=gettext_lazy("案件编号")
)
RECORD_ID = OpenApiParameter(
    "rid", OpenApiTypes.INT, OpenApiParameter.PATH, description=gettext_lazy("记录编号")
)


class CaseReaders(BasePermission):
    message = gettext_lazy("只有执法部门、法制机构和政府法制监督人员可以查看执法案件。")

    def has_permission(self, request, view) -> bool:
        return role_of(request.user) in READERS


class LegalOffices(BasePermission):
    message = gettext_lazy("只有部门法制机构可以查看待法制审核的决定。")

    def has_permission(self, request, view) -> bool:
        return role_of(request.user) == Role.LEGAL_OFFICE


def service_call(func, **kwargs):
    """The services' Django exceptions as DRF's answers: 403, or 400 with the messages."""
    try:
        return func(**kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from exc
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if key == "__all__" else key): messages
                for key, messages in exc.message_dict.items()
            }
        else:
            detail = {"detail": exc.messages}
        raise ValidationError(detail) from exc


def may_act(user, case: Case) -> None:
    """403 before a body is read: only the case agency's own staff write its record."""
    if not can_act_for(user, case.agency):
        raise PermissionDenied(_("只有本单位的执法人员可以办理本单位的案件。"))


def may_review(user, case: Case) -> None:
    if not can_review_for(user, case.agency):
        raise PermissionDenied(_("只有本单位的法制审核机构可以审核。"))


def _valid(serializer_class, request, **context):
    body = serializer_class(data=request.data, context={"user": request.user, **context})
    body.is_valid(raise_exception=True)
    return body.validated_data


def _stages(case: Case) -> list[dict]:
    """R6: the five stages with their flags and record counts."""
    return [
        {
            "stage": stage["value"],
            "label": stage["label"],
            "done": stage["done"],
            "current": stage["current"],
            "records": len(stage["records"]),
            "current_records": sum(1 for r in stage["records"] if r.is_current),
        }
        for stage in selectors.stages_of(case=case)
    ]


def scoped_case(user, pk) -> Case:
    """One case `user` may read, without its related rows (404 otherwise): for the writes and
    the decision, which need the case's scope but not its record."""
    return get_object_or_404(selectors.cases_for(user=user), pk=pk)


def case_answer(request, pk: int, code: int = status.HTTP_200_OK) -> Response:
    """The case as `request.user` may read it, in full."""
    case = selectors.case_for(user=request.user, pk=pk)
    context = {
        "stages": _stages(case),
        "decision": selectors.decision_of(case=case),
        "may_act": can_act_for(request.user, case.agency),
        "may_review": can_review_for(request.user, case.agency),
    }
    return Response(CaseDetailSerializer(case, context=context).data, status=code)


class CaseViewSet(viewsets.GenericViewSet):
    """The cases: the scoped list, one case, opening one, and moving it to the next stage."""

    permission_classes = [IsAuthenticated, CaseReaders]
    serializer_class = CaseRowSerializer
    filter_backends: list = []  # the filters are the selector's arguments
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return Case.objects.none()  # every read below goes through the selectors

    @staticmethod
    def _filters(params) -> dict:
        stage, agency = params.get("stage", ""), params.get("agency", "")
        if stage and stage not in Stage.values:
            raise ValidationError({"stage": [_("没有这个办理阶段。")]})
        if agency and not is_object_id(agency):
            raise ValidationError({"agency": [_("办案单位应为数字编号。")]})
        return {"stage": stage, "agency_id": int(agency) if agency else None}

    @extend_schema(
        summary=gettext_lazy("本人可查看的执法案件"),
        description=gettext_lazy(
            "执法部门和法制机构：本单位的案件；政府法制监督人员：本辖区及下级的案件；"
            "系统管理员：全部。最新立案在前。"
        ),
        parameters=[
            OpenApiParameter("stage", str, enum=Stage.values, description=gettext_lazy("办理阶段")),
            OpenApiParameter("agency", OpenApiTypes.INT, description=gettext_lazy("办案单位")),
        ],
        responses={200: CaseRowSerializer(many=True), 400: BAD, 403: REFUSED},
    )
    def list(self, request, *args, **kwargs):
        rows = selectors.cases_for(user=request.user, **self._filters(request.query_params))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(CaseRowSerializer(page, many=True).data)

    @extend_schema(
        summary=gettext_lazy("案件详情：当事人、承办人员、五个阶段、执法决定和办理过程"),
        parameters=[CASE_ID],
        responses={200: CaseDetailSerializer, 403: REFUSED, 404: MISSING},
    )
    def retrieve(self, request, pk=None):
        return case_answer(request, pk)

    @extend_schema(
        summary=gettext_lazy("立案（R6 第一阶段）"),
        description=gettext_lazy(
            "在本单位已公布的权责事项下立案，写明当事人，并指定至少两名持有效执法证的执法人员。"
        ),
        request=CaseOpenSerializer,
        responses={201: CaseDetailSerializer, 400: BAD, 403: REFUSED},
    )
    def create(self, request, *args, **kwargs):
        agencies = acting_agencies(request.user)
        if not agencies.exists():
            raise PermissionDenied(_("您的账号没有可办理案件的单位。"))
        wanted = str(request.data.get("agency", "")) if hasattr(request.data, "get") else ""
        if is_object_id(wanted) and not agencies.filter(pk=int(wanted)).exists():
            raise PermissionDenied(NOT_YOURS)
        body = CaseOpenSerializer(data=request.data, context={"user": request.user})
        body.is_valid(raise_exception=True)
        case = service_call(case_services.case_open, actor=request.user, **body.service_arguments())
        return case_answer(request, case.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("进入下一阶段（R6：不得跳过，本阶段须已有记录）"),
        parameters=[CASE_ID],
        request=CaseAdvanceSerializer,
        responses={200: CaseDetailSerializer, 400: BAD, 403: REFUSED, 404: MISSING},
    )
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        case = scoped_case(request.user, pk)
        data = _valid(CaseAdvanceSerializer, request)
        service_call(case_services.case_advance, case=case, actor=request.user, **data)
        return case_answer(request, case.pk)


class CaseRecordViewSet(viewsets.GenericViewSet):
    """R6: a case's records: the list, adding one to the current stage, correcting one, and its
    file, served to those who may read the case."""

    permission_classes = [IsAuthenticated, CaseReaders]
    serializer_class = CaseRecordSerializer
    parser_classes = [MultiPartParser, FormParser]
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return CaseRecord.objects.none()  # every read below goes through the selectors

    def _answer(self, record: CaseRecord, code=status.HTTP_201_CREATED) -> Response:
        record = selectors.record_for(user=self.request.user, case_pk=record.case_id, pk=record.pk)
        return Response(CaseRecordSerializer(record).data, status=code)

    @extend_schema(
        summary=gettext_lazy("案件的全部记录（含已更正的旧版本）"),
        parameters=[CASE_ID],
        responses={200: CaseRecordSerializer(many=True), 403: REFUSED, 404: MISSING},
    )
    def list(self, request, pk=None):
        case = selectors.case_for(user=request.user, pk=pk)
        return Response(CaseRecordSerializer(case.records.all(), many=True).data)

    @extend_schema(
        summary=gettext_lazy("添加当前阶段的文字或音像记录（R6）"),
        description=gettext_lazy(
            "multipart/form-data。文件按内容识别类型，文件名的扩展名须与内容一致；"
            "保存 SHA-256 和大小。"
        ),
        parameters=[CASE_ID],
        request={"multipart/form-data": CaseRecordSerializer},
        responses={201: CaseRecordSerializer, 400: BAD, 403: REFUSED, 404: MISSING},
    )
    def create(self, request, pk=None):
        case = scoped_case(request.user, pk)
        may_act(request.user, case)
        data = _valid(CaseRecordSerializer, request)
        record = service_call(case_services.case_record_add, case=case, actor=request.user, **data)
        return self._answer(record)

    @extend_schema(
        summary=gettext_lazy("更正记录：生成新版本并写明理由，原记录保留（R6）"),
        parameters=[CASE_ID, RECORD_ID],
        request={"multipart/form-data": CaseRecordCorrectSerializer},
        responses={201: CaseRecordSerializer, 400: BAD, 403: REFUSED, 404: MISSING},
    )
    def correct(self, request, pk=None, rid=None):
        record = selectors.record_for(user=request.user, case_pk=pk, pk=rid)
        may_act(request.user, record.case)
        data = _valid(CaseRecordCorrectSerializer, request)
        correction = service_call(
            case_services.case_record_correct, record=record, actor=request.user, **data
        )
        return self._answer(correction)

    @extend_schema(
        summary=gettext_lazy("下载记录的文件（仅限可查看本案的人员）"),
        parameters=[CASE_ID, RECORD_ID],
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            403: REFUSED,
            404: MISSING,
        },
    )
    def download(self, request, pk=None, rid=None):
        record = selectors.record_for(user=request.user, case_pk=pk, pk=rid)
        return FileResponse(
            record.file.open("rb"),
            as_attachment=True,
            filename=record.original_name,
            content_type=record.content_type,
        )


class CaseDecisionViewSet(viewsets.GenericViewSet):
    """R5, R7, R30: the case's decision: draft it, submit a major one to the legal office,
    issue it; the legal office's reviews."""

    permission_classes = [IsAuthenticated, CaseReaders]
    serializer_class = CaseDecisionSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        return Decision.objects.none()  # every read below goes through the selectors

    def _case(self) -> Case:
        return scoped_case(self.request.user, self.kwargs["pk"])

    @staticmethod
    def _decision(case: Case) -> Decision:
        decision = selectors.decision_of(case=case)
        if decision is None:
            raise NotFound(_("本案尚未拟定执法决定。"))
        return decision

    def _answer(self, case: Case, code=status.HTTP_200_OK) -> Response:
        return Response(CaseDecisionSerializer(self._decision(case)).data, status=code)

    @extend_schema(
        summary=gettext_lazy("本案的执法决定及其法制审核"),
        parameters=[CASE_ID],
        responses={200: CaseDecisionSerializer, 403: REFUSED, 404: MISSING},
    )
    def retrieve(self, request, pk=None):
        return self._answer(self._case())

    @extend_schema(
        summary=gettext_lazy("拟定或修改执法决定（R7：写明所适用的裁量基准）"),
        description=gettext_lazy(
            "案件处于“审查决定”阶段时拟定；退回修改后可再修改。新拟定时返回 201。"
            "罚款决定写明代收银行（R30），不填时为本地区指定的第一家。"
        ),
        parameters=[CASE_ID],
        request=CaseDecisionSerializer,
        responses={
            200: CaseDecisionSerializer,
            201: CaseDecisionSerializer,
            400: BAD,
            403: REFUSED,
            404: MISSING,
        },
    )
    def update(self, request, pk=None):
        case = self._case()
        may_act(request.user, case)
        existed = selectors.decision_of(case=case) is not None
        data = _valid(CaseDecisionSerializer, request, case=case)
        service_call(decision_services.decision_save, case=case, actor=request.user, **data)
        return self._answer(case, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("重大执法决定提交法制审核（R5）"),
        parameters=[CASE_ID],
        request=None,
        responses={200: CaseDecisionSerializer, 400: BAD, 403: REFUSED, 404: MISSING},
    )
    def submit(self, request, pk=None):
        case = self._case()
        service_call(
            decision_services.decision_submit, decision=self._decision(case), actor=request.user
        )
        return self._answer(case)

    @extend_schema(
        summary=gettext_lazy("作出执法决定（R5：重大决定须经法制审核同意）"),
        parameters=[CASE_ID],
        request=None,
        responses={200: CaseDecisionSerializer, 400: BAD, 403: REFUSED, 404: MISSING},
    )
    def issue(self, request, pk=None):
        case = self._case()
        service_call(
            decision_services.decision_issue, decision=self._decision(case), actor=request.user
        )
        return self._answer(case)

    @extend_schema(
        summary=gettext_lazy("认定为重大执法决定（R5：本单位执法人员或法制机构，须写明理由）"),
        description=gettext_lazy(
            "不属于目录所列金额或种类、但涉及重大公共利益、案情疑难复杂或直接关系当事人或"
            "第三人重大权益等情形的，可认定为重大执法决定；认定后须经法制审核同意才能作出。"
        ),
        parameters=[CASE_ID],
        request=DecisionMarkSerializer,
        responses={200: CaseDecisionSerializer, 400: BAD, 403: REFUSED, 404: MISSING},
    )
    def mark(self, request, pk=None):
        case = self._case()
        if not (
            can_act_for(request.user, case.agency) or can_review_for(request.user, case.agency)
        ):
            raise PermissionDenied(_("只有本单位的执法人员或法制审核机构可以认定重大执法决定。"))
        decision = self._decision(case)
        data = _valid(DecisionMarkSerializer, request)
        service_call(
            decision_services.decision_mark_major, decision=decision, actor=request.user, **data
        )
        return self._answer(case)

    @extend_schema(
        summary=gettext_lazy("取消重大执法决定的认定（R5：仅限本单位法制机构，须写明理由）"),
        description=gettext_lazy(
            "只取消人工认定；符合目录标准的，或已提交过法制审核的，仍须经法制审核同意才能作出。"
        ),
        parameters=[CASE_ID],
        request=DecisionUnmarkSerializer,
        responses={200: CaseDecisionSerializer, 400: BAD, 403: REFUSED, 404: MISSING},
    )
    def unmark(self, request, pk=None):
        case = self._case()
        may_review(request.user, case)
        decision = self._decision(case)
        data = _valid(DecisionUnmarkSerializer, request)
        service_call(
            decision_services.decision_unmark_major, decision=decision, actor=request.user, **data
        )
        return self._answer(case)

    @extend_schema(
        summary=gettext_lazy("本案决定的法制审核记录"),
        parameters=[CASE_ID],
        responses={200: CaseLegalReviewSerializer(many=True), 403: REFUSED, 404: MISSING},
    )
    def reviews(self, request, pk=None):
        decision = self._decision(self._case())
        return Response(CaseLegalReviewSerializer(decision.reviews.all(), many=True).data)

    @extend_schema(
        summary=gettext_lazy("法制审核（R5：仅限本单位法制机构）"),
        description=gettext_lazy(
            "审核执法主体和人员资格、事实和证据、适用依据、裁量和程序五项，"
            "五项均合格才能同意；须写明理由。审核针对决定的当前草稿；写明 draft_version 的，"
            "与当前草稿版本不一致即被拒绝。不同意或要求修改的审核记录始终保留。"
        ),
        parameters=[CASE_ID],
        request=CaseLegalReviewSerializer,
        responses={201: CaseLegalReviewSerializer, 400: BAD, 403: REFUSED, 404: MISSING},
    )
    def review(self, request, pk=None):
        case = self._case()
        may_review(request.user, case)
        decision = self._decision(case)
        data = _valid(CaseLegalReviewSerializer, request)
        review = service_call(
            decision_services.legal_review_record, decision=decision, actor=request.user, **data
        )
        return Response(CaseLegalReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class LegalReviewQueueViewSet(viewsets.GenericViewSet):
    """R5: the decisions awaiting the user's legal review, oldest submission first."""

    permission_classes = [IsAuthenticated, LegalOffices]
    serializer_class = LegalReviewQueueRowSerializer
    filter_backends: list = []

    def get_queryset(self):
        return Decision.objects.none()  # the queue is the selector's

    @extend_schema(
        summary=gettext_lazy("待本人法制审核的重大执法决定"),
        responses={200: LegalReviewQueueRowSerializer(many=True), 403: REFUSED},
    )
    def list(self, request, *args, **kwargs):
        rows = selectors.decisions_awaiting_review(user=request.user).select_related(
            "collecting_bank", "issued_by", "marked_major_by"
        )
        rows = rows.prefetch_related(
            Prefetch("reviews", LegalReview.objects.select_related("reviewer").order_by("at", "pk"))
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(LegalReviewQueueRowSerializer(page, many=True).data)
