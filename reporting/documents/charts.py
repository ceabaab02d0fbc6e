"""Bar charts drawn as SVG on the server, for the report's page and its PDF (no script): one
horizontal bar a value, its label on the left and its number on the right. Text is escaped."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH = 640
ROW = 26
TITLE = 28  # the visible title above the bars
LABEL_WIDTH = 220
NUMBER_WIDTH = 70
COLOUR = "#1f5fa8"


def _number(value) -> float:
    try:
        return max(float(value or 0), 0.0)
    except (TypeError, ValueError):
        return 0.0


def bar_chart_svg(chart) -> str:
    """The chart as an inline <svg> with a <title> for screen readers."""
    bars = list(chart.bars)
    height = TITLE + ROW * max(len(bars), 1) + 8
    largest = max((_number(v) for _l, v in bars), default=0) or 1
    span = WIDTH - LABEL_WIDTH - NUMBER_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(chart.title)}">',
        f"<title>{escape(chart.title)}</title>",
        f'<text x="0" y="18" font-size="14" font-weight="bold">{escape(chart.title)}</text>',
    ]
    for index, (label, value) in enumerate(bars):
        y = TITLE + 4 + index * ROW
        length = round(span * _number(value) / largest, 1)
        shown = "—" if value is None else f"{value:,}"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end" font-size="13">'
            f"{escape(label)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length}" height="{ROW - 8}" '
            f'fill="{COLOUR}"></rect>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 17}" font-size="13">'
            f"{escape(shown)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped
