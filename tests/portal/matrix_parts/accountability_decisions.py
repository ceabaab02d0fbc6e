"""The permission matrix's rows of the accountability case's second half: the notices and the
statement of defence (R29), the decision and its review (R24, R28, R29), the transfers and their
receipts (R24).

Each side has two cases of its agency, handled by its city's supervisor: one in step DECISION
whose notice went to an officer whose account is the side's staff (inspector_a / outsider_b),
and one decided by another supervisor of the city (so the personas' supervisor may review it),
transferred without a receipt yet, the officer having asked for a review.

The accused read and answer their own notice and ask for the review of their own sanction; the
unit's legal office does not read an officer's notice; supervisors over the unit read the cases
and act on them; the administrator reads but does not decide."""

from django.utils import timezone

from accountability.models import (
    Accused,
    Clue,
    Proceeding,
    Proposal,
    Report,
    SanctionKind,
    Transfer,
)
from accountability.services.clues import clue_assign, clue_register
from accountability.services.decisions import decision_make
from accountability.services.defences import defence_waive, notice_send
from accountability.services.reviews import review_request
from accountability.services.transfers import transfer_send
from enforcement.models import Officer
from portal.roles import Role
from portal.services import user_assign_role
from tests.factories import OfficerFactory, UserFactory

from ..matrix_table import LOGGED_IN_405, row

# fmt: off
#                 public  insp_a  legal_a city_sv outsd_b sysadm
SUPERVISOR_READ = ("login   denied  denied  ok      denied  ok",
                   "login   denied  denied  missing denied  ok")
SUPERVISOR_ACT = ("login   denied  denied  bad     denied  denied",
                  "login   denied  denied  missing denied  denied")
SUPERVISOR_POST_ONLY = "login   denied  denied  405     denied  denied"

ROWS = {
    "accountability:defence-list": row(
        get=     "login   ok      ok      denied  ok      denied",
        post=    "login   405     405     denied  405     denied",
    ),
    "accountability:defence-detail": row(
        pk="acc_defence",
        get=    ("login   ok      missing ok      missing ok",
                 "login   missing missing missing ok      ok"),
        post=   ("login   bad     missing denied  missing denied",
                 "login   missing missing missing bad     denied"),
    ),
    "accountability:review-request": row(
        pk="acc_sanction",
        get=     "login   405     405     denied  405     denied",
        post=   ("login   bad     missing denied  missing denied",
                 "login   missing missing denied  bad     denied"),
    ),
    "accountability:notice-send": row(
        pk="acc_case", get=SUPERVISOR_POST_ONLY, post=SUPERVISOR_ACT
    ),
    "accountability:decision": row(pk="acc_case", get=SUPERVISOR_READ, post=SUPERVISOR_ACT),
    "accountability:review-decide": row(
        pk="acc_review", get=SUPERVISOR_POST_ONLY, post=SUPERVISOR_ACT
    ),
    "accountability:transfers": row(
        pk="acc_transferred", get=SUPERVISOR_READ, post=SUPERVISOR_ACT
    ),
    "accountability:transfer-close": row(
        pk="acc_transferred", get=SUPERVISOR_POST_ONLY, post=SUPERVISOR_ACT
    ),
    "accountability:transfer-receipt": row(
        pk="acc_transfer", get=SUPERVISOR_POST_ONLY, post=SUPERVISOR_ACT
    ),
    "api:accountability-defences": row(
        get=     "login   ok      ok      ok      ok      ok",
        post=LOGGED_IN_405,
    ),
    "api:accountability-defence": row(
        pk="acc_defence",
        get=    ("login   ok      missing ok      missing ok",
                 "login   missing missing missing ok      ok"),
        post=   ("login   bad     missing denied  missing denied",
                 "login   missing missing missing bad     denied"),
    ),
    "api:accountability-decisions": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=LOGGED_IN_405,
    ),
    "api:accountability-decision": row(
        pk="acc_decision", get=SUPERVISOR_READ, post=LOGGED_IN_405
    ),
    "api:accountability-transfers": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=LOGGED_IN_405,
    ),
    "api:accountability-transfer": row(
        pk="acc_transfer", get=SUPERVISOR_READ, post=SUPERVISOR_ACT
    ),
}
# fmt: on


def _case(*, agency, supervisor, officer, number: str) -> Proceeding:
    """A case at step NOTICE (report in, one officer accused), built from rows."""
    clue = clue_register(
        region=supervisor.region,
        agency=agency,
        source=Clue.Source.REPORT,
        summary="群众举报执法人员未出示证件。",
        received_on=timezone.localdate(),
        actor=supervisor,
        external_body="群众来信",
    )
    clue = clue_assign(clue=clue, handler=supervisor, actor=supervisor)
    today = timezone.localdate()
    proceeding = Proceeding.objects.create(
        clue=clue,
        number=number,
        agency=agency,
        handler=supervisor,
        step=Proceeding.Step.NOTICE,
        step_started_on=today,
        step_due_on=today,
        opened_by=supervisor,
    )
    accused = Accused.objects.create(proceeding=proceeding, officer=officer)
    report = Report.objects.create(
        proceeding=proceeding,
        facts="未出示执法证件。",
        fault="ordinary",
        conduct="未出示证件。",
        consequence="none",
        impact="slight",
        submitted_by=supervisor,
    )
    Proposal.objects.create(
        report=report,
        accused=accused,
        kind=SanctionKind.CRITICISM,
        band_low=SanctionKind.CRITICISM,
        band_high=SanctionKind.TRAINING,
    )
    notice_send(proceeding=proceeding, notice="拟作出批评教育，可陈述申辩。", actor=supervisor)
    return proceeding


def _side(side: dict, tag: str) -> None:
    objects = side["_objects"]
    agency, supervisor, staff = objects["agency"], objects["supervisor"], objects["staff"]
    decider = user_assign_role(
        user=UserFactory(username=f"decider_{tag}", name=f"decider_{tag}"),
        role=Role.SUPERVISOR,
        actor=None,
        region=supervisor.region,
    )
    officer = Officer.objects.filter(user=staff).first() or OfficerFactory(
        agency=agency, user=staff
    )
    deciding = _case(agency=agency, supervisor=supervisor, officer=officer, number=f"WZ-M-{tag}-1")
    decided = _case(agency=agency, supervisor=supervisor, officer=officer, number=f"WZ-M-{tag}-2")
    accused = decided.accused.get()
    defence_waive(defence=accused.defence, waiver="本人放弃陈述申辩。", actor=staff)
    decision = decision_make(
        proceeding=decided,
        reasons="事实清楚。",
        transfer_needed=True,
        sanctions={accused.pk: {"responsible": True, "kind": SanctionKind.CRITICISM}},
        actor=decider,
    )
    sanction = decision.sanctions.get()
    review = review_request(sanction=sanction, grounds="请求复核。", actor=staff)
    transfer = transfer_send(
        proceeding=decided,
        body=Transfer.Body.APPOINTING,
        body_name="任免机关",
        reason="建议给予处分。",
        sent_on=timezone.localdate(),
        actor=supervisor,
    )
    side |= {
        "acc_case": deciding.pk,
        "acc_defence": deciding.accused.get().defence.pk,
        "acc_transferred": decided.pk,
        "acc_decision": decision.pk,
        "acc_sanction": sanction.pk,
        "acc_review": review.pk,
        "acc_transfer": transfer.pk,
    }


def extend_world(world: dict) -> None:
    for tag in ("A", "B"):
        _side(world[tag], tag)
