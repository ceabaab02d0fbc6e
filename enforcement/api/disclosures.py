"""The public API of disclosed decisions (R9): GET /api/v1/disclosures/ and
/api/v1/disclosures/<id>/.

No login. The redacted snapshots only, with the same filters and capped counts as the pages.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny

from ..filters.disclosures import DisclosureFilter
from ..selectors import disclosures as selectors
from ..selectors import public as public_selectors
from .public import CappedPagination, ErrorSerializer
from .serializers.disclosures import DisclosureDetailSerializer, DisclosureListSerializer


class DisclosurePagination(CappedPagination):
    """The power-items API's pages and capped count, over disclosures."""

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        try:
            number = public_selectors.page_number(request.query_params.get("page"))
            size = self._page_size(request.query_params.get("page_size"))
        except ValidationError as exc:
            raise ApiValidationError({"page": exc.messages}) from None
        self.page = selectors.disclosure_page(queryset, number, size)
        selectors.decorate_rows(self.page.items)
        return self.page.items


class DisclosureList(ListAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = DisclosureListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = DisclosureFilter
    pagination_class = DisclosurePagination

    def get_queryset(self):
        return selectors.disclosures()

    @extend_schema(
        operation_id="disclosures_list",
        summary=_("检索公示的执法决定"),
        description=_(
            "行政执法决定作出后即予公示，最新的在前。公民的姓名已部分隐去，身份证号码、"
            "手机号码和住址不予公开。region 为区划代码或编号，包含其下级区划；q 按标题或"
            "事项名称查找，多个词用空格分开；参数有误时返回 400 和中文说明。"
        ),
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description=_("关键词，最长 100 字")),
            OpenApiParameter("region", OpenApiTypes.STR, description=_("区划代码或编号，含下级")),
            OpenApiParameter("agency", OpenApiTypes.INT, description=_("执法主体编号")),
            OpenApiParameter("year", OpenApiTypes.INT, description=_("决定年份")),
        ],
        responses={200: DisclosureListSerializer(many=True), 400: ErrorSerializer},
        auth=[],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DisclosureDetail(RetrieveAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = DisclosureDetailSerializer

    def get_object(self):
        try:
            return selectors.public_disclosure(self.kwargs["pk"])
        except Http404 as exc:
            raise NotFound(_("没有这个公示的执法决定。")) from exc

    @extend_schema(
        operation_id="disclosures_retrieve",
        summary=_("公示的执法决定详情"),
        description=_(
            "决定的公示内容（已隐去个人信息）、复议或诉讼后的结果说明，以及当事人的救济途径。"
        ),
        responses={
            200: DisclosureDetailSerializer,
            404: OpenApiResponse(description=_("没有这个公示的执法决定")),
        },
        auth=[],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
