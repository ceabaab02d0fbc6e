"""The report as a Word document (python-docx): real headings (标题 1, 标题 2), each section's
narrative as plain paragraphs, its figures as tables and its distributions as bar tables (a
column of ▇ proportional to the value). East Asian text is set in 宋体 and headings in 黑体 (the
w:eastAsia font), as Chinese government documents are."""

import io

from django.utils.translation import gettext as _

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
BAR_WIDTH = 20


def _set_font(style, name: str) -> None:
    from docx.oxml.ns import qn

    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), name)


def _table(document, headers, rows) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(header)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)


def _bars(chart) -> list[tuple[str, str, str]]:
    values = [v if isinstance(v, int | float) else 0 for _l, v in chart.bars]
    largest = max(values, default=0) or 1
    return [
        (str(label), "—" if v is None else f"{v:,}", "▇" * round(BAR_WIDTH * n / largest))
        for (label, v), n in zip(chart.bars, values, strict=True)
    ]


def report_docx(content) -> bytes:
    from docx import Document

    document = Document()
    for name in ("Normal", "Table Grid"):
        _set_font(document.styles[name], BODY_FONT)
    for name in ("Title", "Heading 1", "Heading 2"):
        _set_font(document.styles[name], HEADING_FONT)
    document.core_properties.title = content.title
    document.add_heading(content.title, level=0)
    document.add_paragraph(content.figures.filters.describe())
    for number, section in enumerate(content.sections, start=1):
        document.add_heading(f"{_number(number)}、{section.title}", level=1)
        for line in section.text.splitlines():
            if line.strip():
                document.add_paragraph(line.strip())
        for table in section.tables:
            document.add_heading(table.title, level=2)
            _table(document, table.headers, table.shown())
        for chart in section.charts:
            document.add_heading(_("图：%(title)s") % {"title": chart.title}, level=2)
            _table(document, (_("项目"), _("数值"), _("图示")), _bars(chart))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_DIGITS = "一二三四五六七八九十"


def _number(n: int) -> str:
    """一 … 十, 十一 … 十九 (the report has fewer than twenty sections)."""
    if n <= 10:
        return _DIGITS[n - 1]
    return "十" + _DIGITS[n - 11]
