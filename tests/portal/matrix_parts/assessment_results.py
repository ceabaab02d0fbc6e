"""The permission matrix's rows of the evaluation's results (R20, R23): scoring, the results page
and its actions, export and print, rectification, the public pages and the API.

Each side gets a 2017 cycle of its city (a year no other part uses) with one indicator, the
agency's local assignment to its government's legal office (scored by the city's supervisor),
an unqualified result and a rectification order. A's result is disclosed internally and its
order closed with a PDF; B's result is public and its order open (no file).
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessment.models import AgencyResult, Assignment, Cycle, Indicator, RectificationOrder, Score
from enforcement.models import Agency
from tests.factories import AgencyFactory

from ..matrix_table import EVERYONE, LOGGED_IN, LOGGED_IN_405, NOBODY_405, row

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
YEAR = 2017

# fmt: off
MANAGE_POST = ("login   denied  denied  bad     missing denied",
               "login   missing missing missing denied  denied")
CYCLE_READ = ("login   ok      ok      ok      missing ok",
              "login   missing missing missing ok      ok")

ROWS = {
    #             public  insp_a  legal_a city_sv outsd_b sysadm
    "assessment:scoring": row(get=LOGGED_IN, post=LOGGED_IN_405),
    "assessment:scoring-sheet": row(
        pk="ar_assignment",
        get=    ("login   missing missing ok      missing ok",
                 "login   missing missing missing missing ok"),
        post=   ("login   missing missing bad     missing denied",
                 "login   missing missing missing missing denied"),
    ),
    "assessment:cycle-results": row(pk="ar_cycle", get=CYCLE_READ, post=LOGGED_IN_405),
    # An empty POST computes (nothing typed is read): the supervisor's is a redirect.
    "assessment:results-compute": row(
        pk="ar_cycle",
        get=     LOGGED_IN_405,
        post=   ("login   denied  denied  ok      missing denied",
                 "login   missing missing missing denied  denied"),
    ),
    "assessment:results-disclose": row(pk="ar_cycle", get=LOGGED_IN_405, post=MANAGE_POST),
    "assessment:results-awards": row(pk="ar_cycle", get=LOGGED_IN_405, post=MANAGE_POST),
    "assessment:results-export": row(
        pk="ar_cycle",
        get=    ("login   denied  denied  ok      missing ok",
                 "login   missing missing missing denied  ok"),
        post=    LOGGED_IN_405,
    ),
    # A's result is internal (agency A and the supervisors); B's is public.
    "assessment:result-print": row(
        pk="ar_result",
        get=    ("login   ok      ok      ok      missing ok",
                 "login   ok      ok      ok      ok      ok"),
        post=    LOGGED_IN_405,
    ),
    "assessment:rectification-order": row(
        pk="ar_result",
        get=    ("login   denied  denied  ok      missing denied",
                 "login   denied  denied  denied  denied  denied"),
        post=   ("login   denied  denied  bad     missing denied",
                 "login   denied  denied  denied  denied  denied"),
    ),
    "assessment:rectification": row(pk="ar_order", get=CYCLE_READ, post=LOGGED_IN_405),
    "assessment:rectification-close": row(pk="ar_order", get=LOGGED_IN_405, post=MANAGE_POST),
    # A's order is closed with its evidence; B's is open, without a file.
    "assessment:rectification-file": row(
        pk="ar_order",
        get=    ("login   ok      ok      ok      missing ok",
                 "login   missing missing missing missing missing"),
        post=    LOGGED_IN_405,
    ),
    "assessment:public-results": row(get=EVERYONE, post=NOBODY_405),
    "assessment:public-cycle-results": row(
        pk="ar_cycle",
        get=    ("missing missing missing missing missing missing",
                 EVERYONE),
        post=    NOBODY_405,
    ),
    "api:assessment-cycle-results": row(pk="ar_cycle", get=CYCLE_READ, post=LOGGED_IN_405),
    "api:assessment-cycle-scores": row(pk="ar_cycle", get=CYCLE_READ, post=MANAGE_POST),
    "api:assessment-public-results": row(get=EVERYONE, post=NOBODY_405),
}
# fmt: on


def _side(side: dict, *, disclosure: str, close: bool) -> None:
    objects = side["_objects"]
    region, agency, supervisor = objects["region"], objects["agency"], objects["supervisor"]
    legal_office = Agency.objects.filter(region=region, is_legal_office=True).first()
    if legal_office is None:
        legal_office = AgencyFactory(
            name=f"{region.name}司法局", region=region, is_legal_office=True
        )
    cycle = Cycle.objects.create(region=region, year=YEAR, opened_by=supervisor)
    indicator = Indicator.objects.create(
        cycle=cycle, code="R1", name="执法规范", category="enforcement", max_points=Decimal(100)
    )
    assignment = Assignment.objects.create(
        cycle=cycle, agency=agency, evaluator=legal_office, role="local", weight=100
    )
    Score.objects.create(
        assignment=assignment,
        indicator=indicator,
        points=45,
        evidence="案卷评查",
        scored_by=supervisor,
    )
    result = AgencyResult.objects.create(
        cycle=cycle,
        agency=agency,
        local_total=Decimal(45),
        total=Decimal(45),
        grade="unqualified",
        performance_score=Decimal(45),
        computed_at=timezone.now(),
        disclosure=disclosure,
        disclosed_at=timezone.now(),
    )
    order = RectificationOrder.objects.create(
        result=result,
        requirements="补正案卷",
        due=timezone.localdate() + datetime.timedelta(days=30),
        ordered_by=supervisor,
    )
    if close:
        order.closing_file.save("evidence.pdf", SimpleUploadedFile("e.pdf", PDF), save=False)
        order.status, order.closing_note = "closed", "已整改"
        order.closed_by, order.closed_at = supervisor, timezone.now()
        order.save()
    side.update(
        ar_cycle=cycle.pk, ar_assignment=assignment.pk, ar_result=result.pk, ar_order=order.pk
    )


def extend_world(world: dict) -> None:
    _side(world["A"], disclosure="internal", close=True)
    _side(world["B"], disclosure="public", close=False)
