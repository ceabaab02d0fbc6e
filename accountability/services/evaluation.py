"""R32, R24: what accountability adds to the officers' evaluation (assessment's formula): the
training sessions with typical cases an officer attended in the year (a bonus), and the sanctions
of decisions holding the officer responsible that count in the year and were not revoked on
review (a penalty). Each is one GROUP BY query over a batch of officers; registered with
`assessment.services.officers.register_officer_figures` when the app starts."""

from django.db.models import Count, F

from ..models import Sanction, TrainingSession


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


def register() -> None:
    from assessment.services.officers import register_officer_figures

    register_officer_figures("trainings", trainings_attended)
    register_officer_figures("sanctions", sanctions_counted)
