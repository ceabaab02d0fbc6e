"""The public power-list API: GET /api/v1/power-items/ and /api/v1/power-items/<id>/, and the
agencies the public may name (GET /api/v1/agencies/, the complaint form's choices).

No login. Published items only, with the same filters, search and capped counts as the pages.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import BasePagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from portal.pagination import PageNumberPagination
from portal.params import is_ascii_int

from ..filters.powers import PublicPowerItemFilter
from ..models import Agency
from ..selectors import public as selectors
from .serializers.public import (
    PublicAgencySerializer,
    PublishedPowerItemDetailSerializer,
    PublishedPowerItemListSerializer,
)


class CappedPagination(BasePagination):
    """Page numbers with a count that stops at COUNT_CAP (count_capped says so): counting every
    match of a common word among 200,000 items would cost more than the page."""

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        try:
            number = selectors.page_number(request.query_params.get("page"))
            size = self._page_size(request.query_params.get("page_size"))
        except ValidationError as exc:
            raise ApiValidationError({"page": exc.messages}) from None
        self.page = selectors.capped_page(
            queryset, number, size, q=request.query_params.get("q", "")
        )
        selectors.decorate_rows(self.page.items)
        return self.page.items

    @staticmethod
    def _page_size(raw: str | None) -> int:
        if raw in (None, ""):
            return selectors.PAGE_SIZE
        if not is_ascii_int(raw, minimum=1, maximum=selectors.MAX_PAGE_SIZE):
            raise ValidationError(
                _("每页条数应为 1 至 %(max)d 之间的整数。"), params={"max": selectors.MAX_PAGE_SIZE}
            )
        return int(raw)

    def get_paginated_response(self, data):
        url = self.request.build_absolute_uri()
        page = self.page
        previous = None
        if page.has_previous:
            previous = (
                remove_query_param(url, "page")
                if page.number == 2
                else replace_query_param(url, "page", page.previous_page_number)
            )
        return Response(
            {
                "count": page.count,
                "count_capped": page.count_capped,
                "next": replace_query_param(url, "page", page.next_page_number)
                if page.has_next
                else None,
                "previous": previous,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_capped", "results"],
            "properties": {
                "count": {"type": "integer", "description": str(_("结果数，最多计到上限"))},
                "count_capped": {
                    "type": "boolean",
                    "description": str(_("为真时实际结果多于 count")),
                },
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "description": str(_("页码，1 至 %(max)d") % {"max": selectors.MAX_PAGE}),
                "schema": {"type": "integer", "minimum": 1, "maximum": selectors.MAX_PAGE},
            },
            {
                "name": "page_size",
                "in": "query",
                "required": False,
                "description": str(_("每页条数，默认 %(default)d，最多 %(max)d"))
                % {"default": selectors.PAGE_SIZE, "max": selectors.MAX_PAGE_SIZE},
                "schema": {"type": "integer", "minimum": 1, "maximum": selectors.MAX_PAGE_SIZE},
            },
        ]


class ErrorSerializer(serializers.Serializer):
    field = serializers.ListField(child=serializers.CharField(), help_text=_("参数名及其错误"))


class PowerItemList(ListAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = PublishedPowerItemListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PublicPowerItemFilter
    pagination_class = CappedPagination

    def get_queryset(self):
        return selectors.published_list()

    @extend_schema(
        operation_id="power_items_list",
        summary=_("检索已公布的权责事项"),
        description=_(
            "只返回已公布的事项。q 按中文词语检索（两字词如“许可”即可，多个词用空格分开，"
            "全部包含才匹配）；region 为区划代码或编号，包含其下级区划；参数有误时返回 400 "
            "和中文说明。"
        ),
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description=_("关键词，最长 100 字")),
            OpenApiParameter("region", OpenApiTypes.STR, description=_("区划代码或编号，含下级")),
            OpenApiParameter("agency", OpenApiTypes.INT, description=_("执法主体编号")),
        ],
        responses={200: PublishedPowerItemListSerializer(many=True), 400: ErrorSerializer},
        auth=[],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PowerItemDetail(RetrieveAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = PublishedPowerItemDetailSerializer

    def get_object(self):
        try:
            return selectors.published_item(self.kwargs["pk"])
        except Http404 as exc:
            raise NotFound(_("没有这个已公布的事项。")) from exc

    @extend_schema(
        operation_id="power_items_retrieve",
        summary=_("已公布权责事项详情"),
        description=_(
            "事项的全部公开内容：依据及条款、责任事项、追责情形、裁量基准、委托执法和公开的变更记录。"
        ),
        responses={
            200: PublishedPowerItemDetailSerializer,
            404: OpenApiResponse(description=_("没有这个已公布的事项")),
        },
        auth=[],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AgencyList(ListAPIView):
    """Every enforcement subject by name, region and kind: which agency a complaint is about."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = PublicAgencySerializer
    filter_backends: list = []  # region and q are read below
    pagination_class = PageNumberPagination

    def get_queryset(self):
        agencies = Agency.objects.select_related("region").order_by("region__path", "name", "pk")
        params = self.request.query_params
        if params.get("region"):
            try:
                region = selectors.region_by_code_or_id(params["region"])
            except ValidationError as exc:
                raise ApiValidationError({"region": exc.messages}) from None
            agencies = agencies.filter(region__path__startswith=region.path)
        q = params.get("q", "").strip()
        if len(q) > 100:
            raise ApiValidationError({"q": [_("关键词不能超过 100 个字。")]})
        if q:
            agencies = agencies.filter(name__contains=q)
        return agencies

    @extend_schema(
        operation_id="agencies_list",
        summary=_("执法主体名录"),
        description=_(
            "全部执法主体的编号、名称、所属区划和主体类型，供投诉时选择被投诉单位。"
            "region 为区划代码或编号，包含其下级区划；q 按名称查找。"
        ),
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description=_("名称包含的文字，最长 100 字")),
            OpenApiParameter("region", OpenApiTypes.STR, description=_("区划代码或编号，含下级")),
        ],
        responses={200: PublicAgencySerializer(many=True), 400: ErrorSerializer},
        auth=[],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
