"""The permission matrix's rows for the computed figures of an evaluation cycle (R20): the page
and its recomputation, and the API. Each side gets a cycle of its city (2024, so as not to meet
the other parts' cycles) with its agency's figures."""

from django.utils import timezone

from assessment.models import AgencyFigures, Cycle

from ..matrix_table import LOGGED_IN_405, row

# fmt: off
ROWS = {
    # Readers: the city's supervisor, the administrator, the staff of an agency of the city (their
    # own row); another city's people get 404. Only the city's supervisor recomputes.
    #             public  insp_a  legal_a city_sv outsd_b sysadm
    "assessment:cycle-figures": row(
        pk="figures_cycle",
        get=    ("login   ok      ok      ok      missing ok",
                 "login   missing missing missing ok      ok"),
        post=    LOGGED_IN_405,
    ),
    "assessment:cycle-figures-compute": row(
        pk="figures_cycle",
        get=     LOGGED_IN_405,
        post=   ("login   denied  denied  ok      missing denied",
                 "login   missing missing missing denied  denied"),
    ),
    "api:assessment-cycle-figures": row(
        pk="figures_cycle",
        get=    ("login   ok      ok      ok      missing ok",
                 "login   missing missing missing ok      ok"),
        post=    LOGGED_IN_405,
    ),
}
# fmt: on


def extend_world(world: dict) -> None:
    for side in ("A", "B"):
        objects = world[side]["_objects"]
        cycle, _created = Cycle.objects.get_or_create(
            region=objects["region"], year=2024, defaults={"opened_by": objects["supervisor"]}
        )
        AgencyFigures.objects.get_or_create(
            cycle=cycle, agency=objects["agency"], defaults={"computed_at": timezone.now()}
        )
        world[side]["figures_cycle"] = cycle.pk
