"""The permission matrix's rows of cooperation with supervision and audit bodies (R12): on each
side an outgoing referral of its agency sent by its city's supervisor, and an export of its
region.

Referrals, notices and exports are read by supervisors of the region (and above) and the
administrator; agency staff and the legal office read none. Sending, receiving, receipts,
outcomes, notices and making an export are the supervisor's."""

from datetime import timedelta

from django.utils import timezone

from accountability.services.cooperation import cooperation_export, referral_send

from ..matrix_table import LOGGED_IN_405, row

# fmt: off
#               public  insp_a  legal_a city_sv outsd_b sysadm
READ_LIST = row(get="login   denied  denied  ok      denied  ok",
                post="login   denied  denied  405     denied  405")
READ_ONE = ("login   denied  denied  ok      denied  ok",
            "login   denied  denied  missing denied  ok")
SUPERVISOR_FORM = row(get="login   denied  denied  ok      denied  denied",
                      post="login   denied  denied  bad     denied  denied")
LIST_AND_FORM = row(get="login   denied  denied  ok      denied  ok",
                    post="login   denied  denied  bad     denied  denied")
POST_ONLY = "login   denied  denied  405     denied  denied"
SUPERVISOR_POST = ("login   denied  denied  bad     denied  denied",
                   "login   denied  denied  missing denied  denied")
GET_ONLY_405 = "login   denied  denied  405     denied  405"

ROWS = {
    "accountability:referral-list": READ_LIST,
    "accountability:referral-send": SUPERVISOR_FORM,
    "accountability:referral-receive": SUPERVISOR_FORM,
    "accountability:referral-detail": row(pk="referral", get=READ_ONE, post=GET_ONLY_405),
    "accountability:referral-receipt": row(pk="referral", get=POST_ONLY, post=SUPERVISOR_POST),
    "accountability:referral-outcome": row(pk="referral", get=POST_ONLY, post=SUPERVISOR_POST),
    "accountability:notice-list": LIST_AND_FORM,
    "accountability:export-list": LIST_AND_FORM,
    "accountability:export-download": row(
        pk="coop_export", kind="=csv", get=READ_ONE, post=GET_ONLY_405
    ),
    "api:accountability-referrals": row(
        get="login   denied  denied  ok      denied  ok", post=LOGGED_IN_405
    ),
    "api:accountability-referral": row(pk="referral", get=READ_ONE, post=LOGGED_IN_405),
}
# fmt: on


def _side(side: dict) -> None:
    objects = side["_objects"]
    supervisor = objects["supervisor"]
    today = timezone.localdate()
    referral = referral_send(
        agency=objects["agency"],
        body_kind="supervision",
        body_name="市监察委员会",
        subject="执法人员涉嫌违纪",
        summary="案卷评查发现违规减免罚款。",
        sent_on=today,
        actor=supervisor,
    )
    export = cooperation_export(
        region=supervisor.region, period_start=today - timedelta(days=30), period_end=today
    )
    side["referral"] = referral.pk
    side["coop_export"] = export.pk


def extend_world(world: dict) -> None:
    for side in ("A", "B"):
        _side(world[side])
