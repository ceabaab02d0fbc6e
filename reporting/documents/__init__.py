"""The annual report's files (R31): its charts drawn as SVG on the server, the Word document
(python-docx), the PDF (WeasyPrint from an HTML template) and the Excel annex (openpyxl through
`portal.spreadsheets`). They only present `selectors.reports.report_content`."""
