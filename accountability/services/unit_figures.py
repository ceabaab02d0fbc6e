"""R24, R28, R20: what accountability adds to the units' evaluation figures (assessment's
`AgencyFigures.accountability_findings`): the sanctions counting in the year (`counts_in_year`,
the decision's year) that hold the unit itself or one of its officers responsible and were not
revoked on review. One GROUP BY query over the cycle's agencies; registered with
`assessment.services.figures.register_agency_figures` when the app starts."""

from django.db.models import Count, F
from django.db.models.functions import Coalesce

from ..models import Sanction


def sanctions_of_units(agencies, year: int):
    """Per agency: its own and its officers' counted sanctions of `year`."""
    return (
        Sanction.objects.filter(counts_in_year=year, responsible=True, revoked=False)
        .annotate(of_agency=Coalesce(F("accused__agency_id"), F("accused__officer__agency_id")))
        .filter(of_agency__in=agencies)
        .values("of_agency")
        .annotate(accountability_findings=Count("pk"))
        .order_by()
    )


def register() -> None:
    from assessment.services.figures import register_agency_figures

    register_agency_figures("accountability", sanctions_of_units)
