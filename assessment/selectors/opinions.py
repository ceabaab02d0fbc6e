"""R20: reads of public opinion. The moderation queue is scoped like every protected read; the
summary counts approved opinions only and never carries a device key nor who entered what."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils.timezone import localtime

from enforcement.models import Agency
from portal.scoping import get_scoped_or_404, scope

from ..models import PublicOpinion

APPROVED = PublicOpinion.Moderation.APPROVED
PENDING = PublicOpinion.Moderation.PENDING
RATING_FIELDS = ("lawful", "civil", "efficient")


def public_agency(*, pk: int) -> Agency:
    """An enforcement subject named in a public URL; a forged id is a 404."""
    agency = Agency.objects.select_related("region").filter(pk=pk).first()
    if agency is None:
        raise Http404
    return agency


def agencies_supervised(*, user) -> QuerySet[Agency]:
    """The agencies whose opinions the user may enter: its region and below."""
    return scope(Agency.objects.all(), user, agency_field="pk").order_by("name")


def moderation_queue(*, user) -> QuerySet[PublicOpinion]:
    """Comments waiting for a decision in the user's region and below, oldest first."""
    rows = scope(PublicOpinion.objects.filter(moderation=PENDING), user)
    return rows.select_related("agency").order_by("created_at", "pk")


def opinion_for_moderation(*, user, pk: int) -> PublicOpinion:
    return get_scoped_or_404(PublicOpinion.objects.select_related("agency"), user, pk=pk)


def _average(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _empty() -> dict:
    return {
        "counts": dict.fromkeys(PublicOpinion.Source.values, 0),
        "counted": 0,
        "pending": 0,
        "averages": dict.fromkeys(RATING_FIELDS),
        "comments": [],
    }


def opinion_summary(*, agency_ids, period: int, with_comments: bool = True) -> dict[int, dict]:
    """Per agency: the counted (approved) opinions by source, the averages of the three ratings
    over them, the number still pending, and the approved comments (date, source, text), oldest
    first. Two queries whatever the number of agencies."""
    ids = list(dict.fromkeys(agency_ids))
    summary = {pk: _empty() for pk in ids}
    if not ids:
        return summary
    base = PublicOpinion.objects.filter(agency_id__in=ids, period=period)
    approved = Q(moderation=APPROVED)
    figures = (
        base.values("agency_id")
        .annotate(
            counted=Count("pk", filter=approved),
            pending=Count("pk", filter=Q(moderation=PENDING)),
            **{
                f"n_{source}": Count("pk", filter=approved & Q(source=source))
                for source in PublicOpinion.Source.values
            },
            **{field: Avg(field, filter=approved) for field in RATING_FIELDS},
        )
        .order_by()
    )
    for row in figures:
        entry = summary[row["agency_id"]]
        entry["counted"] = row["counted"]
        entry["pending"] = row["pending"]
        entry["counts"] = {source: row[f"n_{source}"] for source in PublicOpinion.Source.values}
        entry["averages"] = {field: _average(row[field]) for field in RATING_FIELDS}
    if with_comments:
        comments = (
            base.filter(moderation=APPROVED)
            .exclude(comment="")
            .order_by("created_at", "pk")
            .values("agency_id", "created_at", "source", "comment")
        )
        labels = dict(PublicOpinion.Source.choices)
        for row in comments:
            summary[row["agency_id"]]["comments"].append(
                {
                    "date": localtime(row["created_at"]).date(),
                    "source": row["source"],
                    "source_display": str(labels[row["source"]]),
                    "comment": row["comment"],
                }
            )
    return summary
