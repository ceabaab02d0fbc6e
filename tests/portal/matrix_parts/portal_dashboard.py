"""The permission matrix's rows of the supervisors' dashboard (R11) and its Excel export: the
supervisors and the administrator read them; agency staff and the legal office are refused (403)
before the method is looked at; a POST by those who may read is 405. No objects of their own."""

from ..matrix_table import row

# fmt: off
READERS =    "login   denied  denied  ok      denied  ok"
POST =       "login   denied  denied  405     denied  405"

ROWS = {
    #                    public  insp_a  legal_a city_sv outsd_b sysadm
    "portal:dashboard": row(get=READERS, post=POST),
    "portal:dashboard-export": row(get=READERS, post=POST),
}
# fmt: on


def extend_world(world: dict) -> None:
    """Nothing to add: the dashboard reads what the other parts made."""
