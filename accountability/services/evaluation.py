"""R32, R24, R20: what accountability adds to evaluation, registered with assessment when the
app starts (assessment does not import accountability):

- the officers' formula (`assessment.services.officers.register_officer_figures`): the training
  sessions with typical cases an officer attended in the year (a bonus), and the sanctions of
  decisions holding the officer responsible that count in the year and were not revoked on review
  (a penalty); each one GROUP BY query over a batch of officers;
- the awards (`assessment.services.results.register_award_bar`): a unit whose loss of award
  eligibility (取消评优评先资格) counts in the year, not revoked, gets no award share;
- the units' figures (`assessment.services.figures.register_agency_figures`,
  `AgencyFigures.accountability_findings`): the sanctions counting in the year (the decision's
  year) that hold the unit itself or one of its officers responsible and were not revoked; one
  GROUP BY query over the cycle's agencies.
"""

from django.db.models import Count, F
from django.db.models.functions import Coalesce

from ..models import Sanction, SanctionKind, TrainingSession


def trainings_attended(ids: list[int], year: int):
    """Sessions held in `year` that each officer attended (through the attendance table)."""
    return (
        TrainingSession.attendees.through.objects.filter(
            officer_id__in=ids, trainingsession__held_on__year=year
        )
        .values("officer_id")
        .annotate(trainings=Count("trainingsession_id", distinct=True))
        .order_by()
    )


def sanctions_counted(ids: list[int], year: int):
    """Each officer's sanctions that count in `year`: responsible and not revoked."""
    return (
        Sanction.objects.filter(
            accused__officer_id__in=ids, counts_in_year=year, responsible=True, revoked=False
        )
        .values(officer_id=F("accused__officer_id"))
        .annotate(sanctions=Count("pk"))
        .order_by()
    )


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


def award_barred(agency_ids: list[int], year: int):
    """The units among `agency_ids` that lost their award eligibility in `year`."""
    return (
        Sanction.objects.filter(
            accused__agency_id__in=agency_ids,
            kind=SanctionKind.AWARD_LOSS,
            counts_in_year=year,
            responsible=True,
            revoked=False,
        )
        .values_list("accused__agency_id", flat=True)
        .distinct()
    )


def register() -> None:
    from assessment.services.figures import register_agency_figures
    from assessment.services.officers import register_officer_figures
    from assessment.services.results import register_award_bar

    register_officer_figures("trainings", trainings_attended)
    register_officer_figures("sanctions", sanctions_counted)
    register_agency_figures("accountability", sanctions_of_units)
    register_award_bar("accountability", award_barred)
