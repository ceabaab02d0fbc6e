"""The permission matrix's rows of the implementation plans (R33) and the annual report (R31).

Each side gets its agency's plan (made by its staff) with one item done with a PDF as evidence
and a problem reported to the supervisors above, and its city's report of the year (opened by
its supervisor). Agency staff keep plans but never see a report; the administrator reads both
and keeps neither.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.timezone import localdate

from reporting.services.plans import (
    plan_create,
    plan_item_add,
    plan_item_complete,
    plan_problem_report,
)
from reporting.services.reports import report_open

from ..matrix_table import LOGGED_IN, LOGGED_IN_405, row

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# fmt: off
PLAN_READ = ("login   ok      ok      ok      missing ok",
             "login   missing missing missing ok      ok")
PLAN_KEEP = ("login   bad     bad     denied  missing denied",
             "login   missing missing missing bad     denied")
REPORT_READ = ("login   denied  denied  ok      denied  ok",
               "login   denied  denied  missing denied  ok")
# The report's pages are the supervisors' and the administrator's: others are refused for their
# role before the method is looked at.
REPORT_POST = "login   denied  denied  405     denied  405"

ROWS = {
    #             public  insp_a  legal_a city_sv outsd_b sysadm
    "reporting:plan-list": row(get=LOGGED_IN, post=LOGGED_IN_405),
    "reporting:plan-new": row(
        get=     "login   ok      ok      ok      ok      denied",
        post=    "login   bad     bad     bad     bad     denied",
    ),
    "reporting:plan-overdue": row(get=LOGGED_IN, post=LOGGED_IN_405),
    "reporting:plan-detail": row(pk="rp_plan", get=PLAN_READ, post=LOGGED_IN_405),
    "reporting:plan-item-add": row(pk="rp_plan", get=LOGGED_IN_405, post=PLAN_KEEP),
    "reporting:plan-problem-report": row(pk="rp_plan", get=LOGGED_IN_405, post=PLAN_KEEP),
    # The item is done already: the keeper's empty POST is refused for that (400).
    "reporting:plan-item-done": row(pk="rp_item", get=LOGGED_IN_405, post=PLAN_KEEP),
    "reporting:plan-item-evidence": row(pk="rp_item", get=PLAN_READ, post=LOGGED_IN_405),
    "reporting:problem-list": row(get=LOGGED_IN, post=LOGGED_IN_405),
    # A department's problem is answered by the supervisors of its region (and above).
    "reporting:problem-answer": row(
        pk="rp_problem",
        get=PLAN_READ,
        post=   ("login   denied  denied  bad     missing denied",
                 "login   missing missing missing denied  denied"),
    ),
    "reporting:report-list": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  bad     denied  denied",
    ),
    "reporting:report-detail": row(pk="rp_report", get=REPORT_READ, post=REPORT_POST),
    # An empty narrative is a version like any other (the supervisor's POST saves it).
    "reporting:report-narrative": row(
        pk="rp_report",
        section="=overview",
        get=    ("login   denied  denied  ok      denied  denied",
                 "login   denied  denied  missing denied  denied"),
        post=   ("login   denied  denied  ok      denied  denied",
                 "login   denied  denied  missing denied  denied"),
    ),
    "reporting:report-word": row(pk="rp_report", get=REPORT_READ, post=REPORT_POST),
    "reporting:report-pdf": row(pk="rp_report", get=REPORT_READ, post=REPORT_POST),
    "reporting:report-annex": row(pk="rp_report", get=REPORT_READ, post=REPORT_POST),
}
# fmt: on


def _side(side: dict) -> None:
    objects = side["_objects"]
    staff, supervisor = objects["staff"], objects["supervisor"]
    year = localdate().year
    plan = plan_create(year=year, title="实施方案", agency=objects["agency"], actor=staff)
    item = plan_item_add(
        plan=plan,
        task="公布权责清单",
        responsible="法规科",
        output="清单网址",
        due=localdate(),
        actor=staff,
    )
    plan_item_complete(item=item, note="已公布", file=SimpleUploadedFile("p.pdf", PDF), actor=staff)
    problem = plan_problem_report(plan=plan, description="系统未对接", actor=staff)
    report = report_open(region=objects["region"], year=year, actor=supervisor)
    side.update(rp_plan=plan.pk, rp_item=item.pk, rp_problem=problem.pk, rp_report=report.pk)


def extend_world(world: dict) -> None:
    _side(world["A"])
    _side(world["B"])
