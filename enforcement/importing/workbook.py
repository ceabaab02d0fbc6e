"""Opening an uploaded workbook safely, reading its rows, and writing the error report."""

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .headers import HEADER_SEARCH_ROWS, Header, match_header

ZIP_MAGIC = b"PK\x03\x04"  # every .xlsx is a zip archive
# A cell starting with one of these would be run as a formula by a spreadsheet program.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class WorkbookError(Exception):
    """The file as a whole cannot be imported; the message is for the user."""


@dataclass
class RawRow:
    number: int
    cells: dict[str, str]
    basis_texts: list[str]
    formula_columns: list[str]


def open_workbook(fileobj):
    """The first worksheet, read-only, formulas kept as formulas (never computed)."""
    head = fileobj.read(4)
    fileobj.seek(0)
    if head != ZIP_MAGIC:
        raise WorkbookError(_("文件不是有效的 Excel 工作簿（.xlsx），请另存为 .xlsx 后上传。"))
    try:
        # data_only=False: a formula is read as its text, so that it is reported, not trusted.
        book = load_workbook(fileobj, read_only=True, data_only=False, keep_links=False)
        return book, book.worksheets[0]
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, IndexError, OSError):
        raise WorkbookError(
            _("文件不是有效的 Excel 工作簿（.xlsx），请另存为 .xlsx 后上传。")
        ) from None


def find_header(sheet) -> Header:
    for number, values in enumerate(
        sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True), start=1
    ):
        header = match_header(values, number)
        if header is not None:
            return header
    raise WorkbookError(
        _("前 %(rows)s 行中没有找到表头（至少须有“事项名称”“权力类型”“设定依据”等列）。")
        % {"rows": HEADER_SEARCH_ROWS}
    )


def estimated_rows(sheet, header: Header) -> int:
    """The data rows the sheet claims to hold (its dimension), for the progress bar."""
    try:
        return max(0, (sheet.max_row or 0) - header.row_number)
    except (TypeError, ValueError):
        return 0


def read_rows(sheet, header: Header) -> Iterator[RawRow]:
    """The data rows below the heading, blank rows skipped; formula cells are flagged."""
    from .rows import cell_text

    wanted = {index: name for name, index in header.columns.items()}
    for number, row in enumerate(
        sheet.iter_rows(min_row=header.row_number + 1), start=header.row_number + 1
    ):
        cells: dict[str, str] = {}
        bases: list[str] = []
        formulas: list[str] = []
        for index, cell in enumerate(row):
            if index not in wanted and index not in header.basis_columns:
                continue
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f":
                formulas.append(get_column_letter(index + 1))
                continue
            text = cell_text(value)
            if index in header.basis_columns:
                bases.append(text)
            else:
                cells[wanted[index]] = text
        if any(cells.values()) or any(bases) or formulas:
            yield RawRow(number=number, cells=cells, basis_texts=bases, formula_columns=formulas)


def neutralise(value):
    """Spreadsheet programs must show a value like =HYPERLINK(...) as text, never run it."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def error_report(problems: Iterator[tuple[int, str, str, str]]) -> bytes:
    """An .xlsx listing (row, code, name, problems), every text cell neutralised."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("问题清单"))
    sheet.append([_("行号"), _("事项编码"), _("事项名称"), _("问题")])
    for row in problems:
        sheet.append([neutralise(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
