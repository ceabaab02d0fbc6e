"""Downloads as Excel (openpyxl) or CSV, shared by every export of the portal.

A cell that begins with = + - @ (or a tab or carriage return) would be read as a formula by a
spreadsheet program (CSV injection): such values get a leading apostrophe, which spreadsheets
show as text. Nothing is ever evaluated: openpyxl writes every value as a plain string.
"""

import csv
import tempfile
from collections.abc import Iterable
from urllib.parse import quote

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value) -> str:
    """The value as text that no spreadsheet will run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def dated_name(title: str, extension: str) -> str:
    """ "权责清单-20261125.xlsx": the title and today's date."""
    return f"{title}-{timezone.localtime():%Y%m%d}.{extension}"


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(*, header: list[str], rows: Iterable, filename: str, ascii_name: str):
    """Streamed CSV in UTF-8 with a byte-order mark, so that Excel opens the Chinese correctly.

    `ascii_name` ("power-list.csv") is the fallback name for browsers that do not read
    filename* (RFC 6266/5987)."""
    writer = csv.writer(_Echo())

    def lines() -> Iterable[str]:
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([neutralise(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def xlsx_response(*, header: list[str], rows: Iterable, sheet: str, filename: str):
    """A write-only workbook (constant memory per row), every cell typed as text, spooled to a
    temporary file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.append(header)
    for values in rows:
        row = []
        for value in values:
            cell = WriteOnlyCell(worksheet, value=neutralise(value))
            cell.data_type = "s"  # text, never a formula, whatever the value looks like
            row.append(cell)
        worksheet.append(row)
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX)
