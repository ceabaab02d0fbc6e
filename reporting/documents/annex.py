"""The report's figures as an Excel annex: one sheet a section with figures, the same values as
the Word document and the PDF print them, every cell text neutralised against formulas
(`portal.spreadsheets`)."""

import tempfile

from portal.spreadsheets import neutralise

SHEET_TITLE_MAX = 31  # Excel's limit
_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "·"))


def report_xlsx(content) -> tempfile.SpooledTemporaryFile:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    used = set()
    for section in content.sections:
        if not section.tables:
            continue
        title = section.title.translate(_FORBIDDEN)[:SHEET_TITLE_MAX]
        while title in used:
            title = title[: SHEET_TITLE_MAX - 1] + "'"
        used.add(title)
        sheet = workbook.create_sheet(title)
        for table in section.tables:
            sheet.append([neutralise(table.title)])
            sheet.append([neutralise(h) for h in table.headers])
            for values in table.shown():
                cells = []
                for value in values:
                    cell = WriteOnlyCell(sheet, value=neutralise(value))
                    cell.data_type = "s"
                    cells.append(cell)
                sheet.append(cells)
            sheet.append([])
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    return spool
