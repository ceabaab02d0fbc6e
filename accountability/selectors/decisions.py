"""R24, R29: who reads a case's notices and defences, decisions and transfers.

- Supervisors read the cases of their region and below (by the unit concerned) and those they
  handle; the administrator reads all.
- The accused read their own notice, decision and review: an officer through their own account
  (`Officer.user`), a unit through its staff and legal office. Nobody reads another agency's file:
  a row out of scope is a 404.
"""

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils.timezone import localdate

from portal.roles import Role, role_of
from portal.scoping import visible_agencies

from ..models import Decision, DecisionReview, Defence, Proceeding, Sanction, Transfer
from .proceedings import proceedings_visible

STAFF = (Role.AGENCY_STAFF, Role.LEGAL_OFFICE)


def proceeding_for(*, user, pk: int) -> Proceeding:
    queryset = proceedings_visible(user).select_related(
        "agency__region", "clue", "handler", "report", "decision__decided_by"
    )
    return get_object_or_404(queryset, pk=pk)


def _accused_of(user, prefix: str = "accused__") -> Q:
    """The accused `user` speaks for: their own officer record, and their unit."""
    if role_of(user) not in STAFF:
        return Q(pk__in=[])
    return Q(**{f"{prefix}officer__user": user}) | Q(
        **{f"{prefix}agency__in": visible_agencies(user).values("pk")}
    )


def defences_visible(user) -> QuerySet[Defence]:
    role = role_of(user)
    if role == Role.SYSADMIN:
        return Defence.objects.all()
    if role == Role.SUPERVISOR:
        return Defence.objects.filter(
            accused__proceeding__in=proceedings_visible(user).values("pk")
        )
    if role in STAFF:
        return Defence.objects.filter(_accused_of(user))
    return Defence.objects.none()


DEFENCE_RELATED = (
    "accused__officer",
    "accused__agency",
    "accused__proceeding__agency",
    "accused__proceeding__report",
)


def defences_list(*, user) -> QuerySet[Defence]:
    """The user's notices, their own (as the accused officer, `own`) before their unit's."""
    own = Case(
        When(accused__officer__user=user, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return (
        defences_visible(user)
        .select_related(*DEFENCE_RELATED)
        .annotate(own=own)
        .order_by("-own", "-notified_on", "-pk")
    )


def defences_awaiting(*, user) -> int:
    """R29: how many of the user's notices still await their answer (period open, case at
    DECISION), in one query."""
    return (
        defences_visible(user)
        .filter(
            submitted_at__isnull=True,
            due_on__gte=localdate(),
            accused__proceeding__step=Proceeding.Step.DECISION,
        )
        .count()
    )


def defence_for(*, user, pk: int) -> Defence:
    queryset = defences_visible(user).select_related(
        *DEFENCE_RELATED,
        "accused__proposal",
        "accused__sanction__decision",
        "accused__sanction__review",
        "submitted_by",
    )
    return get_object_or_404(queryset, pk=pk)


def decisions_list(*, user) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(proceeding__in=proceedings_visible(user).values("pk"))
        .select_related("proceeding__agency", "decided_by")
        .prefetch_related("sanctions__accused__officer", "sanctions__accused__agency")
        .order_by("-decided_on", "-pk")
    )


def decision_for(*, user, pk: int) -> Decision:
    return get_object_or_404(decisions_list(user=user), pk=pk)


def sanction_for_accused(*, user, pk: int) -> Sanction:
    """A sanction the user may ask a review of (their own, or their unit's)."""
    queryset = Sanction.objects.filter(_accused_of(user)).select_related(
        "decision__proceeding__agency__region", "accused__officer", "accused__agency"
    )
    return get_object_or_404(queryset, pk=pk)


def review_for(*, user, pk: int) -> DecisionReview:
    queryset = DecisionReview.objects.filter(
        sanction__decision__proceeding__in=proceedings_visible(user).values("pk")
    ).select_related("sanction__decision__proceeding")
    return get_object_or_404(queryset, pk=pk)


def transfers_list(*, user) -> QuerySet[Transfer]:
    return (
        Transfer.objects.filter(proceeding__in=proceedings_visible(user).values("pk"))
        .select_related("proceeding__agency", "sent_by", "receipt_by")
        .order_by("-sent_on", "-pk")
    )


def transfer_for(*, user, pk: int) -> Transfer:
    return get_object_or_404(transfers_list(user=user), pk=pk)
