"""The permission matrix's rows of accountability clues (R26) and their intake (R13): a clue of
each side's agency, registered by its city's supervisor.

Clues are read by supervisors over the unit concerned (and the administrator); agency staff and
the legal office read none (a clue investigates them). Registering, assigning, closing and the
one-action intakes from a complaint or a remedy outcome are the supervisor's."""

from django.utils import timezone

from accountability.models import Clue
from accountability.services.clues import clue_register

from ..matrix_table import LOGGED_IN_405, row

# fmt: off
#                 public  insp_a  legal_a city_sv outsd_b sysadm
SUPERVISOR_GET = ("login   denied  denied  ok      denied  denied",
                  "login   denied  denied  missing denied  denied")
SUPERVISOR_POST = ("login   denied  denied  bad     denied  denied",
                   "login   denied  denied  missing denied  denied")
POST_ONLY = "login   denied  denied  405     denied  denied"

ROWS = {
    "accountability:clue-list": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  405     denied  405",
    ),
    "accountability:clue-queue": row(
        get=     "login   denied  denied  ok      denied  denied",
        post=    "login   denied  denied  405     denied  denied",
    ),
    "accountability:clue-new": row(
        get=     "login   denied  denied  ok      denied  denied",
        post=    "login   denied  denied  bad     denied  denied",
    ),
    "accountability:clue-detail": row(
        pk="clue",
        get=    ("login   denied  denied  ok      denied  ok",
                 "login   denied  denied  missing denied  ok"),
        post=    "login   denied  denied  405     denied  405",
    ),
    "accountability:clue-assign": row(pk="clue", get=POST_ONLY, post=SUPERVISOR_POST),
    "accountability:clue-close": row(pk="clue", get=POST_ONLY, post=SUPERVISOR_POST),
    "accountability:complaint-clue": row(
        pk="complaint", get=SUPERVISOR_GET, post=SUPERVISOR_POST
    ),
    "accountability:remedy-clue": row(pk="remedy", get=SUPERVISOR_GET, post=SUPERVISOR_POST),
    "api:accountability-clues": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  bad     denied  denied",
    ),
    "api:accountability-clue": row(
        pk="clue",
        get=    ("login   denied  denied  ok      denied  ok",
                 "login   denied  denied  missing denied  ok"),
        post=LOGGED_IN_405,
    ),
}
# fmt: on


def _side(side: dict) -> None:
    objects = side["_objects"]
    supervisor = objects["supervisor"]
    clue = clue_register(
        region=supervisor.region,
        agency=objects["agency"],
        source=Clue.Source.REPORT,
        summary="群众举报执法人员随意罚款。",
        received_on=timezone.localdate(),
        actor=supervisor,
        external_body="群众来信",
    )
    side["clue"] = clue.pk


def extend_world(world: dict) -> None:
    for side in ("A", "B"):
        _side(world[side])
