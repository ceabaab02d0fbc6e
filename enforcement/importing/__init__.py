"""Reading power lists from the Excel layouts governments use, and writing the error report.

Nothing here touches the database: `headers` recognises the columns, `rows` checks one row
against what the caller looked up (the agency, its codes, the basis register), `workbook` opens
the file without ever evaluating a formula and writes the report.
"""
