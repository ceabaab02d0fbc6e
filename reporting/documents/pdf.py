"""The report as a PDF: the HTML template `reporting/reports/pdf.html` (the charts inline SVG
drawn on the server, no script) printed by WeasyPrint in Noto Sans CJK."""

from django.template.loader import render_to_string

from .charts import bar_chart_svg


def report_pdf(content) -> bytes:
    from weasyprint import HTML

    for section in content.sections:
        section.svgs = [bar_chart_svg(chart) for chart in section.charts]
    html = render_to_string("reporting/reports/pdf.html", {"content": content})
    return HTML(string=html).write_pdf()
