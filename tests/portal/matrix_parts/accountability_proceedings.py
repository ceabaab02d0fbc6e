"""The permission matrix's rows of the accountability case's first half (R24 handling and report,
R25 shares, R28 band): a case on each side's agency, opened from a clue its city's supervisor
registered and handles, with one piece of evidence.

The cases are read by supervisors over the unit concerned and the administrator (read-only);
the unit's staff and legal office read none (the case investigates them). The handler's forms
are the handler's; an empty POST is a 400. Another city's case is a 404."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accountability.models import AccountabilityRules, Clue
from accountability.services.clues import clue_assign, clue_register
from accountability.services.proceedings import evidence_add, proceeding_open
from tests.enforcement.test_cases import PDF

from ..matrix_table import LOGGED_IN_405, AdminModel, row

# fmt: off
#                public  insp_a  legal_a city_sv outsd_b sysadm
READ = ("login   denied  denied  ok      denied  ok",
        "login   denied  denied  missing denied  ok")
READ_405 = "login   denied  denied  405     denied  405"
HANDLER_POST = ("login   denied  denied  bad     denied  denied",
                "login   denied  denied  missing denied  denied")
POST_ONLY = "login   denied  denied  405     denied  denied"

ROWS = {
    "accountability:case-list": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=READ_405,
    ),
    "accountability:case-queue": row(
        get=     "login   denied  denied  ok      denied  denied",
        post=POST_ONLY,
    ),
    # The clue of the clues' part (registered, no handler yet): the form shows; an empty POST
    # is refused for the clue's state.
    "accountability:case-open": row(
        pk="clue",
        get=    ("login   denied  denied  ok      denied  denied",
                 "login   denied  denied  missing denied  denied"),
        post=HANDLER_POST,
    ),
    "accountability:case-detail": row(pk="proceeding", get=READ, post=READ_405),
    "accountability:case-investigate": row(pk="proceeding", get=POST_ONLY, post=HANDLER_POST),
    "accountability:case-evidence": row(pk="proceeding", get=POST_ONLY, post=HANDLER_POST),
    "accountability:case-evidence-download": row(
        pk="proceeding", eid="proceeding_evidence", get=READ, post=READ_405
    ),
    "accountability:case-shares": row(pk="proceeding", get=POST_ONLY, post=HANDLER_POST),
    "accountability:case-report": row(
        pk="proceeding",
        get=    ("login   denied  denied  ok      denied  denied",
                 "login   denied  denied  missing denied  denied"),
        post=HANDLER_POST,
    ),
    "api:accountability-cases": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=LOGGED_IN_405,
    ),
    "api:accountability-case": row(pk="proceeding", get=READ, post=LOGGED_IN_405),
    "api:accountability-case-report": row(
        pk="proceeding", get=LOGGED_IN_405, post=HANDLER_POST
    ),
}
# fmt: on

# R24, R28: each region's time limits and sanction bands, kept by its supervisors in the admin.
ADMIN_MODELS = {
    "accountability.accountabilityrules": AdminModel(
        "accountability_rules", "view add change", "view add change delete", scoped=True
    ),
}


def _side(side: dict) -> None:
    objects = side["_objects"]
    supervisor = objects["supervisor"]
    clue = clue_register(
        region=supervisor.region,
        agency=objects["agency"],
        source=Clue.Source.REPORT,
        summary="群众举报执法人员未出示执法证件。",
        received_on=timezone.localdate(),
        actor=supervisor,
        external_body="群众来信",
    )
    clue = clue_assign(clue=clue, handler=supervisor, actor=supervisor)
    proceeding = proceeding_open(clue=clue, actor=supervisor, officers=objects["officers"][:1])
    evidence = evidence_add(
        proceeding=proceeding,
        upload=SimpleUploadedFile("询问笔录.pdf", PDF, content_type="application/pdf"),
        description="询问笔录",
        actor=supervisor,
    )
    side["proceeding"] = proceeding.pk
    side["proceeding_evidence"] = evidence.pk
    side["accountability_rules"] = AccountabilityRules.objects.create(region=objects["region"]).pk


def extend_world(world: dict) -> None:
    for side in ("A", "B"):
        _side(world[side])
