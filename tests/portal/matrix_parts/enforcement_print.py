"""The permission matrix's rows of the case's printable documents (issue 14): the decision in
the official format as a page and as a PDF, and the case file's cover and index. They read like
the case page: the case's agency and the supervisors over it, the administrator; anyone else a
404. Each side's "case" has a major decision awaiting legal review (printed as a draft).
The import page's template workbook is for agency staff and their legal office only."""

from ..matrix_table import LOGGED_IN_405, row

# fmt: off
CASE_READ = ("login   ok      ok      ok      missing ok",
             "login   missing missing missing ok      ok")

ROWS = {
    #             public  insp_a  legal_a city_sv outsd_b sysadm
    "cases:decision-print": row(pk="case", get=CASE_READ, post=LOGGED_IN_405),
    "cases:decision-pdf": row(pk="case", get=CASE_READ, post=LOGGED_IN_405),
    "cases:file-print": row(pk="case", get=CASE_READ, post=LOGGED_IN_405),
    "enforcement:import_template": row(
        get=     "login   ok      ok      denied  ok      denied",
        post=    "login   405     405     denied  405     denied",
    ),
}
# fmt: on
