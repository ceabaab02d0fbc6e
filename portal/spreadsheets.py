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


def xlsx_tables_response(*, title: str, subtitle: str, tables: Iterable, filename: str):
    """One sheet of several titled tables (a title row, a header row, the rows, a blank row),
    as the figures' export (`tables`: (title, headers, rows) triples). Numbers stay numbers, so
    that the reader can add them up; every text goes through `neutralise`."""
    from decimal import Decimal

    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "统计"
    bold = Font(bold=True)

    def cells(values):
        return [
            v if isinstance(v, int | float | Decimal) and not isinstance(v, bool) else neutralise(v)
            for v in values
        ]

    sheet.append(cells([title]))
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.append(cells([subtitle]))
    sheet.append([])
    widest = 10
    for table_title, headers, rows in tables:
        sheet.append(cells([table_title]))
        sheet.cell(row=sheet.max_row, column=1).font = bold
        sheet.append(cells(headers))
        for column in range(1, len(headers) + 1):
            sheet.cell(row=sheet.max_row, column=column).font = bold
        for row in rows:
            sheet.append(cells(row))
            widest = max(widest, len(str(row[0])) * 2)
        sheet.append([])
    sheet.column_dimensions["A"].width = min(widest, 60)
    for column in ("B", "C", "D"):
        sheet.column_dimensions[column].width = 16
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX)
