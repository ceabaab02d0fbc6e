"""The permission matrix's rows of typical cases and training sessions (R18, R32).

Each side has a decided accountability case of its agency with a draft typical case written by
its city's supervisor (the persona city_supervisor on side A), another decided case whose typical
case another supervisor of the city approved (published), and a training session of the city.

Supervisors over the unit read, draft, submit, approve and circulate; the administrator reads but
does not act; agency staff and the legal office see none of it (a typical case is drafted from an
investigation of them). Published cases are public: everyone reads the list and a case's page,
on both sides. The drafter cannot approve their own (denied); city A's supervisor returns a case
another supervisor of the city submitted (an empty POST lacks the reasons: bad)."""

from django.utils import timezone

from accountability.models import TrainingSession
from accountability.services.training import training_record
from accountability.services.typical import typical_approve, typical_draft, typical_submit
from tests.accountability.conftest import supervisor as make_supervisor
from tests.accountability.test_typical_cases import TEXTS, decided

from ..matrix_table import EVERYONE, LOGGED_IN_405, NOBODY_405, row

# fmt: off
#                 public  insp_a  legal_a city_sv outsd_b sysadm
READ_LIST = "login   denied  denied  ok      denied  ok"
READ_ONE = ("login   denied  denied  ok      denied  ok",
            "login   denied  denied  missing denied  ok")
ACT_GET = ("login   denied  denied  ok      denied  denied",
           "login   denied  denied  missing denied  denied")
ACT_POST = ("login   denied  denied  bad     denied  denied",
            "login   denied  denied  missing denied  denied")
POST_ONLY = "login   denied  denied  405     denied  denied"
LIST_POST_405 = "login   denied  denied  405     denied  405"

ROWS = {
    "accountability:typical-list": row(get=READ_LIST, post=LIST_POST_405),
    "accountability:typical-new": row(pk="typ_proceeding", get=ACT_GET, post=ACT_POST),
    "accountability:typical-detail": row(pk="typ_draft", get=READ_ONE, post=LIST_POST_405),
    "accountability:typical-edit": row(pk="typ_draft", get=ACT_GET, post=ACT_POST),
    "accountability:typical-submit": row(
        pk="typ_draft",
        get=POST_ONLY,
        post=   ("login   denied  denied  ok      denied  denied",
                 "login   denied  denied  missing denied  denied"),
        note="the drafter submits the draft (a redirect)",
    ),
    "accountability:typical-approve": row(
        pk="typ_draft",
        get=POST_ONLY,
        post=   ("login   denied  denied  denied  denied  denied",
                 "login   denied  denied  missing denied  denied"),
        note="the drafter cannot approve their own",
    ),
    # A case submitted by another supervisor of the city: city A's supervisor may return it,
    # and an empty POST lacks the reasons.
    "accountability:typical-return": row(
        pk="typ_submitted", get=POST_ONLY, post=ACT_POST,
        note="the reviewer returns a submitted case with reasons",
    ),
    "accountability:typical-circulate": row(pk="typ_published", get=POST_ONLY, post=ACT_POST),
    "accountability:training-list": row(get=READ_LIST, post=LIST_POST_405),
    "accountability:training-new": row(
        get=     "login   denied  denied  ok      denied  denied",
        post=    "login   denied  denied  bad     denied  denied",
    ),
    "accountability:training-detail": row(
        pk="typ_training", get=READ_ONE, post=LIST_POST_405
    ),
    "api:accountability-typical-cases": row(get=READ_LIST, post=LOGGED_IN_405),
    "api:accountability-typical-case": row(pk="typ_draft", get=READ_ONE, post=LOGGED_IN_405),
    "typical-cases:list": row(get=EVERYONE, post=NOBODY_405),
    "typical-cases:detail": row(pk="typ_published", get=EVERYONE, post=NOBODY_405),
    "api:typical-case-list": row(get=EVERYONE, post=NOBODY_405),
    "api:typical-case-detail": row(pk="typ_published", get=EVERYONE, post=NOBODY_405),
}
# fmt: on


def _side(side: dict, tag: str) -> None:
    objects = side["_objects"]
    author, agency = objects["supervisor"], objects["agency"]
    approver = make_supervisor(f"typ_approver_{tag}", author.region)
    draft = typical_draft(proceeding=decided(author, agency), actor=author, **TEXTS)
    published = typical_draft(
        proceeding=decided(author, agency), actor=author, **(TEXTS | {"title": "已发布"})
    )
    published = typical_submit(typical=published, actor=author)
    published = typical_approve(typical=published, actor=approver)
    submitted = typical_draft(
        proceeding=decided(author, agency), actor=approver, **(TEXTS | {"title": "待审核"})
    )
    submitted = typical_submit(typical=submitted, actor=approver)
    session = training_record(
        region=author.region,
        kind=TrainingSession.Kind.HEARING,
        title="庭审观摩",
        held_on=timezone.localdate(),
        cases=[published],
        attendees=objects["officers"],
        actor=author,
    )
    side["typ_proceeding"] = decided(author, agency).pk
    side["typ_draft"] = draft.pk
    side["typ_published"] = published.pk
    side["typ_submitted"] = submitted.pk
    side["typ_training"] = session.pk


def extend_world(world: dict) -> None:
    for side in ("A", "B"):
        _side(world[side], side.lower())
