"""The public sections of the portal, in the order the home page shows them.

A section whose page is not built yet has no url name and is shown without a link.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    title: Promise
    summary: Promise
    url_name: str | None

    @property
    def url(self) -> str | None:
        if self.url_name is None:
            return None
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


SECTIONS = (
    Section(
        _("权责清单"),
        _("各级行政执法主体的职权、依据、责任事项和追责情形。"),
        "enforcement:public-index",
    ),
    Section(
        _("执法公示"),
        _("执法权限、依据、程序、裁量基准和救济方式的公开信息。"),
        "disclosures:list",
    ),
    Section(
        _("投诉举报"),
        _("网上投诉、凭登记号和查询码查询办理情况；各级人民政府受理投诉举报的渠道。"),
        "complaints:channels",
    ),
    Section(
        _("典型案例"),
        _("违法或不当行政执法行为的典型案例及其剖析。"),
        "typical-cases:list",
    ),
    Section(_("期限计算"), _("按民法典期间规定和法定节假日计算办理期限。"), "workdays:calculator"),
)
