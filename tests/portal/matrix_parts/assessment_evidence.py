"""The permission matrix's rows of evaluation evidence and public opinion (R20): a cycle of each
side's city with its agency evaluated, an inspection with a photo, and a comment waiting for
moderation.

Agency staff read their own agency's inspections and opinion results only; supervisors record
inspections, enter and moderate opinions in their region; the evaluation card, its printable
page, an agency's public results and the summary API are open to everyone."""

import datetime

from django.core.files.base import ContentFile

from assessment.models import Assignment, Cycle, Inspection, InspectionPhoto, PublicOpinion

from ..matrix_table import ALL_BAD, EVERYONE, LOGGED_IN_405, NOBODY_405, row

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100

# fmt: off
#                 public  insp_a  legal_a city_sv outsd_b sysadm
SIDE_READ = ("login   ok      ok      ok      missing ok",
             "login   missing missing missing ok      ok")

ROWS = {
    "assessment:inspection-list": row(pk="evidence_cycle", get=SIDE_READ, post=LOGGED_IN_405),
    "assessment:inspection-new": row(
        pk="evidence_cycle",
        get=    ("login   denied  denied  ok      denied  denied",
                 "login   denied  denied  missing denied  denied"),
        post=   ("login   denied  denied  bad     denied  denied",
                 "login   denied  denied  missing denied  denied"),
    ),
    "assessment:inspection-detail": row(
        pk="evidence_inspection", get=SIDE_READ, post=LOGGED_IN_405
    ),
    "assessment:inspection-photo": row(
        pk="evidence_inspection", photo="evidence_photo", get=SIDE_READ, post=LOGGED_IN_405
    ),
    # R20: the public's evaluation card; an empty POST (no device, no token) is refused.
    "assessment:opinion-card": row(agency_id="agency", get=EVERYONE, post=ALL_BAD),
    "assessment:opinion-card-print": row(agency_id="agency", get=EVERYONE, post=NOBODY_405),
    "assessment:opinion-public-results": row(agency_id="agency", get=EVERYONE, post=NOBODY_405),
    "assessment:opinion-new": row(
        get=     "login   denied  denied  ok      denied  denied",
        post=    "login   denied  denied  bad     denied  denied",
    ),
    "assessment:opinion-queue": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  405     denied  405",
    ),
    "assessment:opinion-moderate": row(
        pk="opinion_pending",
        get=     "login   denied  denied  405     denied  405",
        post=   ("login   denied  denied  bad     denied  bad",
                 "login   denied  denied  missing denied  bad"),
    ),
    "assessment:opinion-cycle-results": row(
        pk="evidence_cycle", get=SIDE_READ, post=LOGGED_IN_405
    ),
    "assessment:opinion-cycle-agency": row(
        pk="evidence_cycle", agency_id="agency", get=SIDE_READ, post=LOGGED_IN_405
    ),
    "api:assessment-cycle-inspections": row(
        pk="evidence_cycle", get=SIDE_READ, post=LOGGED_IN_405
    ),
    # Without `agency` the summary is a 400 in Chinese, for everyone alike.
    "api:assessment-opinion-summary": row(get=ALL_BAD, post=NOBODY_405),
}
# fmt: on


def _side(side: dict) -> None:
    objects = side["_objects"]
    cycle, _created = Cycle.objects.get_or_create(
        region=objects["region"], year=2026, defaults={"opened_by": objects["supervisor"]}
    )
    Assignment.objects.get_or_create(
        cycle=cycle,
        agency=objects["agency"],
        role=Assignment.Role.LOCAL,
        defaults={"evaluator": objects["other_agency"], "weight": 100},
    )
    inspection = Inspection.objects.create(
        cycle=cycle,
        agency=objects["agency"],
        kind=Inspection.Kind.UNANNOUNCED,
        held_on=datetime.date(2026, 5, 20),
        place="办事大厅",
        inspectors="张三、李四",
        findings="窗口人员未佩戴执法证件。",
        recorded_by=objects["supervisor"],
    )
    photo = InspectionPhoto(inspection=inspection, name="现场.png", size=len(PNG))
    photo.content_type = "image/png"
    photo.file.save("matrix.png", ContentFile(PNG), save=True)
    opinion = PublicOpinion.objects.create(
        agency=objects["agency"],
        period=2026,
        source=PublicOpinion.Source.HOTLINE,
        lawful=4,
        civil=4,
        efficient=3,
        comment="办事效率有待提高。",
        source_note="12345 工单 2026-0001",
        entered_by=objects["supervisor"],
    )
    side |= {
        "evidence_cycle": cycle.pk,
        "evidence_inspection": inspection.pk,
        "evidence_photo": photo.pk,
        "opinion_pending": opinion.pk,
    }


def extend_world(world: dict) -> None:
    for side in ("A", "B"):
        _side(world[side])
