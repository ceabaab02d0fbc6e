"""Downloads of a public result set of the power list as Excel or CSV (`portal.spreadsheets`
writes them and neutralises spreadsheet formulas)."""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from portal import spreadsheets

from .models import PublishedPowerItem
from .selectors import public as selectors


def _header() -> list[str]:
    return [
        _("事项编码"),
        _("事项名称"),
        _("子项名称"),
        _("职权类别"),
        _("行使层级"),
        _("实施主体"),
        _("承办机构"),
        _("执法依据"),
        _("责任事项"),
        _("追责情形"),
        _("办理流程"),
        _("监督电话"),
        _("受委托组织及委托依据"),
        _("公布时间"),
    ]


def _bases_text(item: PublishedPowerItem) -> str:
    return "；".join(
        f"{b['title']}{b['document_number'] and '（' + b['document_number'] + '）'}{b['articles']}"
        for b in selectors.bases_of(item)
    )


def _delegation_text(item: PublishedPowerItem) -> str:
    delegation = selectors.delegation_of(item)
    if delegation is None:
        return ""
    return f"{delegation['organisation']}：{delegation['basis']}"


def _row(item: PublishedPowerItem) -> tuple:
    return (
        item.code,
        item.name,
        item.sub_item,
        item.get_category_display(),
        item.get_level_display(),
        item.agency.name,
        item.handling_unit,
        _bases_text(item),
        item.responsibilities,
        item.accountability,
        item.process,
        item.agency.supervision_phone,
        _delegation_text(item),
        timezone.localtime(item.published_at).strftime("%Y-%m-%d %H:%M"),
    )


def _rows(tiers, limit: int | None = None) -> Iterator[PublishedPowerItem]:
    """The rows of the result's rank tiers (`selectors.ranked`) in order, up to `limit`.
    iterator(): a result set of 200,000 items is streamed in chunks, never held whole."""
    left = limit
    for tier in tiers:
        if left is not None:
            tier = tier[:left]
        for row in tier.iterator(chunk_size=2000):
            yield row
            if left is not None:
                left -= 1
        if left == 0:
            return


def csv_response(tiers):
    return spreadsheets.csv_response(
        header=_header(),
        rows=map(_row, _rows(tiers)),
        filename=spreadsheets.dated_name(_("权责清单"), "csv"),
        ascii_name="power-list.csv",
    )


def xlsx_response(tiers):
    return spreadsheets.xlsx_response(
        header=_header(),
        rows=map(_row, _rows(tiers, selectors.EXPORT_LIMIT_XLSX)),
        sheet=_("权责清单"),
        filename=spreadsheets.dated_name(_("权责清单"), "xlsx"),
    )
