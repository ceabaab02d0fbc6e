"""R20: the figures the portal computes itself for an evaluation cycle's year.

For every agency evaluated in the cycle, over the cycle's year (1 January to 31 December,
Asia/Shanghai):

complaints_received         complaints registered in the year against the agency (R15)
complaints_substantiated    those found substantiated or partly substantiated (R17)
acknowledgements_due        complaints whose acknowledgement deadline (R16) fell in the year and
                            is either met (decided) or past; an open complaint past its deadline
                            counts as due and late, one whose deadline is still ahead is not yet
                            due
acknowledgements_on_time    decided (accepted, refused or transferred) on or before the deadline,
                            by the date in Asia/Shanghai
revisions_due / _on_time    list revision tasks (R2) due in the year, done or past due; on time
                            when closed on or before the due date
legal_reviews / _refused    legal reviews (R5) written in the year; refused: every conclusion but
                            "agree" (disagree, or revise and resubmit: the decision may not issue)
cases                       cases closed in the year
case_reviews / _average     case-file reviews (案卷评查) made in the year of the agency's cases and
                            their average total
remedies / _unfavourable    reconsideration and litigation outcomes (R13) decided in the year;
                            unfavourable: every outcome but upholding
accountability_findings     accountability sanctions (R24, R28) counting in the year
                            (`counts_in_year`, the decision's year): responsible and not revoked
                            on review, of the unit itself and of its officers. Accountability
                            keeps them and imports assessment, not the reverse: it registers the
                            read with `register_agency_figures` when it starts

Set-based: one GROUP BY query per source table over all the cycle's agencies at once, then one
bulk upsert; the memory used grows with the number of agencies, never with the records. Each
query's date range is served by an index (see tests/assessment/test_figure_indexes.py).
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import Complaint, Result
from enforcement.models import (
    Case,
    CaseFileReview,
    LegalReview,
    RemedyOutcome,
    RevisionTask,
)

from ..models import AgencyFigures, Cycle, CycleEvent
from .coverage import evaluated_agencies, year_bounds
from .permissions import cycle_can_manage

TZ = ZoneInfo("Asia/Shanghai")
SUBSTANTIATED = (Result.SUBSTANTIATED, Result.PARTLY)
COUNTS = (
    "complaints_received",
    "complaints_substantiated",
    "acknowledgements_due",
    "acknowledgements_on_time",
    "revisions_due",
    "revisions_on_time",
    "legal_reviews",
    "legal_reviews_refused",
    "cases",
    "case_reviews",
    "remedies",
    "remedies_unfavourable",
    "accountability_findings",
)
FIELDS = (*COUNTS, "case_review_average")
ACCOUNTABILITY_NOTE = gettext_lazy(
    "责任追究：计入本年度考核的问责处理（单位及其执法人员负有责任、未经复核撤销的处理）。"
)
# The figures other apps contribute: name → reads(agencies, year), a queryset grouped by agency
# whose rows hold "of_agency" and the figure (one GROUP BY query over the cycle's agencies).
AGENCY_FIGURE_READS: dict[str, Callable] = {}
UPSERT_BATCH = 500


def _on_or_before(moment: str, deadline: str):
    """The instant's date in Asia/Shanghai is on or before the deadline (null instant: false)."""
    return LessThanOrEqual(TruncDate(moment, tzinfo=TZ), F(deadline))


def figure_queries(cycle: Cycle, *, today: date | None = None) -> dict[str, QuerySet]:
    """The GROUP BY queries of the computation, by source, each giving per agency id
    (`of_agency`) some of the figures. Exposed so that the index test can EXPLAIN each one."""
    first, last, start, end = year_bounds(cycle.year)
    today = today or timezone.localdate(timezone.now(), TZ)
    agencies = evaluated_agencies(cycle).order_by().values("pk")
    complaints = Complaint.objects.filter(agency_id__in=agencies)
    return {
        "complaints": complaints.filter(registered_at__gte=start, registered_at__lt=end)
        .values(of_agency=F("agency_id"))
        .annotate(
            complaints_received=Count("pk"),
            complaints_substantiated=Count("pk", filter=Q(result__in=SUBSTANTIATED)),
        )
        .order_by(),
        # Due: decided, or undecided and past the deadline (late); not yet due otherwise.
        "acknowledgements": complaints.filter(acknowledge_by__gte=first, acknowledge_by__lte=last)
        .filter(Q(decided_at__isnull=False) | Q(acknowledge_by__lt=today))
        .values(of_agency=F("agency_id"))
        .annotate(
            acknowledgements_due=Count("pk"),
            acknowledgements_on_time=Count(
                "pk", filter=_on_or_before("decided_at", "acknowledge_by")
            ),
        )
        .order_by(),
        "revisions": RevisionTask.objects.filter(
            agency_id__in=agencies, due_on__gte=first, due_on__lte=last
        )
        .filter(Q(status=RevisionTask.Status.CLOSED) | Q(due_on__lt=today))
        .values(of_agency=F("agency_id"))
        .annotate(
            revisions_due=Count("pk"),
            revisions_on_time=Count(
                "pk",
                filter=Q(status=RevisionTask.Status.CLOSED) & _on_or_before("closed_at", "due_on"),
            ),
        )
        .order_by(),
        "legal_reviews": LegalReview.objects.filter(
            decision__case__agency_id__in=agencies, at__gte=start, at__lt=end
        )
        .values(of_agency=F("decision__case__agency_id"))
        .annotate(
            legal_reviews=Count("pk"),
            legal_reviews_refused=Count("pk", filter=~Q(conclusion=LegalReview.Conclusion.AGREE)),
        )
        .order_by(),
        "cases": Case.objects.filter(
            agency_id__in=agencies, closed_at__gte=start, closed_at__lt=end
        )
        .values(of_agency=F("agency_id"))
        .annotate(cases=Count("pk"))
        .order_by(),
        "case_reviews": CaseFileReview.objects.filter(
            case__agency_id__in=agencies, reviewed_at__gte=start, reviewed_at__lt=end
        )
        .values(of_agency=F("case__agency_id"))
        .annotate(case_reviews=Count("pk"), case_review_average=Avg("total"))
        .order_by(),
        "remedies": RemedyOutcome.objects.filter(
            case__agency_id__in=agencies, decided_on__gte=first, decided_on__lte=last
        )
        .values(of_agency=F("case__agency_id"))
        .annotate(
            remedies=Count("pk"),
            remedies_unfavourable=Count("pk", filter=Q(outcome__in=RemedyOutcome.UNFAVOURABLE)),
        )
        .order_by(),
    } | {name: reads(agencies, cycle.year) for name, reads in AGENCY_FIGURE_READS.items()}


def register_agency_figures(name: str, reads: Callable) -> None:
    """Add a figure another app keeps (see AGENCY_FIGURE_READS); registering again replaces."""
    AGENCY_FIGURE_READS[name] = reads


def _average(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _check_open(cycle: Cycle) -> None:
    if cycle.status != Cycle.Status.OPEN:
        raise ValidationError(_("该考核周期已结束，统计指标不再重新计算。"))


@transaction.atomic
def figures_compute(*, cycle: Cycle, actor=None, today: date | None = None) -> int:
    """R20: compute and store the figures of every agency evaluated in the cycle for its year;
    returns how many agencies. Recomputing replaces the cycle's figures (agencies no longer
    evaluated lose theirs). Records FIGURES_COMPUTED."""
    cycle = Cycle.objects.select_related("region").select_for_update(of=("self",)).get(pk=cycle.pk)
    _check_open(cycle)
    rows: dict[int, dict] = {
        agency_id: {} for agency_id in evaluated_agencies(cycle).values_list("pk", flat=True)
    }
    for query in figure_queries(cycle, today=today).values():
        # At most a row per agency. Not .iterator(): PostgreSQL plans a server-side cursor for
        # its first rows (nested loops over millions, 10x slower at the province's size).
        for found in list(query):
            figures = rows.get(found.pop("of_agency"))
            if figures is not None:  # an agency outside the cycle cannot appear; be safe
                figures.update(found)
    now = timezone.now()
    objects = [
        AgencyFigures(
            cycle=cycle,
            agency_id=agency_id,
            computed_at=now,
            case_review_average=_average(figures.get("case_review_average")),
            **{name: figures.get(name) or 0 for name in COUNTS},
        )
        for agency_id, figures in rows.items()
    ]
    AgencyFigures.objects.filter(cycle=cycle).exclude(agency_id__in=list(rows)).delete()
    AgencyFigures.objects.bulk_create(
        objects,
        batch_size=UPSERT_BATCH,
        update_conflicts=True,
        unique_fields=["cycle", "agency"],
        update_fields=[*FIELDS, "computed_at"],
    )
    CycleEvent.objects.create(
        cycle=cycle,
        kind=CycleEvent.Kind.FIGURES_COMPUTED,
        actor=actor,
        note=_("计算了 %(count)d 个单位 %(year)d 年度的统计指标。%(accountability)s")
        % {"count": len(objects), "year": cycle.year, "accountability": ACCOUNTABILITY_NOTE},
    )
    return len(objects)


def figures_may_compute(*, cycle: Cycle, user) -> bool:
    """Who may recompute: who runs the cycle."""
    return cycle_can_manage(user, cycle)


def figures_compute_request(*, cycle: Cycle, actor) -> None:
    """Ask for the figures to be recomputed: the task runs once the request's transaction has
    committed (in process when Celery has no broker)."""
    if not figures_may_compute(cycle=cycle, user=actor):
        raise PermissionDenied(_("只有本考核周期所在区划或上级区划的监督人员可以重新计算。"))
    _check_open(cycle)
    from ..tasks.figures import compute_figures  # the tasks call the services: import late

    cycle_id, actor_id = cycle.pk, actor.pk
    transaction.on_commit(lambda: compute_figures.delay(cycle_id, actor_id=actor_id))


def rate(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal; None when there was nothing to count."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))
