"""The scoped staff complaints API: the register (R15), the decision on acceptance (R16) and the
handling with its feedback (R17); and the written-response requests for the agency complained
about.

Every lookup goes through the staff selectors (`complaints.privacy.complaints_visible_to`), so a
complaint outside the user's scope is a 404 and nothing changes; a role that sees it but may not
act gets the service's 403; a wrong state or bad input is a 400 with the Chinese message. The
complainant's identity is masked unless `may_see_identity`, and every unmasked read is logged.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from portal.models import User
from portal.pagination import PageNumberPagination
from portal.params import is_object_id
from portal.roles import Role, role_of
from portal.scoping import visible_agencies

from ..models import Complaint, ComplaintEvent
from ..privacy import (
    identity_of,
    log_identity_views,
    masked_identity,
    may_see_identity,
    unmasked_identity,
)
from ..selectors import staff as selectors
from ..services import decisions, handling
from ..services.permissions import complaint_check_permission
from .public import field_errors
from .serializers import (
    AgencyRequestAnswerSerializer,
    AgencyRequestSerializer,
    ComplaintAcceptSerializer,
    ComplaintAskAgencySerializer,
    ComplaintAssignSerializer,
    ComplaintCloseSerializer,
    ComplaintDetailSerializer,
    ComplaintExtendSerializer,
    ComplaintNoteSerializer,
    ComplaintRefuseSerializer,
    ComplaintStepSerializer,
    ComplaintTransferSerializer,
    RegisterRowSerializer,
)

REGISTER_ROLES = (Role.SUPERVISOR, Role.SYSADMIN)
REFUSED = OpenApiResponse(description=gettext_lazy("无权办理该投诉"))
MISSING = OpenApiResponse(description=gettext_lazy("没有这件投诉，或不在本人可查看的范围内"))
BAD = OpenApiResponse(description=gettext_lazy("输入或状态有误：中文说明"))


class StaffPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


# The viewset's action names where they differ from the steps' (complaints.services.permissions).
_ACTION_NAMES = {"ask_agency": "ask", "steps": "step", "request_material": "material"}


def service_call(func, **kwargs):
    """The services' Django exceptions as DRF's answers (403, 400 with the messages)."""
    try:
        return func(**kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from exc
    except DjangoValidationError as exc:
        raise ValidationError(field_errors(exc, default_field="detail")) from exc


def _handler(user_id) -> User | None:
    if user_id is None:
        return None
    handler = User.objects.filter(pk=user_id, is_active=True).first()
    if handler is None:
        raise ValidationError({"handler": [_("没有这个用户。")]})
    return handler


def _action_schema(summary, body):
    return extend_schema(
        summary=summary,
        request=body,
        responses={200: ComplaintDetailSerializer, 400: BAD, 403: REFUSED, 404: MISSING},
    )


class StaffComplaintViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = RegisterRowSerializer
    filter_backends: list = []  # the filters are the selector's arguments
    pagination_class = StaffPagination

    def get_queryset(self):
        return Complaint.objects.none()  # every read below goes through the selectors

    def get_serializer_class(self):
        return ComplaintDetailSerializer if self.action != "list" else RegisterRowSerializer

    @extend_schema(
        summary=gettext_lazy("投诉登记簿"),
        description=gettext_lazy(
            "R15：本人可查看范围内的投诉，最新在前。投诉人身份信息对承办人和本辖区监督人员以外"
            "的人遮蔽；未遮蔽的每次查看均有记录。"
        ),
        parameters=[
            OpenApiParameter("status", str, enum=Complaint.Status.values),
            OpenApiParameter("year", OpenApiTypes.INT, description=gettext_lazy("登记年度")),
            OpenApiParameter("agency", OpenApiTypes.INT, description=gettext_lazy("被投诉单位")),
            OpenApiParameter("number", str, description=gettext_lazy("登记号（部分即可）")),
        ],
        responses={200: RegisterRowSerializer(many=True), 400: BAD, 403: REFUSED},
    )
    def list(self, request, *args, **kwargs):
        if role_of(request.user) not in REGISTER_ROLES:
            raise PermissionDenied(_("只有政府法制监督人员可以查看投诉登记簿。"))
        rows = selectors.register_rows(user=request.user, **self._filters(request.query_params))
        page = self.paginate_queryset(rows)
        identities = self._identities(page)
        data = RegisterRowSerializer(page, many=True, context={"identities": identities}).data
        return self.get_paginated_response(data)

    @staticmethod
    def _filters(params) -> dict:
        filters = {"status": params.get("status", ""), "number": params.get("number", "")[:32]}
        if filters["status"] and filters["status"] not in Complaint.Status.values:
            raise ValidationError({"status": [_("没有这个状态。")]})
        for name, label in (("year", _("登记年度")), ("agency", _("被投诉单位"))):
            raw = params.get(name, "")
            if raw and not is_object_id(raw):
                raise ValidationError({name: [_("%(label)s应为数字。") % {"label": label}]})
            filters["agency_id" if name == "agency" else name] = int(raw) if raw else None
        return filters

    def _identities(self, complaints) -> dict:
        """Each row's identity as the user may see it; the rows shown unmasked are logged."""
        user, identities, shown = self.request.user, {}, []
        for complaint in complaints:
            if may_see_identity(user, complaint):
                identities[complaint.pk] = unmasked_identity(complaint)
                shown.append(complaint)
            else:
                identities[complaint.pk] = identity_of(user, complaint, where="api")
        if shown:
            log_identity_views(user, shown, where="api")
        return identities

    def _complaint(self) -> Complaint:
        return selectors.complaint_for(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, *, reveal: bool = True) -> Response:
        """The complaint in full; an action's answer (reveal=False) masks the identity, so that
        only a deliberate read shows it and is logged."""
        complaint = selectors.complaint_for(user=self.request.user, pk=pk)
        complaint = (
            type(complaint)
            .objects.prefetch_related(
                Prefetch("timeline", ComplaintEvent.objects.select_related("actor")),
                "requests",
                "attachments",
            )
            .select_related("agency", "region", "handler")
            .get(pk=complaint.pk)
        )
        if reveal:
            identity = identity_of(self.request.user, complaint, where="api")
        else:
            identity = masked_identity(complaint)
        context = {"identities": {complaint.pk: identity}}
        return Response(ComplaintDetailSerializer(complaint, context=context).data)

    @extend_schema(
        summary=gettext_lazy("投诉详情（含内部办理环节、书面说明要求和附件信息）"),
        responses={200: ComplaintDetailSerializer, 404: MISSING},
    )
    def retrieve(self, request, *args, **kwargs):
        return self._detail(kwargs["pk"])

    def _act(self, request, body_class, call) -> Response:
        complaint = self._complaint()
        service_call(
            complaint_check_permission,
            actor=request.user,
            complaint=complaint,
            action=_ACTION_NAMES.get(self.action, self.action),
        )
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        call(complaint, body.validated_data)
        return self._detail(complaint.pk, reveal=False)

    @_action_schema(gettext_lazy("受理（R16），可同时指定承办人"), ComplaintAcceptSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        def call(complaint, data):
            service_call(
                decisions.complaint_accept,
                complaint=complaint,
                actor=request.user,
                handler=_handler(data.get("handler")),
                note=data["note"],
            )

        return self._act(request, ComplaintAcceptSerializer, call)

    @_action_schema(gettext_lazy("不予受理（R17：须选择理由）"), ComplaintRefuseSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        def call(complaint, data):
            service_call(
                decisions.complaint_refuse, complaint=complaint, actor=request.user, **data
            )

        return self._act(request, ComplaintRefuseSerializer, call)

    @_action_schema(gettext_lazy("转有权处理的机关办理"), ComplaintTransferSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        def call(complaint, data):
            service_call(
                decisions.complaint_transfer, complaint=complaint, actor=request.user, **data
            )

        return self._act(request, ComplaintTransferSerializer, call)

    @_action_schema(gettext_lazy("指定承办人"), ComplaintAssignSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        def call(complaint, data):
            service_call(
                handling.complaint_assign,
                complaint=complaint,
                actor=request.user,
                handler=_handler(data["handler"]),
            )

        return self._act(request, ComplaintAssignSerializer, call)

    @_action_schema(gettext_lazy("要求被投诉单位书面说明"), ComplaintAskAgencySerializer)
    @action(detail=True, methods=["post"], url_path="ask-agency", url_name="ask-agency")
    def ask_agency(self, request, pk=None):
        def call(complaint, data):
            service_call(
                handling.complaint_ask_agency, complaint=complaint, actor=request.user, **data
            )

        return self._act(request, ComplaintAskAgencySerializer, call)

    @_action_schema(
        gettext_lazy("记录调查核实（内部）或办理进展（告知投诉人）"), ComplaintStepSerializer
    )
    @action(detail=True, methods=["post"])
    def steps(self, request, pk=None):
        def call(complaint, data):
            service_call(
                handling.complaint_record_step, complaint=complaint, actor=request.user, **data
            )

        return self._act(request, ComplaintStepSerializer, call)

    @_action_schema(gettext_lazy("请投诉人补充材料"), ComplaintNoteSerializer)
    @action(detail=True, methods=["post"], url_path="request-material", url_name="request-material")
    def request_material(self, request, pk=None):
        def call(complaint, data):
            service_call(
                handling.complaint_request_material,
                complaint=complaint,
                actor=request.user,
                **data,
            )

        return self._act(request, ComplaintNoteSerializer, call)

    @_action_schema(gettext_lazy("延长办理期限（一次，理由告知投诉人）"), ComplaintExtendSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        def call(complaint, data):
            service_call(handling.complaint_extend, complaint=complaint, actor=request.user, **data)

        return self._act(request, ComplaintExtendSerializer, call)

    @_action_schema(gettext_lazy("办结并反馈（R17）"), ComplaintCloseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        def call(complaint, data):
            service_call(handling.complaint_close, complaint=complaint, actor=request.user, **data)

        return self._act(request, ComplaintCloseSerializer, call)

    @_action_schema(gettext_lazy("移送责任追究"), ComplaintNoteSerializer)
    @action(detail=True, methods=["post"])
    def refer(self, request, pk=None):
        def call(complaint, data):
            service_call(handling.complaint_refer, complaint=complaint, actor=request.user, **data)

        return self._act(request, ComplaintNoteSerializer, call)


class AgencyRequestViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The requests for a written response addressed to the agencies the user acts for."""

    serializer_class = AgencyRequestSerializer
    filter_backends: list = []
    pagination_class = StaffPagination

    def get_queryset(self):
        return selectors.requests_for(user=self.request.user).select_related("complaint__region")

    def _identities(self, requests) -> dict:
        """Identity only where the handler shared it, to the agency's own staff (or to whoever
        may see it anyway); every unmasked read is logged."""
        user = self.request.user
        acting = set()
        if role_of(user) in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE):
            acting = set(visible_agencies(user).values_list("pk", flat=True))
        identities, shown = {}, []
        for item in requests:
            complaint = item.complaint
            if complaint.anonymous:
                continue
            if (item.share_identity and item.agency_id in acting) or may_see_identity(
                user, complaint
            ):
                identities[item.pk] = unmasked_identity(complaint)
                shown.append(complaint)
        if shown:
            log_identity_views(user, shown, where="api")
        return identities

    @extend_schema(
        summary=gettext_lazy("被投诉单位收到的书面说明要求"),
        parameters=[
            OpenApiParameter("answered", OpenApiTypes.BOOL, description=gettext_lazy("是否已答复")),
        ],
        responses={200: AgencyRequestSerializer(many=True)},
    )
    def list(self, request, *args, **kwargs):
        answered = request.query_params.get("answered", "")
        rows = self.get_queryset()
        if answered in ("true", "1", "false", "0"):
            rows = rows.filter(answered_at__isnull=answered in ("false", "0"))
        page = self.paginate_queryset(rows)
        context = {"identities": self._identities(page)}
        return self.get_paginated_response(
            AgencyRequestSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        summary=gettext_lazy("被投诉单位作出书面说明"),
        request=AgencyRequestAnswerSerializer,
        responses={200: AgencyRequestSerializer, 400: BAD, 403: REFUSED, 404: MISSING},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        item = selectors.request_for(user=request.user, pk=pk)
        body = AgencyRequestAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        service_call(
            handling.agency_request_answer,
            request=item,
            actor=request.user,
            answer=body.validated_data["answer"],
        )
        item = self.get_queryset().get(pk=item.pk)
        context = {"identities": self._identities([item])}
        return Response(AgencyRequestSerializer(item, context=context).data)
