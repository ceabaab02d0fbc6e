"""The officers' evaluation (R21, R22) in the permission matrix: a cycle's officer results, a
final unqualified result with a measure and a repeat decision (after an unqualified previous
year), and a published result with a pending objection, on each side.

Grades are read by supervisors in scope, the agency's legal office and administrators; the
agency's staff (inspector_a, outsider_b) are refused with 403. Objections are filed by the
officer themself only: no persona is an officer, so the objection form is a 404 for all of them
and the API's POST a 403."""

from datetime import date

from django.utils import timezone

from assessment.models import Cycle, Grade, Measure, Objection, OfficerResult, RepeatDecision

from ..matrix_table import LOGGED_IN, LOGGED_IN_405, row

# fmt: off
READERS = ("login   denied  ok      ok      denied  ok",
           "login   denied  missing missing denied  ok")
DECIDERS = ("login   denied  denied  ok      denied  ok",
            "login   denied  missing missing denied  ok")
SUPERVISOR_POST = ("login   denied  denied  ok      denied  ok",
                   "login   denied  denied  missing denied  ok")
SUPERVISOR_POST_GET = "login   denied  denied  405     denied  405"

ROWS = {
    #             public  insp_a  legal_a city_sv outsd_b sysadm
    "assessment:officer-results": row(pk="officer_cycle", get=READERS, post=LOGGED_IN_405),
    "assessment:officer-results-compute": row(
        pk="officer_cycle", get=SUPERVISOR_POST_GET, post=SUPERVISOR_POST,
    ),
    "assessment:officer-results-publish": row(
        pk="officer_cycle", get=SUPERVISOR_POST_GET, post=SUPERVISOR_POST,
    ),
    "assessment:officer-result": row(pk="officer_result", get=READERS, post=LOGGED_IN_405),
    # The officer's own sheet or a reader's: everyone else is told there is none.
    "assessment:officer-result-sheet": row(
        pk="officer_result",
        get=    ("login   missing ok      ok      missing ok",
                 "login   missing missing missing missing ok"),
        post=    LOGGED_IN_405,
    ),
    "assessment:measure-order": row(pk="officer_result", get=LOGGED_IN_405, post=READERS),
    "assessment:result-use-record": row(pk="officer_result", get=LOGGED_IN_405, post=READERS),
    "assessment:measure-complete": row(pk="measure", get=LOGGED_IN_405, post=READERS),
    "assessment:officer-records": row(pk="officer", get=READERS, post=READERS),
    "assessment:my-officer-results": row(get=LOGGED_IN, post=LOGGED_IN_405),
    "assessment:objection-file": row(
        pk="officer_result",
        get=     LOGGED_IN_405,
        post=    "login   missing missing missing missing missing",
    ),
    "assessment:officer-queue": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    SUPERVISOR_POST_GET,
    ),
    "assessment:objection": row(pk="objection", get=READERS, post=DECIDERS),
    "assessment:repeat-decision": row(pk="repeat_decision", get=READERS, post=DECIDERS),
    "api:assessment-cycle-officer-results": row(
        pk="officer_cycle", get=READERS, post=LOGGED_IN_405,
    ),
    # The side's staff account is also an officer (the accountability rows accuse it), and an
    # officer may object to their own result: an empty body is refused as bad input.
    "api:assessment-objections": row(
        get=     LOGGED_IN,
        post=    "login   bad     denied  denied  bad     denied",
    ),
}
# fmt: on


def _result(cycle, officer, total, *, final):
    now = timezone.now()
    value = total
    return OfficerResult.objects.create(
        cycle=cycle,
        officer=officer,
        agency=officer.agency,
        everyday_score=value,
        special_score=value,
        total=value,
        grade=cycle.grade_for(value),
        computed_at=now,
        published_at=now,
        objection_due=date(cycle.year, 12, 31),
        final_at=now if final else None,
        barred_from_excellent=final and cycle.grade_for(value) == Grade.UNQUALIFIED,
    )


def extend_world(world: dict) -> None:
    for side in world.values():
        objects = side["_objects"]
        supervisor, officers = objects["supervisor"], objects["officers"]
        # Years no other part uses, so that the cycles never collide with theirs.
        cycles = {
            year: Cycle.objects.get_or_create(
                region=objects["region"], year=year, defaults={"opened_by": supervisor}
            )[0]
            for year in (2023, 2024)
        }
        previous = _result(cycles[2023], officers[0], 40, final=True)
        result = _result(cycles[2024], officers[0], 45, final=True)
        pending = _result(cycles[2024], officers[1], 70, final=False)
        measure = Measure.objects.create(
            result=result, kind=Measure.Kind.CRITICISM, note="批评教育。", ordered_by=supervisor
        )
        objection = Objection.objects.create(
            result=pending, reason="案卷评查分数有误。", filed_by=objects["staff"]
        )
        decision = RepeatDecision.objects.create(
            officer=officers[0], result=result, previous_result=previous
        )
        side |= {
            "officer_cycle": cycles[2024].pk,
            "officer_result": result.pk,
            "measure": measure.pk,
            "objection": objection.pk,
            "repeat_decision": decision.pk,
        }
