"""The permission matrix's rows of R11's platform data (issue 14): the supervision platform's
registers of enforcement subjects, officers and cases, and their Excel exports, for supervisors
and the administrator only (the to-do list itself is the workspace's row, and the admin index's).
"""

from ..matrix_table import row

# fmt: off
SUPERVISING = "login   denied  denied  ok      denied  ok"
# Refused before the method: who may not read gets 403 for a POST too.
GET_ONLY_405 = "login   denied  denied  405     denied  405"

ROWS = {
    #                                    public  insp_a  legal_a city_sv outsd_b sysadm
    "portal:platform-agencies": row(get=SUPERVISING, post=GET_ONLY_405),
    "portal:platform-agencies-export": row(get=SUPERVISING, post=GET_ONLY_405),
    "portal:platform-officers": row(get=SUPERVISING, post=GET_ONLY_405),
    "portal:platform-officers-export": row(get=SUPERVISING, post=GET_ONLY_405),
    "portal:platform-cases": row(get=SUPERVISING, post=GET_ONLY_405),
    "portal:platform-cases-export": row(get=SUPERVISING, post=GET_ONLY_405),
}
# fmt: on
