"""What the tallies say about the agencies a user may read: the counts of the to-do lists that
grow with the history (`reporting.models.tallies.AgencyTally`), one query whatever the rows."""

from django.db.models import Sum

from enforcement.models.cases import WAITING_STAGES
from portal.scoping import scope

from ..models import AgencyTally


def waiting_cases(*, user) -> dict[str, int]:
    """The cases of the agencies `user` may read waiting in each stage, by stage value: the rows
    the case list shows the same user filtered by that stage."""
    return scope(AgencyTally.objects.order_by(), user).aggregate(
        **{stage.value: Sum(f"cases_{stage.value}", default=0) for stage in WAITING_STAGES}
    )
