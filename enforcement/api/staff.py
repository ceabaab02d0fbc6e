"""The scoped write API on power items: drafts of the user's agencies and the workflow actions.

Every lookup goes through the staff selectors, so an id of an item outside the user's scope is a
404 and changes nothing; a role that sees an item but may not act on it gets a 403 from the
service; a wrong state or bad input is a 400 with the Chinese message.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from portal import scoping

from ..models import PowerItem, PowerItemBasis
from ..selectors import staff as selectors
from ..services import power_items as services
from .serializers.staff import (
    NoteSerializer,
    ReasonSerializer,
    StaffPowerItemDetailSerializer,
    StaffPowerItemSerializer,
)


def _service_call(func, **kwargs):
    """Turn the services' Django exceptions into DRF's answers."""
    try:
        return func(**kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from exc
    except DjangoValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        raise ValidationError(detail) from exc


@extend_schema_view(
    list=extend_schema(
        summary=_("本人可查看的权责事项工作稿"),
        parameters=[
            OpenApiParameter("status", str, enum=PowerItem.Status.values),
            OpenApiParameter("q", str, description=_("按事项名称或编码查找")),
        ],
    ),
    retrieve=extend_schema(summary=_("权责事项工作稿及办理记录")),
    create=extend_schema(summary=_("新建草稿")),
    update=extend_schema(summary=_("修改草稿（修改已公布事项即开始修订）")),
    partial_update=extend_schema(summary=_("修改草稿的部分字段")),
    destroy=extend_schema(summary=_("删除从未公布过的草稿")),
)
class StaffPowerItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = StaffPowerItemSerializer
    filter_backends: list = []  # status and q are read by the selector, not by django-filter

    def get_queryset(self):
        params = self.request.query_params if self.action == "list" else {}
        items = selectors.staff_items(
            self.request.user, status=params.get("status", ""), q=params.get("q", "")
        )
        items = items.prefetch_related(
            Prefetch("bases", queryset=PowerItemBasis.objects.select_related("basis")),
            "discretion_tiers",
        )
        if self.action == "retrieve":
            items = items.prefetch_related("timeline__actor")
        return items

    def get_serializer_class(self):
        if self.action == "retrieve":
            return StaffPowerItemDetailSerializer
        if self.action in (
            "submit",
            "pass_review",
            "publish",
            "withdrawal_pass",
            "withdrawal_approve",
        ):
            return NoteSerializer
        if self.action in ("return_item", "withdraw"):
            return ReasonSerializer
        return StaffPowerItemSerializer

    def _item(self, action: str | None = None):
        """The item in scope (else 404) and, for an action, the right to take it (else 403),
        before the body is read."""
        item = selectors.staff_item(self.request.user, self.kwargs["pk"])
        if action is not None:
            _service_call(
                services.power_item_check_permission,
                actor=self.request.user,
                action=action,
                agency=item.agency,
            )
        return item

    def _answer(self, item: PowerItem, code: int = status.HTTP_200_OK) -> Response:
        item = self.get_queryset().get(pk=item.pk) if code != status.HTTP_204_NO_CONTENT else item
        return Response(StaffPowerItemSerializer(item).data, status=code)

    def create(self, request: Request, *args, **kwargs) -> Response:
        if not selectors.acting_agencies(request.user).exists():
            raise PermissionDenied(_("您的账号没有可编辑权责清单的单位。"))
        serializer = StaffPowerItemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agency = serializer.validated_data["agency"]
        if not scoping.can_act_for(request.user, agency):
            raise PermissionDenied(_("您无权为该单位新建事项。"))
        item = _service_call(
            services.power_item_create,
            agency=agency,
            actor=request.user,
            **serializer.service_arguments(),
        )
        return self._answer(item, status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        item = self._item("edit")
        serializer = StaffPowerItemSerializer(
            item, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        item = _service_call(
            services.power_item_update,
            item=item,
            actor=request.user,
            **serializer.service_arguments(),
        )
        return self._answer(item)

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        _service_call(services.power_item_delete, item=self._item(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _note_action(self, request, service, action: str) -> Response:
        item = self._item(action)
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _service_call(service, item=item, actor=request.user, note=body.validated_data["note"])
        return self._answer(item)

    def _reason_action(self, request, service, action: str) -> Response:
        item = self._item(action)
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _service_call(service, item=item, actor=request.user, reason=body.validated_data["reason"])
        return self._answer(item)

    @extend_schema(summary=_("提交部门法制机构审核"), responses=StaffPowerItemSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk=None) -> Response:
        return self._note_action(request, services.power_item_submit, "submit")

    @extend_schema(summary=_("法制机构审核通过"), responses=StaffPowerItemSerializer)
    @action(detail=True, methods=["post"], url_path="pass", url_name="pass")
    def pass_review(self, request: Request, pk=None) -> Response:
        return self._note_action(request, services.power_item_pass, "pass")

    @extend_schema(summary=_("退回修改（须写明理由）"), responses=StaffPowerItemSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_item(self, request: Request, pk=None) -> Response:
        return self._reason_action(request, services.power_item_return, "return")

    @extend_schema(summary=_("政府法制部门审核公布"), responses=StaffPowerItemSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk=None) -> Response:
        return self._note_action(request, services.power_item_publish, "publish")

    @extend_schema(
        summary=_("申请取消事项（须写明原因，经法制机构和政府法制部门审核批准后生效）"),
        responses=StaffPowerItemSerializer,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk=None) -> Response:
        return self._reason_action(request, services.power_item_withdraw, "withdraw")

    @extend_schema(summary=_("法制机构同意取消"), responses=StaffPowerItemSerializer)
    @action(detail=True, methods=["post"], url_path="withdrawal/pass", url_name="withdrawal-pass")
    def withdrawal_pass(self, request: Request, pk=None) -> Response:
        return self._note_action(request, services.power_item_withdraw_pass, "withdrawal_pass")

    @extend_schema(
        summary=_("政府法制部门批准取消（事项不再公布，取消原因公开）"),
        responses=StaffPowerItemSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="withdrawal/approve",
        url_name="withdrawal-approve",
    )
    def withdrawal_approve(self, request: Request, pk=None) -> Response:
        return self._note_action(
            request, services.power_item_withdraw_approve, "withdrawal_approve"
        )
