"""R18, R32: who reads which typical cases and training sessions.

The public reads published typical cases only (a draft or a submitted case is a 404, like none).
Supervisors read the typical cases of the units they supervise and the training sessions of their
region and below; the administrator reads all; agency staff read none (a typical case is drafted
from an investigation of them).
"""

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from enforcement.models import Agency, Officer
from portal.params import MAX_ID
from portal.roles import Role, role_of
from portal.scoping import visible_agencies

from ..models import Proceeding, ProceedingEvent, TrainingSession, TypicalCase

PUBLIC_PAGE_SIZE = 20
LATEST_ON_HOME = 5
# What a public list shows: the texts stay in the database until someone opens the case.
PUBLIC_LIST_FIELDS = ("title", "lesson", "published_at", "region__name")


def _existing(pk: int) -> int:
    if pk > MAX_ID:
        raise Http404
    return pk


# --- the public -----------------------------------------------------------------------------------


def published() -> QuerySet[TypicalCase]:
    """Published typical cases, newest first (the `typical_public` partial index's order)."""
    return TypicalCase.objects.filter(status=TypicalCase.Status.PUBLISHED).order_by(
        "-published_at", "-pk"
    )


def public_list() -> QuerySet[TypicalCase]:
    return published().select_related("region").only(*PUBLIC_LIST_FIELDS)


def public_page(page_number):
    """One page of published cases: a count and a page read, whatever the number of cases."""
    return Paginator(public_list(), PUBLIC_PAGE_SIZE).get_page(page_number)


def latest_published(limit: int = LATEST_ON_HOME) -> list[TypicalCase]:
    """The latest published cases, for the home page (one query)."""
    return list(published().only("title", "published_at")[:limit])


def public_typical(pk: int) -> TypicalCase:
    """One published case for its public page, or 404."""
    return get_object_or_404(published().select_related("region"), pk=_existing(pk))


# --- staff ---------------------------------------------------------------------------------------


def typical_visible(user) -> QuerySet[TypicalCase]:
    role = role_of(user)
    if role == Role.SYSADMIN:
        return TypicalCase.objects.all()
    if role == Role.SUPERVISOR:
        return TypicalCase.objects.filter(
            proceeding__agency__in=visible_agencies(user).values("pk")
        )
    return TypicalCase.objects.none()


def typical_list(*, user, status=None) -> QuerySet[TypicalCase]:
    rows = typical_visible(user)
    if status:
        rows = rows.filter(status=status)
    return rows.select_related("proceeding__agency", "region", "drafted_by").order_by(
        "-drafted_at", "-pk"
    )


def typical_for(*, user, pk: int) -> TypicalCase:
    """One typical case the user may read, or 404 (out of scope is indistinguishable from none)."""
    rows = typical_visible(user).select_related(
        "proceeding__agency__region",
        "proceeding__decision",
        "region",
        "drafted_by",
        "approved_by",
    )
    return get_object_or_404(rows, pk=_existing(pk))


def typical_returns(typical: TypicalCase) -> QuerySet[ProceedingEvent]:
    """R18: the reviewers' returns of a typical case with their reasons, latest first: rows of
    the proceeding's timeline (one query)."""
    return (
        ProceedingEvent.objects.filter(
            proceeding_id=typical.proceeding_id, kind=ProceedingEvent.Kind.TYPICAL_RETURNED
        )
        .select_related("actor")
        .order_by("-at", "-pk")
    )


def proceeding_for_typical(*, user, pk: int) -> Proceeding:
    """The proceeding a supervisor drafts a typical case from: one of a unit they supervise."""
    if role_of(user) not in (Role.SUPERVISOR, Role.SYSADMIN):
        raise Http404
    rows = Proceeding.objects.filter(
        Q(agency__in=visible_agencies(user).values("pk"))
    ).select_related("agency__region", "enforcement_case", "decision")
    return get_object_or_404(rows, pk=_existing(pk))


def training_visible(user) -> QuerySet[TrainingSession]:
    role = role_of(user)
    if role == Role.SYSADMIN:
        return TrainingSession.objects.all()
    if role == Role.SUPERVISOR and user.region_id:
        return TrainingSession.objects.filter(region__path__startswith=user.region.path)
    return TrainingSession.objects.none()


def training_list(*, user) -> QuerySet[TrainingSession]:
    return (
        training_visible(user).select_related("region", "recorded_by").order_by("-held_on", "-pk")
    )


def training_for(*, user, pk: int) -> TrainingSession:
    rows = training_visible(user).select_related("region", "recorded_by")
    return get_object_or_404(rows, pk=_existing(pk))


def training_agencies(user) -> QuerySet[Agency]:
    """The agencies a supervisor's session may be attended from: those of their region and
    below (the attendees' form offers them, by name)."""
    return visible_agencies(user).order_by("name", "pk")


def officers_by_certificate(numbers) -> dict[str, Officer]:
    """The officers holding these certificate numbers (执法证号), by number: one query, on the
    unique index, whatever the number of officers."""
    rows = Officer.objects.filter(certificate_number__in=list(numbers)).select_related("agency")
    return {officer.certificate_number: officer for officer in rows}
