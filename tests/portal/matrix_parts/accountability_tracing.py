"""The permission matrix's row of reverse tracing (R27): the supervisor's button on a clue's page.

It reuses the clue of each side that `accountability_clues` registers (a clue from a report, so
the supervisor over it is refused with 400: only a complaint-sourced clue is traced)."""

from ..matrix_table import row

# fmt: off
#                 public  insp_a  legal_a city_sv outsd_b sysadm
ROWS = {
    "accountability:clue-trace": row(
        pk="clue",
        get=     "login   denied  denied  405     denied  denied",
        post=   ("login   denied  denied  bad     denied  denied",
                 "login   denied  denied  missing denied  denied"),
    ),
}
# fmt: on
