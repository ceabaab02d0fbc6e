"""The permission matrix's rows of issue 14's public pages: the complaint's printable receipt
(回执) from tracking, a page of the public like the tracking result (a browser that has not proved
an access code is sent back to the tracking form, a redirect counted as answered), and robots.txt;
a POST to either is 405."""

from ..matrix_table import EVERYONE, NOBODY_405, row

# fmt: off
ROWS = {
    #                          public  insp_a  legal_a city_sv outsd_b sysadm
    "complaints:track-receipt": row(get=EVERYONE, post=NOBODY_405),
    "portal:robots": row(get=EVERYONE, post=NOBODY_405),
}
# fmt: on


def extend_world(world: dict) -> None:
    """Nothing to add: the page reads the complaint this browser tracked, none here."""
