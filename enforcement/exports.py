"""Downloads of a public result set as Excel (openpyxl) or CSV.

A cell that begins with = + - @ (or a tab or carriage return) would be read as a formula by a
spreadsheet program (CSV injection): such values get a leading apostrophe, which spreadsheets
show as text. Nothing is ever evaluated: openpyxl writes every value as a plain string.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from .models import PublishedPowerItem
from .selectors import public as selectors

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """The value as text that no spreadsheet will run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


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


def _row(item: PublishedPowerItem) -> list[str]:
    return [
        neutralise(value)
        for value in (
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
    ]


def _rows(queryset) -> Iterator[PublishedPowerItem]:
    # iterator(): a result set of 200,000 items is streamed in chunks, never held whole.
    return queryset.iterator(chunk_size=2000)


def _filename(extension: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d")
    return f"{_('权责清单')}-{stamp}.{extension}"


def _disposition(name: str) -> str:
    # RFC 6266/5987: an ASCII fallback, and the Chinese name for browsers that read filename*.
    ascii_name = "power-list." + name.rsplit(".", 1)[1]
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(queryset) -> StreamingHttpResponse:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese correctly."""
    writer = csv.writer(_Echo())

    def lines() -> Iterable[str]:
        yield "\ufeff" + writer.writerow(_header())
        for item in _rows(queryset):
            yield writer.writerow(_row(item))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _disposition(_filename("csv"))
    return response


def xlsx_response(queryset) -> FileResponse:
    """A write-only workbook (constant memory per row), spooled to a temporary file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("权责清单"))
    sheet.append(_header())
    for item in _rows(queryset[: selectors.EXPORT_LIMIT_XLSX]):
        row = []
        for value in _row(item):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text, never a formula, whatever the value looks like
            row.append(cell)
        sheet.append(row)
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
