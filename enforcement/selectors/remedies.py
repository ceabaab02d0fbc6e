"""Reads of reconsideration and litigation outcomes (R13) and of case-file reviews (案卷评查,
R20, R21), scoped to who asks (`portal.scoping`)."""

from django.db.models import Count, F, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Cast, NullIf

from portal.scoping import scope
from reporting.models import MonthTally

from ..models import Agency, Case, CaseFileReview, CaseRecord, RemedyOutcome, Stage

# The rows of the partial indexes `remedy_awaiting_by_agency` and `remedy_awaiting_oldest`.
AWAITING_SCREENING = Q(needs_screening=True, screened_at__isnull=True)


def outcomes_awaiting_screening(*, user) -> QuerySet[RemedyOutcome]:
    """R13: the unfavourable outcomes not yet screened for accountability, of the agencies `user`
    may read, oldest recorded first (the partial index's order). The supervisors' dashboard lists
    them; the accountability cases are opened from them."""
    rows = RemedyOutcome.objects.filter(AWAITING_SCREENING)
    return (
        scope(rows, user, agency_field="agency")
        .select_related("case__agency")
        .order_by("recorded_at", "pk")
    )


def outcomes_of(*, case: Case) -> list[RemedyOutcome]:
    """R13: the case's outcomes, in the order they were decided, with who recorded and screened."""
    return list(
        RemedyOutcome.objects.filter(case=case)
        .select_related("recorded_by", "screened_by")
        .order_by("decided_on", "pk")
    )


def file_reviews_of(*, case: Case) -> list[CaseFileReview]:
    """The case's file reviews, newest first, with their reviewers."""
    return list(
        CaseFileReview.objects.filter(case=case)
        .select_related("reviewer")
        .order_by("-reviewed_at", "-pk")
    )


def file_reviews_for(*, user) -> QuerySet[CaseFileReview]:
    """The file reviews of the cases `user` may read, newest first."""
    rows = CaseFileReview.objects.select_related("case__agency", "reviewer")
    return scope(rows, user, agency_field="agency").order_by("-reviewed_at", "-pk")


def file_review_scores(*, agencies: QuerySet[Agency], year: int) -> QuerySet:
    """R20, R21: per agency, how many of its case files were reviewed in `year` (local time) and
    their average total out of 100. This is what the assessment of agencies aggregates. Read
    from the monthly tallies (`reporting.MonthTally`, kept by the reviews' saves): twelve rows
    per agency, whatever the number of reviews.

    Rows are dicts: `agency` (its id), `agency_name`, `count`, `average` (a float), by name."""
    return (
        MonthTally.objects.filter(agency__in=agencies.values("pk"), month__year=year)
        .values("agency", agency_name=F("agency__name"))
        .annotate(
            count=Sum("file_reviews"),
            average=Cast(Sum("file_review_points"), FloatField())
            / NullIf(Cast(Sum("file_reviews"), FloatField()), 0.0),
        )
        .filter(count__gt=0)
        .order_by("agency_name", "agency")
    )


def unreviewed_closed_cases(*, user) -> QuerySet[Case]:
    """The closed cases `user` may read whose file nobody has reviewed yet, longest closed first
    (the partial index `case_awaiting_file_review`)."""
    rows = Case.objects.filter(closed_at__isnull=False, file_reviewed=False)
    return scope(rows.select_related("agency"), user).order_by("closed_at", "pk")


def current_records_by_stage(*, case: Case) -> dict[str, int]:
    """How many current (not superseded) records each stage holds: the reviewer's help for
    scoring completeness (5 points a stage)."""
    counts = dict(
        CaseRecord.objects.filter(case=case, superseded_by__isnull=True)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    return {stage.value: counts.get(stage.value, 0) for stage in Stage}
