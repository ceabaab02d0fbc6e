"""The permission matrix's rows of the evaluation cycles (R19, R20) and internal units.

Each side gets a cycle of its city (opened by its supervisor through the service; the year 2024,
so that other parts' cycles of 2026 do not collide), a vertically managed department evaluated
from the province (for the local government's opinion), and the units of its agency's power list.
City B gets a legal office so that agency B is evaluated in B's cycle.

Reading: supervisors run their region's cycle; agency staff and legal offices read the cycles
their agency is in; the administrator reads everything and runs nothing; a cycle out of scope is
a 404. The department's own staff evaluate its units.
"""

from assessment.models import Assignment
from assessment.services.cycles import cycle_open
from enforcement.models import Agency
from tests.factories import AgencyFactory

from ..matrix_table import LOGGED_IN, LOGGED_IN_405, row

READ_A = "login   ok      ok      ok      missing ok"
READ_B = "login   missing missing missing ok      ok"
RUN_A = "login   denied  denied  ok      missing denied"
RUN_B = "login   missing missing missing denied  denied"
POST_ONLY = "login   405     405     405     405     405"

# fmt: off
ROWS = {
    #             public  insp_a  legal_a city_sv outsd_b sysadm
    "assessment:cycle-list": row(get=LOGGED_IN, post=LOGGED_IN_405),
    "assessment:cycle-open": row(
        get=     "login   denied  denied  ok      denied  denied",
        post=    "login   denied  denied  ok      denied  denied",
    ),
    "assessment:cycle-detail": row(pk="cycle", get=(READ_A, READ_B), post=LOGGED_IN_405),
    "assessment:cycle-refresh": row(pk="cycle", get=POST_ONLY, post=(RUN_A, RUN_B)),
    "assessment:cycle-close": row(pk="cycle", get=POST_ONLY, post=(RUN_A, RUN_B)),
    "assessment:indicator-new": row(pk="cycle", get=(RUN_A, RUN_B), post=(RUN_A, RUN_B)),
    "assessment:indicator-edit": row(
        pk="cycle", iid="indicator", get=(RUN_A, RUN_B), post=(RUN_A, RUN_B)
    ),
    "assessment:indicator-remove": row(
        pk="cycle", iid="indicator", get=POST_ONLY, post=(RUN_A, RUN_B)
    ),
    "assessment:indicator-versions": row(pk="cycle", get=(READ_A, READ_B), post=LOGGED_IN_405),
    # The local government's opinion on a vertical assignment: its supervisor (or legal office).
    # The agencies' staff do not see another agency's assignment (404).
    "assessment:assignment-opinion": row(
        pk="cycle", aid="vertical_assignment",
        get=    ("login   missing missing ok      missing denied",
                 "login   missing missing missing missing denied"),
        post=   ("login   missing missing ok      missing denied",
                 "login   missing missing missing missing denied"),
    ),
    "assessment:unit-list": row(
        pk="cycle", agency="agency", get=(READ_A, READ_B), post=LOGGED_IN_405
    ),
    # The department's own staff and legal office; the supervisor reads but does not evaluate.
    "assessment:unit-evaluate": row(
        pk="cycle", uid="unit_evaluation",
        get=     POST_ONLY,
        post=   ("login   ok      ok      denied  missing denied",
                 "login   missing missing missing ok      denied"),
    ),
    "api:assessment-cycle-list": row(get=LOGGED_IN, post=LOGGED_IN_405),
    "api:assessment-cycle-detail": row(pk="cycle", get=(READ_A, READ_B), post=LOGGED_IN_405),
    "api:assessment-cycle-assignments": row(
        pk="cycle", get=(READ_A, READ_B), post=LOGGED_IN_405
    ),
}
# fmt: on


def _cycle_side(side: dict, tag: str) -> dict:
    objects = side["_objects"]
    region, supervisor = objects["region"], objects["supervisor"]
    if not Agency.objects.filter(region=region, is_legal_office=True).exists():
        AgencyFactory(name=f"{region.name}司法局", region=region, is_legal_office=True)
    above = AgencyFactory(name=f"测试省税务局{tag}", region=region.parent)
    vertical = AgencyFactory(
        name=f"{region.name}税务局",
        region=region,
        management=Agency.Management.VERTICAL,
        supervising_agency=above,
    )
    cycle = cycle_open(region=region, year=2024, actor=supervisor)
    return {
        "cycle": cycle.pk,
        "indicator": cycle.indicators.order_by("pk").first().pk,
        "vertical_assignment": cycle.assignments.get(
            agency=vertical, role=Assignment.Role.VERTICAL
        ).pk,
        "unit_evaluation": cycle.unit_evaluations.filter(agency=objects["agency"])
        .order_by("pk")
        .first()
        .pk,
    }


def extend_world(world: dict) -> None:
    for tag in ("A", "B"):
        world[tag] |= _cycle_side(world[tag], tag)
